package io.mlplatform.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The store and registry contracts on the local file system, plus how local locations are spelled. */
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
    assertThat(version.resolve(ModelStore.BUNDLE)).hasBinaryContent(bytes("on disk"));
    assertThat(version.resolve(ModelStore.MANIFEST)).isRegularFile();
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
    staging.putFile(ModelStore.BUNDLE, localFile("b.zip", bytes("shared")));
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
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.INVALID));
  }

  @Test
  void unknownSchemeFailsToOpenNamingTheLocation() {
    assertThatThrownBy(() -> ModelStore.open("nosuchfs://somewhere/store"))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.IO))
        .hasMessageContaining("nosuchfs://somewhere/store");
  }

  @Test
  void malformedUriIsInvalid() {
    assertThatThrownBy(() -> ModelStore.open("file:///tmp/not a uri"))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.INVALID))
        .hasMessageContaining("file:///tmp/not a uri");
  }
}
