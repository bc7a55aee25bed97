package io.mlplatform.serving.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.config.ModelsSection;
import io.mlplatform.serving.config.SelfTestMode;
import io.mlplatform.serving.scoring.MleapModelLoader;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.serving.scoring.ScoringModel;
import io.mlplatform.serving.scoring.ScoringModelLoader;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load-time checks on the real fixture bundles: what is refused, and why. */
class VersionLoaderTest {

  private static MleapModelLoader mleap;
  @TempDir Path dir;
  private ModelStore store;
  private Manifest classifier;
  private Path bundle;

  @BeforeAll
  static void createLoader() {
    mleap = Fixtures.mleap();
  }

  @BeforeEach
  void setUp() {
    store = ModelStore.open(dir.resolve("store").toString());
    classifier = Fixtures.classifierManifest();
    bundle = Fixtures.zipBundle("penguins-logistic", dir.resolve("classifier.zip"));
  }

  @Test
  void aBundleThatReproducesItsReferenceRowsLoadsAndIsWarmedUp() {
    AtomicInteger singleRowScorings = new AtomicInteger();
    ScoringModelLoader counting =
        (manifest, zip) -> {
          ScoringModel model = mleap.load(manifest, zip);
          return new ScoringModel() {
            @Override
            public List<Score> score(List<Object[]> rows) {
              if (rows.size() == 1) {
                singleRowScorings.incrementAndGet();
              }
              return model.score(rows);
            }

            @Override
            public void close() {
              model.close();
            }
          };
        };
    int version = Fixtures.publish(store, classifier, bundle, Fixtures.classifierReferenceRows());

    VersionLoader.Outcome outcome =
        loader(counting, SelfTestMode.REQUIRED, 300).load("penguins", version, ModelEvents.NONE);

    assertThat(outcome).isInstanceOf(VersionLoader.Outcome.Loaded.class);
    LoadedModel model = ((VersionLoader.Outcome.Loaded) outcome).model();
    assertThat(model.version()).isEqualTo(1);
    assertThat(model.referencePredictions()).hasSize(20);
    assertThat(singleRowScorings.get()).isEqualTo(300);
  }

  @Test
  void aBundleWhoseOutputsDifferFromTrainingIsRefused() {
    List<ReferenceRow> rows = new ArrayList<>(Fixtures.classifierReferenceRows());
    ReferenceRow first = rows.get(0);
    List<Double> p = new ArrayList<>(first.probabilities());
    p.set(0, p.get(0) + 1e-6);
    rows.set(0, new ReferenceRow(first.input(), first.prediction(), p));
    ReferenceRow third = rows.get(2);
    rows.set(
        2, new ReferenceRow(third.input(), (third.prediction() + 1) % 3, third.probabilities()));
    int version = Fixtures.publish(store, classifier, bundle, rows);

    Refusal refusal =
        refused(
            loader(mleap, SelfTestMode.REQUIRED, 0).load("penguins", version, ModelEvents.NONE));

    assertThat(refusal.kind()).isEqualTo(Refusal.Kind.SELF_TEST);
    assertThat(refusal.reason())
        .startsWith("2 of 20 reference rows differ from training (row 0: P(class 0) ")
        .contains("; row 2: class ");
  }

  @Test
  void regressionOutputsAreComparedRelatively() {
    Manifest regressor = Fixtures.regressorManifest();
    Path zip = Fixtures.zipBundle("penguins-mass-linear", dir.resolve("r.zip"));
    int good =
        Fixtures.publish(
            store,
            Fixtures.manifest("mass", regressor.task(), regressor.inputs(), regressor.outputs()),
            zip,
            Fixtures.regressorReferenceRows());
    List<ReferenceRow> off =
        Fixtures.regressorReferenceRows().stream()
            .map(r -> new ReferenceRow(r.input(), r.prediction() * (1 + 1e-6), null))
            .toList();
    int bad =
        Fixtures.publish(
            store,
            Fixtures.manifest("mass", regressor.task(), regressor.inputs(), regressor.outputs()),
            zip,
            off);

    VersionLoader loader = loader(mleap, SelfTestMode.REQUIRED, 0);

    assertThat(loader.load("mass", good, ModelEvents.NONE))
        .isInstanceOf(VersionLoader.Outcome.Loaded.class);
    assertThat(refused(loader.load("mass", bad, ModelEvents.NONE)).reason())
        .startsWith("20 of 20 reference rows differ from training");
  }

  @Test
  void withoutReferenceRowsAVersionIsRefusedUnlessTheSelfTestIsOptional() {
    int version = Fixtures.publish(store, classifier, bundle);

    Refusal refusal =
        refused(
            loader(mleap, SelfTestMode.REQUIRED, 0).load("penguins", version, ModelEvents.NONE));

    assertThat(refusal.kind()).isEqualTo(Refusal.Kind.SELF_TEST);
    assertThat(refusal.reason()).contains("no reference-rows.jsonl");
    assertThat(
            loader(mleap, SelfTestMode.IF_PRESENT, 0).load("penguins", version, ModelEvents.NONE))
        .isInstanceOf(VersionLoader.Outcome.Loaded.class);
  }

  @Test
  void aZipSlipBundleIsRefusedAndWritesNothing() throws IOException {
    Path evil = copyWithExtraEntry(bundle, "../../escaped.txt");
    int version = Fixtures.publish(store, classifier, evil, Fixtures.classifierReferenceRows());

    Refusal refusal =
        refused(
            loader(mleap, SelfTestMode.REQUIRED, 0).load("penguins", version, ModelEvents.NONE));

    assertThat(refusal.kind()).isEqualTo(Refusal.Kind.ARCHIVE);
    assertThat(refusal.reason()).contains("../../escaped.txt");
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    assertThat(tmp.resolve("escaped.txt")).doesNotExist();
    assertThat(tmp.getParent().resolve("escaped.txt")).doesNotExist();
    try (Stream<Path> leftovers = Files.list(tmp)) {
      assertThat(
              leftovers
                  .filter(p -> p.getFileName().toString().startsWith("mlp-load-"))
                  .filter(p -> p.toFile().lastModified() > System.currentTimeMillis() - 60_000))
          .isEmpty();
    }
  }

  @Test
  void aCorruptBundleIsRefused() throws IOException {
    Path corrupt = dir.resolve("corrupt.zip");
    byte[] bytes = Files.readAllBytes(bundle);
    for (int i = 0; i < bytes.length; i += 7) {
      bytes[i] ^= 0x5a;
    }
    Files.write(corrupt, bytes);
    int version = Fixtures.publish(store, classifier, corrupt, Fixtures.classifierReferenceRows());

    Refusal refusal =
        refused(
            loader(mleap, SelfTestMode.REQUIRED, 0).load("penguins", version, ModelEvents.NONE));

    assertThat(refusal.kind()).isEqualTo(Refusal.Kind.ARCHIVE);
  }

  @Test
  void aZipThatIsNotABundleIsRefused() throws IOException {
    Path notABundle = dir.resolve("other.zip");
    try (OutputStream file = Files.newOutputStream(notABundle);
        ZipOutputStream out = new ZipOutputStream(file)) {
      out.putNextEntry(new ZipEntry("readme.txt"));
      out.closeEntry();
    }
    int version =
        Fixtures.publish(store, classifier, notABundle, Fixtures.classifierReferenceRows());

    Refusal refusal =
        refused(
            loader(mleap, SelfTestMode.REQUIRED, 0).load("penguins", version, ModelEvents.NONE));

    assertThat(refusal.kind()).isEqualTo(Refusal.Kind.BUNDLE);
    assertThat(refusal.reason())
        .startsWith("MLeap cannot read the bundle")
        .doesNotContain(dir.toString());
  }

  private VersionLoader loader(ScoringModelLoader scoring, SelfTestMode mode, int warmupRows) {
    ModelsSection d = ModelsSection.DEFAULTS;
    return new VersionLoader(
        store,
        scoring,
        new ModelsSection(
            Duration.ZERO,
            mode,
            d.selfTestTolerance(),
            warmupRows,
            d.maxBundleBytes(),
            d.maxBundleEntries()),
        Duration.ofSeconds(60));
  }

  private static Refusal refused(VersionLoader.Outcome outcome) {
    assertThat(outcome).isInstanceOf(VersionLoader.Outcome.Refused.class);
    return ((VersionLoader.Outcome.Refused) outcome).refusal();
  }

  /** The bundle with one more entry, as an attacker would add it. */
  static Path copyWithExtraEntry(Path zip, String entry) throws IOException {
    Path copy = zip.resolveSibling("extra-" + zip.getFileName());
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip));
        OutputStream file = Files.newOutputStream(copy);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.putNextEntry(new ZipEntry(e.getName()));
        in.transferTo(out);
        out.closeEntry();
      }
      out.putNextEntry(new ZipEntry(entry));
      out.write("owned".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return copy;
  }
}
