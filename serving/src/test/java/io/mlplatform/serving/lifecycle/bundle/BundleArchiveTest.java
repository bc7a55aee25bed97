package io.mlplatform.serving.lifecycle.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlplatform.serving.scoring.ModelLoadException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundleArchiveTest {

  @TempDir Path dir;
  private final BundleArchive archive = new BundleArchive(1_000_000, 50);

  @Test
  void acceptsNormalEntries() throws IOException {
    Path zip =
        zip("ok.zip", List.of("bundle.json", "root/", "root/model.json", "root/a.node/node.json"));

    assertThatCode(() -> archive.check(zip)).doesNotThrowAnyException();
  }

  @Test
  void rejectsTraversalAndAbsoluteEntriesNamingEachOne() throws IOException {
    Path zip =
        zip(
            "evil.zip",
            List.of("bundle.json", "../x", "../d/", "/abs", "root/../../y", "root/model.json"));

    assertThatThrownBy(() -> archive.check(zip))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("../x")
        .hasMessageContaining("../d/")
        .hasMessageContaining("/abs")
        .hasMessageContaining("root/../../y")
        .hasMessageNotContaining("root/model.json");
  }

  @Test
  void rejectsSymbolicLinks() throws IOException {
    Path zip = zip("link.zip", List.of("bundle.json", "root/link"));
    markAsSymlink(zip, "root/link");

    assertThatThrownBy(() -> archive.check(zip))
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("bundle rejected: symbolic links [root/link]");
  }

  @Test
  void rejectsArchivesThatExpandPastTheCap() throws IOException {
    // 2 MB of zeros compress to a few KB: the declared sizes look harmless, the expansion is not.
    Path zip = dir.resolve("bomb.zip");
    try (OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(file)) {
      out.putNextEntry(new ZipEntry("bundle.json"));
      out.write(new byte[2_000_000]);
      out.closeEntry();
    }
    assertThat(Files.size(zip)).isLessThan(100_000);

    assertThatThrownBy(() -> archive.check(zip))
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("bundle rejected: it expands to more than 1000000 bytes");
  }

  @Test
  void rejectsTooManyEntries() throws IOException {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      names.add("root/n" + i + ".json");
    }
    Path zip = zip("many.zip", names);

    assertThatThrownBy(() -> archive.check(zip))
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("bundle rejected: 51 zip entries, at most 50 are allowed");
  }

  @Test
  void rejectsDuplicateEntries() throws IOException {
    Path zip = zip("dup.zip", List.of("bundle.json", "root/model.json", "root/xodel.json"));
    rename(zip, "root/xodel.json", "root/model.json");

    assertThatThrownBy(() -> archive.check(zip))
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("bundle rejected: duplicate entries [root/model.json]");
  }

  @Test
  void rejectsFilesThatAreNotZips() throws IOException {
    Path notZip =
        Files.writeString(dir.resolve("bundle.zip"), "not a zip, but long enough to be searched");
    Path truncated = zip("cut.zip", List.of("bundle.json", "root/model.json"));
    byte[] bytes = Files.readAllBytes(truncated);
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 30));

    assertThatThrownBy(() -> archive.check(notZip))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("not a zip archive");
    assertThatThrownBy(() -> archive.check(truncated)).isInstanceOf(ModelLoadException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../x",
        "..",
        "a/../b",
        "a/..",
        "/etc/passwd",
        "\\abs",
        "..\\x",
        "a\\..\\b",
        "C:/x",
        "c:x",
        ""
      })
  void unsafeNames(String name) {
    assertThat(BundleArchive.isUnsafe(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bundle.json",
        "root/",
        "root/x.node/model.json",
        "a..b",
        "..a/b",
        "a/b..",
        ".hidden"
      })
  void safeNames(String name) {
    assertThat(BundleArchive.isUnsafe(name)).isFalse();
  }

  private Path zip(String name, List<String> entries) throws IOException {
    Path zip = dir.resolve(name);
    try (OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(file)) {
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

  /**
   * Java's ZipOutputStream cannot write Unix modes, so the central-directory record is patched the
   * way Info-ZIP writes a link: "made by" Unix, mode 0120777 in the high half of the attributes.
   */
  static void markAsSymlink(Path zip, String entry) throws IOException {
    patchCentralRecord(
        zip,
        entry,
        (buffer, record) -> {
          buffer.putShort(record + 4, (short) 0x031E);
          buffer.putInt(record + 38, 0120777 << 16);
        });
  }

  private static void rename(Path zip, String from, String to) throws IOException {
    assertThat(from.length()).isEqualTo(to.length());
    patchCentralRecord(
        zip,
        from,
        (buffer, record) -> {
          byte[] name = to.getBytes(StandardCharsets.UTF_8);
          for (int i = 0; i < name.length; i++) {
            buffer.put(record + 46 + i, name[i]);
          }
        });
  }

  private interface Patch {
    void apply(ByteBuffer buffer, int record);
  }

  private static void patchCentralRecord(Path zip, String entry, Patch patch) throws IOException {
    byte[] bytes = Files.readAllBytes(zip);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte[] name = entry.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + 46 + name.length <= bytes.length; i++) {
      if (buffer.getInt(i) == 0x02014b50
          && Short.toUnsignedInt(buffer.getShort(i + 28)) == name.length
          && new String(bytes, i + 46, name.length, StandardCharsets.UTF_8).equals(entry)) {
        patch.apply(buffer, i);
        Files.write(zip, bytes);
        return;
      }
    }
    throw new IllegalStateException("no central record for " + entry);
  }
}
