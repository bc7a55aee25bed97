package io.mlplatform.serving.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundleArchiveTest {

  @TempDir Path dir;

  @Test
  void acceptsNormalEntries() throws IOException {
    Path zip = zip("ok.zip", List.of("bundle.json", "root/", "root/model.json", "root/a.node/node.json"));

    assertThatCode(() -> BundleArchive.requireSafeEntries(zip)).doesNotThrowAnyException();
  }

  @Test
  void rejectsTraversalAndAbsoluteEntriesNamingEachOne() throws IOException {
    Path zip = zip("evil.zip", List.of("bundle.json", "../x", "/abs", "root/../../y", "root/model.json"));

    assertThatThrownBy(() -> BundleArchive.requireSafeEntries(zip))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("../x")
        .hasMessageContaining("/abs")
        .hasMessageContaining("root/../../y")
        .hasMessageNotContaining("root/model.json");
  }

  @Test
  void rejectsFilesThatAreNotZips() throws IOException {
    Path notZip = Files.writeString(dir.resolve("bundle.zip"), "not a zip");

    assertThatThrownBy(() -> BundleArchive.requireSafeEntries(notZip))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("not a readable zip");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "..", "a/../b", "a/..", "/etc/passwd", "\\abs", "..\\x", "a\\..\\b", "C:/x", "c:x", ""})
  void unsafeNames(String name) {
    assertThat(BundleArchive.isUnsafe(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"bundle.json", "root/", "root/x.node/model.json", "a..b", "..a/b", "a/b..", ".hidden"})
  void safeNames(String name) {
    assertThat(BundleArchive.isUnsafe(name)).isFalse();
  }

  private Path zip(String name, List<String> entries) throws IOException {
    Path zip = dir.resolve(name);
    try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
      for (String entry : entries) {
        out.putNextEntry(new ZipEntry(entry));
        if (!entry.endsWith("/")) {
          out.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        out.closeEntry();
      }
    }
    return zip;
  }
}
