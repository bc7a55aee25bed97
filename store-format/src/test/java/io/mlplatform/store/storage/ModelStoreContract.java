package io.mlplatform.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Lineage;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.Outputs;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.format.StoreJson;
import io.mlplatform.store.format.Task;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every file system must give the store. Subclasses only say where a fresh, empty
 * store lives; the same tests then run on each file system, because renames, listings and checksums
 * differ between them (STACK.md item 12).
 */
abstract class ModelStoreContract {

  static final String MODEL = "penguins";

  /**
   * Local scratch space: bundles to stage and bundle copies, whatever file system the store is on.
   */
  @TempDir Path work;

  ModelStore store;

  /** A location (path or URI) where no store exists yet; called once per test. */
  abstract String freshLocation() throws IOException;

  /** The URI scheme the store must report, proving the suite runs where it claims to. */
  abstract String expectedScheme();

  /** Opens a store; a file system may add client settings. */
  ModelStore open(String location) {
    return ModelStore.open(location);
  }

  /** Opens a store whose file operations a test wraps, e.g. to make a step fail. */
  ModelStore open(String location, java.util.function.UnaryOperator<FileOps> wrap) {
    return ModelStore.open(location, new Configuration(), wrap);
  }

  @BeforeEach
  void openStore() throws IOException {
    store = open(freshLocation());
  }

  @Test
  void storeLivesOnTheExpectedFileSystem() {
    assertThat(store.uri().getScheme()).isEqualTo(expectedScheme());
    assertThat(store.models()).isEmpty();
  }

  @Test
  void publishMakesAStagedVersionVisible() throws IOException {
    byte[] bundle = bytes("bundle one");
    Manifest manifest = manifest(MODEL);

    Staging staging = store.stage(MODEL);
    staging.putFile(Layout.BUNDLE, localFile("one.zip", bundle));
    staging.putJsonLines(Layout.REFERENCE_ROWS, referenceRows());
    int version = store.publish(staging, manifest);

    assertThat(version).isEqualTo(1);
    assertThat(store.versions(MODEL)).containsExactly(1);
    assertThat(store.latestVersion(MODEL)).contains(1);
    assertThat(store.models()).containsExactly(MODEL);
    assertThat(store.manifest(MODEL, 1)).isEqualTo(manifest.withVersion(1));
    assertThat(store.referenceRows(MODEL, 1)).isEqualTo(referenceRows());
    assertThat(copyBundle(MODEL, 1)).isEqualTo(bundle);
    assertThat(stagingEntries(MODEL)).as("staging directory left after publish").isEmpty();
    assertThat(fileNames(MODEL, 1))
        .containsExactlyInAnyOrder(Layout.BUNDLE, Layout.MANIFEST, Layout.REFERENCE_ROWS);
  }

  @Test
  void secondPublishGetsTheNextVersion() throws IOException {
    assertThat(publish(MODEL, bytes("first"))).isEqualTo(1);
    assertThat(publish(MODEL, bytes("second"))).isEqualTo(2);

    assertThat(store.versions(MODEL)).containsExactly(1, 2);
    assertThat(store.latestVersion(MODEL)).contains(2);
    assertThat(store.manifest(MODEL, 1).version()).isEqualTo(1);
    assertThat(store.manifest(MODEL, 2).version()).isEqualTo(2);
    assertThat(copyBundle(MODEL, 1)).isEqualTo(bytes("first"));
    assertThat(copyBundle(MODEL, 2)).isEqualTo(bytes("second"));
  }

  @Test
  void copyBundleReplacesAnExistingLocalFile() throws IOException {
    publish(MODEL, bytes("the bundle"));
    Path target = localFile("existing.zip", bytes("something much longer than the bundle"));

    store.copyBundleTo(MODEL, 1, target);

    assertThat(target).hasBinaryContent(bytes("the bundle"));
  }

  @Test
  void largeBundleRoundTrips() throws IOException {
    // Larger than the default checksum chunk and HDFS packet sizes, not a multiple of either.
    byte[] bundle = new byte[3 * 1024 * 1024 + 17];
    new java.util.Random(42).nextBytes(bundle);
    publish(MODEL, bundle);

    assertThat(copyBundle(MODEL, 1)).isEqualTo(bundle);
  }

  @Test
  void modelsListsOnlyModelsWithVersionsSortedByName() throws IOException {
    publish("zebra", bytes("z"));
    publish("alpha", bytes("a"));
    Staging unpublished = store.stage("middle");
    unpublished.putFile(Layout.BUNDLE, localFile("m.zip", bytes("m")));

    assertThat(store.models()).containsExactly("alpha", "zebra");
    assertThat(store.versions("alpha")).containsExactly(1);
    assertThat(store.versions("zebra")).containsExactly(1);
  }

  @Test
  void unknownModelHasNoVersions() {
    assertThat(store.versions("nobody")).isEmpty();
    assertThat(store.latestVersion("nobody")).isEqualTo(Optional.empty());
  }

  @Test
  void stagedVersionIsInvisibleUntilPublished() throws IOException {
    Staging staging = store.stage(MODEL);
    staging.putFile(Layout.BUNDLE, localFile("b.zip", bytes("staged")));
    staging.putJsonLines(Layout.REFERENCE_ROWS, referenceRows());
    staging.putJson(Layout.MANIFEST, manifest(MODEL));

    assertThat(store.versions(MODEL)).isEmpty();
    assertThat(store.latestVersion(MODEL)).isEmpty();
    assertThat(store.models()).doesNotContain(MODEL);
    assertThat(stagingEntries(MODEL)).hasSize(1);
    assertThatThrownBy(() -> store.manifest(MODEL, 1))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));

    staging.abort();

    assertThat(stagingEntries(MODEL)).isEmpty();
    assertThat(store.versions(MODEL)).isEmpty();
    assertThat(store.models()).isEmpty();
  }

  @Test
  void abortAfterPublishLeavesTheVersion() throws IOException {
    Staging staging = store.stage(MODEL);
    staging.putFile(Layout.BUNDLE, localFile("b.zip", bytes("kept")));
    store.publish(staging, manifest(MODEL));

    staging.abort();

    assertThat(store.versions(MODEL)).containsExactly(1);
    assertThat(copyBundle(MODEL, 1)).isEqualTo(bytes("kept"));
  }

  @Test
  void publishWithoutBundleIsInvalidAndShowsNothing() {
    Staging staging = store.stage(MODEL);
    staging.putJsonLines(Layout.REFERENCE_ROWS, referenceRows());

    assertThatThrownBy(() -> store.publish(staging, manifest(MODEL)))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.INVALID))
        .hasMessageContaining(MODEL)
        .hasMessageContaining(Layout.BUNDLE);
    assertThat(store.versions(MODEL)).isEmpty();
    assertThat(store.models()).isEmpty();
  }

  @Test
  void publishOfAnotherModelsManifestIsInvalidAndShowsNothing() throws IOException {
    Staging staging = store.stage(MODEL);
    staging.putFile(Layout.BUNDLE, localFile("b.zip", bytes("x")));

    assertThatThrownBy(() -> store.publish(staging, manifest("other")))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.INVALID))
        .hasMessageContaining(MODEL)
        .hasMessageContaining("other");
    assertThat(store.models()).isEmpty();
  }

  @Test
  void concurrentPublishersGetDistinctCompleteVersions() throws Exception {
    int publishers = 8;
    List<byte[]> bundles = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < publishers; i++) {
      bundles.add(bytes("bundle of publisher " + i));
      files.add(localFile("publisher-" + i + ".zip", bundles.get(i)));
    }
    CyclicBarrier allStaged = new CyclicBarrier(publishers);
    ExecutorService pool = Executors.newFixedThreadPool(publishers);
    List<Integer> versions = new ArrayList<>();
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        int publisher = i;
        results.add(
            pool.submit(
                () -> {
                  Staging staging = store.stage(MODEL);
                  staging.putFile(Layout.BUNDLE, files.get(publisher));
                  staging.putJsonLines(Layout.REFERENCE_ROWS, referenceRows());
                  // Everyone reads the same latest version and races for the same number.
                  allStaged.await(30, TimeUnit.SECONDS);
                  return store.publish(staging, manifestOfPublisher(publisher));
                }));
      }
      for (Future<Integer> result : results) {
        versions.add(result.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(versions).as("versions returned to publishers 0..7").doesNotHaveDuplicates();
    List<Integer> expected = IntStream.rangeClosed(1, publishers).boxed().toList();
    assertThat(versions).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(store.versions(MODEL)).containsExactlyElementsOf(expected);
    for (int publisher = 0; publisher < publishers; publisher++) {
      int version = versions.get(publisher);
      Manifest manifest = store.manifest(MODEL, version);
      assertThat(manifest.version())
          .as("manifest version of directory %s", version)
          .isEqualTo(version);
      assertThat(manifest.lineage().fingerprint())
          .isEqualTo(manifestOfPublisher(publisher).lineage().fingerprint());
      assertThat(copyBundle(MODEL, version))
          .as("bundle of v%s", version)
          .isEqualTo(bundles.get(publisher));
      assertThat(store.referenceRows(MODEL, version)).isEqualTo(referenceRows());
      assertThat(fileNames(MODEL, version))
          .as("entries of v%s", version)
          .containsExactlyInAnyOrder(Layout.BUNDLE, Layout.MANIFEST, Layout.REFERENCE_ROWS);
    }
    assertThat(stagingEntries(MODEL)).isEmpty();
    assertThat(store.history(MODEL).stream().map(HistoryEvent::to))
        .as("one publish event per version")
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  static Stream<String> invalidModelNames() {
    return Stream.of(
        "../x",
        "",
        "a/b",
        "x".repeat(65),
        ".staging",
        "-leading-dash",
        "has space",
        "dot.ted",
        "..");
  }

  @ParameterizedTest
  @MethodSource("invalidModelNames")
  void invalidModelNamesAreRejected(String name) {
    assertInvalid(() -> store.stage(name));
    assertInvalid(() -> store.versions(name));
    assertInvalid(() -> store.latestVersion(name));
    assertInvalid(() -> store.manifest(name, 1));
    assertInvalid(() -> store.referenceRows(name, 1));
    assertInvalid(() -> store.copyBundleTo(name, 1, work.resolve("out.zip")));
    assertThat(store.models()).isEmpty();
  }

  @Test
  void nullModelNameIsInvalid() {
    assertInvalid(() -> store.stage(null));
    assertInvalid(() -> store.versions(null));
  }

  @Test
  void longestValidModelNameWorks() throws IOException {
    String name = "m" + "_".repeat(62) + "9";
    assertThat(name).hasSize(64);

    publish(name, bytes("long"));

    assertThat(store.models()).containsExactly(name);
    assertThat(store.manifest(name, 1).model()).isEqualTo(name);
  }

  @Test
  void versionsBelowOneAreInvalid() throws IOException {
    publish(MODEL, bytes("x"));

    assertInvalid(() -> store.manifest(MODEL, 0));
    assertInvalid(() -> store.referenceRows(MODEL, -1));
  }

  @Test
  void unknownModelIsNotFoundNamingTheModel() {
    assertNotFound(() -> store.manifest("ghost", 1), "ghost");
    assertNotFound(() -> store.referenceRows("ghost", 1), "ghost");
    assertNotFound(() -> store.copyBundleTo("ghost", 1, work.resolve("out.zip")), "ghost");
    assertThat(work.resolve("out.zip")).doesNotExist();
  }

  @Test
  void unknownVersionIsNotFoundNamingModelAndVersion() throws IOException {
    publish(MODEL, bytes("x"));

    assertNotFound(() -> store.manifest(MODEL, 7), MODEL, "7");
    assertNotFound(() -> store.referenceRows(MODEL, 7), MODEL, "7");
    assertNotFound(() -> store.copyBundleTo(MODEL, 7, work.resolve("out.zip")), MODEL, "7");
  }

  @Test
  void missingFileOfAVersionIsNotFoundNamingTheFile() throws IOException {
    publish(MODEL, bytes("no reference rows staged"));

    assertNotFound(() -> store.referenceRows(MODEL, 1), MODEL, "v1", Layout.REFERENCE_ROWS);
  }

  @Test
  void malformedManifestIsCorruptNamingModelAndVersion() throws IOException {
    writeRaw(MODEL + "/versions/3/" + Layout.MANIFEST, "{\"formatVersion\": 1, \"model\": ");

    assertThat(store.versions(MODEL)).containsExactly(3);
    assertCorrupt(() -> store.manifest(MODEL, 3), MODEL, "v3");
  }

  @Test
  void overwrittenManifestThatIsNotJsonIsCorrupt() throws IOException {
    publish(MODEL, bytes("x"));
    writeRaw(MODEL + "/versions/1/" + Layout.MANIFEST, "not json at all");

    assertCorrupt(() -> store.manifest(MODEL, 1), MODEL, "v1");
  }

  @Test
  void manifestWithoutRequiredListsIsCorrupt() throws IOException {
    writeRaw(
        MODEL + "/versions/1/" + Layout.MANIFEST,
        "{\"formatVersion\": 1, \"model\": \"" + MODEL + "\"}");

    assertCorrupt(() -> store.manifest(MODEL, 1), MODEL, "v1");
  }

  @Test
  void manifestOfAnUnknownFormatIsCorrupt() throws IOException {
    publish(MODEL, bytes("x"));
    Manifest m = manifest(MODEL);
    Manifest future =
        new Manifest(
            99,
            m.model(),
            1,
            m.createdAt(),
            m.task(),
            m.inputs(),
            m.outputs(),
            m.metrics(),
            m.spec(),
            m.sparkVersion(),
            m.mleapVersion(),
            m.lineage());
    writeRaw(
        MODEL + "/versions/1/" + Layout.MANIFEST, StoreJson.mapper().writeValueAsString(future));

    assertCorrupt(() -> store.manifest(MODEL, 1), MODEL, "v1", "99");
  }

  @Test
  void manifestWithFieldsFromANewerWriterIsRead() throws IOException {
    publish(MODEL, bytes("x"));
    ObjectNode json = StoreJson.mapper().valueToTree(manifest(MODEL).withVersion(1));
    json.put("addedLater", "ignored by this reader");
    writeRaw(MODEL + "/versions/1/" + Layout.MANIFEST, json.toString());

    assertThat(store.manifest(MODEL, 1)).isEqualTo(manifest(MODEL).withVersion(1));
  }

  @Test
  void malformedReferenceRowsAreCorrupt() throws IOException {
    publish(MODEL, bytes("x"));
    writeRaw(
        MODEL + "/versions/1/" + Layout.REFERENCE_ROWS,
        "{\"input\": {}, \"prediction\": 1.0}\n{oops\n");

    assertCorrupt(() -> store.referenceRows(MODEL, 1), MODEL, "v1");
  }

  @Test
  void nonFiniteMetricsAndNullsRoundTrip() throws IOException {
    Manifest m = manifest(MODEL);
    Manifest odd =
        new Manifest(
            m.formatVersion(),
            m.model(),
            0,
            m.createdAt(),
            Task.REGRESSION,
            m.inputs(),
            new Outputs("prediction", null, null),
            Map.of("auc", Double.NaN, "rmse", Double.POSITIVE_INFINITY),
            null,
            m.sparkVersion(),
            m.mleapVersion(),
            m.lineage());
    Staging staging = store.stage(MODEL);
    staging.putFile(Layout.BUNDLE, localFile("b.zip", bytes("x")));
    List<ReferenceRow> rows = List.of(new ReferenceRow(Map.of("bill_length_mm", 40.5), 3.25, null));
    staging.putJsonLines(Layout.REFERENCE_ROWS, rows);

    store.publish(staging, odd);

    assertThat(store.manifest(MODEL, 1)).isEqualTo(odd.withVersion(1));
    assertThat(store.referenceRows(MODEL, 1)).isEqualTo(rows);
  }

  @Test
  void uriReopensTheSameStore() throws IOException {
    publish(MODEL, bytes("x"));

    ModelStore again = ModelStore.open(store.uri().toString());

    assertThat(again.uri()).isEqualTo(store.uri());
    assertThat(again.versions(MODEL)).containsExactly(1);
  }

  /**
   * A read that fails (a flaky DataNode, a store that is down) is IO, which a reader may retry,
   * never CORRUPT, which says the version itself is bad; once a transient fault clears the same
   * call works.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(
      value = FaultyFileOps.Reads.class,
      names = {"TRANSIENT", "PERSISTENT"})
  void aFailingReadIsAnIoErrorNeverCorrupt(FaultyFileOps.Reads how) throws IOException {
    publishComplete(store, MODEL, bytes("v1"));
    store.setAlias(MODEL, Layout.PRODUCTION, 1, "first");
    FaultyFileOps[] ops = new FaultyFileOps[1];
    ModelStore faulty =
        open(
            store.uri().toString(),
            real ->
                ops[0] = new FaultyFileOps(real, Integer.MAX_VALUE, FaultyFileOps.Mode.FAIL_ONCE));
    Path copy = work.resolve("faulty-copy.zip");
    Map<String, org.assertj.core.api.ThrowableAssert.ThrowingCallable> reads =
        new LinkedHashMap<>();
    reads.put("manifest", () -> faulty.manifest(MODEL, 1));
    reads.put("reference rows", () -> faulty.referenceRows(MODEL, 1));
    reads.put("bundle", () -> faulty.copyBundleTo(MODEL, 1, copy));
    reads.put("alias", () -> faulty.alias(MODEL, Layout.PRODUCTION));
    reads.put("aliases", () -> faulty.aliases(MODEL));
    reads.put("history", () -> faulty.history(MODEL));

    for (Map.Entry<String, org.assertj.core.api.ThrowableAssert.ThrowingCallable> read :
        reads.entrySet()) {
      ops[0].failReads(how, 1);
      int before = ops[0].readFailures();
      assertThatThrownBy(read.getValue())
          .as(read.getKey())
          .isInstanceOfSatisfying(
              StoreException.class,
              e ->
                  assertThat(e.kind())
                      .as(read.getKey() + ": " + e.getMessage())
                      .isEqualTo(StoreException.Kind.IO));
      assertThat(ops[0].readFailures())
          .as(read.getKey() + " read through the faulty ops")
          .isGreaterThan(before);
      if (how == FaultyFileOps.Reads.TRANSIENT) {
        ops[0].failReads(FaultyFileOps.Reads.HEALTHY, 0);
        org.assertj.core.api.Assertions.assertThatCode(read.getValue())
            .as(read.getKey() + " once the fault cleared")
            .doesNotThrowAnyException();
      }
    }
    ops[0].failReads(FaultyFileOps.Reads.HEALTHY, 0);
    assertThat(faulty.manifest(MODEL, 1).version()).as("nothing was damaged").isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------
  // Fixtures

  static Manifest manifest(String model) {
    ObjectNode spec = StoreJson.mapper().createObjectNode();
    spec.put("model", model).put("target", "species");
    spec.putArray("features").add("bill_length_mm").add("island").add("year");
    spec.putObject("params").put("maxIter", 20).put("regParam", 0.01);
    return new Manifest(
        Manifest.FORMAT_VERSION,
        model,
        0,
        "2024-05-01T12:00:00Z",
        Task.MULTICLASS_CLASSIFICATION,
        List.of(
            new InputField("bill_length_mm", FieldType.DOUBLE, true, 43.92),
            new InputField("island", FieldType.STRING, true, "__missing__"),
            new InputField("year", FieldType.DOUBLE, false, null)),
        new Outputs("prediction", "probability", List.of("Adelie", "Chinstrap", "Gentoo")),
        Map.of("accuracy", 0.97, "f1", 0.969),
        spec,
        "3.5.7",
        "0.16.0",
        new Lineage("file:///data/penguins.json", 344, "sha256:0123abcd", "deadbeef", null));
  }

  /** A manifest that says which publisher wrote it. */
  static Manifest manifestOfPublisher(int publisher) {
    Manifest m = manifest(MODEL);
    Lineage l = m.lineage();
    return new Manifest(
        m.formatVersion(),
        m.model(),
        0,
        m.createdAt(),
        m.task(),
        m.inputs(),
        m.outputs(),
        m.metrics(),
        m.spec(),
        m.sparkVersion(),
        m.mleapVersion(),
        new Lineage(
            l.dataUri(),
            l.rows(),
            "sha256:publisher-" + publisher,
            l.gitCommit(),
            l.parentVersion()));
  }

  static List<ReferenceRow> referenceRows() {
    Map<String, Object> withNull = new LinkedHashMap<>();
    withNull.put("bill_length_mm", 39.1);
    withNull.put("island", null);
    withNull.put("year", 2007.0);
    return List.of(
        new ReferenceRow(withNull, 0.0, List.of(0.91, 0.06, 0.03)),
        new ReferenceRow(
            Map.of("bill_length_mm", 49.9, "island", "Biscoe \"north\"\nshore", "year", 2009.0),
            2.0,
            List.of(0.01, 0.02, 0.97)));
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  Path localFile(String name, byte[] content) throws IOException {
    return Files.write(work.resolve(name), content);
  }

  int publish(String model, byte[] bundle) throws IOException {
    Staging staging = store.stage(model);
    staging.putFile(Layout.BUNDLE, localFile(model + "-" + System.nanoTime() + ".zip", bundle));
    return store.publish(staging, manifest(model));
  }

  /** A version with every file a trained one has. */
  int publishComplete(ModelStore target, String model, byte[] bundle) throws IOException {
    return publishComplete(target, bundle, manifest(model));
  }

  int publishComplete(ModelStore target, byte[] bundle, Manifest manifest) throws IOException {
    Staging staging = target.stage(manifest.model());
    try {
      staging.putFile(
          Layout.BUNDLE, localFile(manifest.model() + "-" + System.nanoTime() + ".zip", bundle));
      staging.putJsonLines(Layout.REFERENCE_ROWS, referenceRows());
      return target.publish(staging, manifest);
    } catch (RuntimeException e) {
      staging.abort();
      throw e;
    }
  }

  byte[] copyBundle(String model, int version) throws IOException {
    Path copy = work.resolve("copy-" + model + "-" + version + "-" + System.nanoTime() + ".zip");
    store.copyBundleTo(model, version, copy);
    return Files.readAllBytes(copy);
  }

  /** The store's own file system, for looking behind the API. */
  FileSystem rawFs() throws IOException {
    return FileSystem.get(store.uri(), new Configuration());
  }

  org.apache.hadoop.fs.Path raw(String relative) {
    return new org.apache.hadoop.fs.Path(store.uri().toString() + "/" + relative);
  }

  /**
   * Writes a file into the store behind the API's back, as a damaged or hand-edited store would
   * have.
   */
  void writeRaw(String relative, String text) throws IOException {
    try (OutputStream out = rawFs().create(raw(relative), true)) {
      out.write(bytes(text));
    }
    java.util.regex.Matcher version =
        java.util.regex.Pattern.compile("(.*/versions/[0-9]+)/.*").matcher(relative);
    if (version.matches()) {
      makeVisible(version.group(1));
    }
  }

  /**
   * A version directory written behind the API's back is visible as it is here; object stores need
   * a marker.
   */
  void makeVisible(String versionDir) throws IOException {}

  List<String> stagingEntries(String model) throws IOException {
    FileSystem fs = rawFs();
    org.apache.hadoop.fs.Path staging = raw(model + "/.staging");
    if (!fs.exists(staging)) {
      return List.of();
    }
    return Arrays.stream(fs.listStatus(staging)).map(s -> s.getPath().getName()).toList();
  }

  /**
   * Entries of a version directory; checksum side files ({@code .name.crc}) of the local file
   * system and the object-store publish markers ({@code _CLAIM}, {@code _COMMITTED}) left out.
   */
  List<String> fileNames(String model, int version) throws IOException {
    List<String> names = new ArrayList<>();
    for (FileStatus status : rawFs().listStatus(raw(model + "/versions/" + version))) {
      String name = status.getPath().getName();
      if (!(name.startsWith(".") && name.endsWith(".crc")) && !name.startsWith("_")) {
        names.add(status.isDirectory() ? name + "/" : name);
      }
    }
    return names;
  }

  static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.INVALID));
  }

  static void assertNotFound(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String... mentions) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND))
        .message()
        .contains(mentions);
  }

  static void assertCorrupt(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String... mentions) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CORRUPT))
        .message()
        .contains(mentions);
  }
}
