package io.mlplatform.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlplatform.store.format.Layout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store and registry contracts on the local file system, plus how local locations are spelled.
 */
class LocalModelStoreTest extends CrashSafetyContract {

  @TempDir Path stores;

  @Override
  String freshLocation() {
    return stores.resolve("store").toString();
  }

  @Override
  String expectedScheme() {
    return "file";
  }

  @Test
  void versionFilesAreOnLocalDisk() throws IOException {
    publish(MODEL, bytes("on disk"));

    Path version = stores.resolve("store").resolve(MODEL).resolve("versions").resolve("1");
    assertThat(version.resolve(Layout.BUNDLE)).hasBinaryContent(bytes("on disk"));
    assertThat(version.resolve(Layout.MANIFEST)).isRegularFile();
  }

  /**
   * A power loss cannot be simulated, so the order of the calls stands for it: every file of a
   * version, and its directory, reach the disk before the rename that publishes them, and the
   * rename itself afterwards (the parent directory). The same for an alias and a history event.
   */
  @Test
  void filesAndTheirDirectoryAreSyncedBeforeTheRenameThatPublishesThem() throws IOException {
    List<String> journal = new ArrayList<>();
    ModelStore recorded =
        open(store.uri().toString(), real -> ((LocalFileOps) real).journal(journal));
    publishComplete(recorded, MODEL, bytes("durable"));

    int rename = indexOf(journal, e -> e.startsWith("moveNoReplace") && e.contains("/versions/1"));
    List<String> before = journal.subList(0, rename);
    String staged = journal.get(rename).split(" ")[1];
    assertThat(before)
        .as("synced before the publishing rename")
        .contains(
            "sync " + staged + "/" + Layout.BUNDLE, "sync " + staged + "/" + Layout.MANIFEST,
            "sync " + staged + "/" + Layout.REFERENCE_ROWS, "sync " + staged);
    assertThat(journal.subList(rename + 1, journal.size()))
        .as("the rename synced after it")
        .anyMatch(
            e -> e.equals("sync " + stores.resolve("store").resolve(MODEL).resolve("versions")));

    journal.clear();
    recorded.setAlias(MODEL, Layout.PRODUCTION, 1, "durable");
    int replace =
        indexOf(journal, e -> e.startsWith("replace") && e.endsWith("/aliases/production"));
    String tmp = journal.get(replace).split(" ")[1];
    assertThat(journal.subList(0, replace)).contains("sync " + tmp);
    assertThat(journal.subList(replace + 1, journal.size()))
        .contains("sync " + stores.resolve("store").resolve(MODEL).resolve("aliases"));
    int event = indexOf(journal, e -> e.startsWith("moveNoReplace") && e.contains("/history/"));
    assertThat(journal.subList(0, event)).contains("sync " + journal.get(event).split(" ")[1]);
    assertThat(journal.subList(event + 1, journal.size()))
        .contains("sync " + stores.resolve("store").resolve(MODEL).resolve("history"));
  }

  /**
   * Bytes that no longer match Hadoop's checksum are damaged content (CORRUPT), not a failed read
   * (IO).
   */
  @Test
  void aManifestThatFailsItsChecksumIsCorrupt() throws IOException {
    publish(MODEL, bytes("v1"));
    Files.writeString(
        stores.resolve("store").resolve(MODEL).resolve("versions/1").resolve(Layout.MANIFEST),
        "{\"formatVersion\": 1, \"model\": ");

    assertCorrupt(() -> store.manifest(MODEL, 1), "manifest of " + MODEL + " v1 is malformed");
  }

  private static int indexOf(List<String> journal, java.util.function.Predicate<String> entry) {
    for (int i = 0; i < journal.size(); i++) {
      if (entry.test(journal.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no such entry in " + journal);
  }

  @ParameterizedTest
  @ValueSource(strings = {"store", "store with spaces", "naïve-store"})
  void relativePathAbsolutePathAndFileUriOpenTheSameStore(String dirName) throws IOException {
    Path dir = stores.resolve("nested").resolve(dirName);
    String relative = Path.of("").toAbsolutePath().relativize(dir).toString();
    String fileUri = dir.toUri().toString();
    assertThat(relative).doesNotStartWith("/");
    assertThat(fileUri).startsWith("file:///");

    ModelStore viaRelative = ModelStore.open(relative);
    ModelStore viaAbsolute = ModelStore.open(dir.toString());
    ModelStore viaUri = ModelStore.open(fileUri);

    assertThat(dir).isDirectory();
    assertThat(Path.of(viaRelative.uri())).isEqualTo(dir);
    assertThat(viaAbsolute.uri()).isEqualTo(viaRelative.uri());
    assertThat(viaUri.uri()).isEqualTo(viaRelative.uri());

    Staging staging = viaRelative.stage(MODEL);
    staging.putFile(Layout.BUNDLE, localFile("b.zip", bytes("shared")));
    assertThat(viaRelative.publish(staging, manifest(MODEL))).isEqualTo(1);

    for (ModelStore s : new ModelStore[] {viaRelative, viaAbsolute, viaUri}) {
      assertThat(s.versions(MODEL)).containsExactly(1);
      Path copy = Files.createTempFile(work, "copy", ".zip");
      s.copyBundleTo(MODEL, 1, copy);
      assertThat(copy).hasBinaryContent(bytes("shared"));
    }
  }

  @Test
  void dotSegmentsInALocalPathAreResolved() {
    Path dir = stores.resolve("a");
    ModelStore store = ModelStore.open(stores.resolve("a").resolve("..").resolve("a").toString());

    assertThat(Path.of(store.uri())).isEqualTo(dir);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   "})
  void blankLocationIsInvalid(String location) {
    assertThatThrownBy(() -> ModelStore.open(location))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.INVALID));
  }

  @Test
  void unknownSchemeFailsToOpenNamingTheLocation() {
    assertThatThrownBy(() -> ModelStore.open("nosuchfs://somewhere/store"))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.IO))
        .hasMessageContaining("nosuchfs://somewhere/store");
  }

  @Test
  void malformedUriIsInvalid() {
    assertThatThrownBy(() -> ModelStore.open("file:///tmp/not a uri"))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.INVALID))
        .hasMessageContaining("file:///tmp/not a uri");
  }
}
