package io.mlplatform.serving.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks a bundle zip before MLeap opens it. MLeap 0.20 predates its zip-slip fix (0.23.1), so an
 * entry named {@code ../x} or {@code /x} could be written outside the bundle's directory.
 */
public final class BundleArchive {

  private BundleArchive() {}

  /**
   * @throws ModelLoadException naming every unsafe entry, or when the file is not a readable zip
   */
  public static void requireSafeEntries(Path zip) {
    List<String> unsafe = new ArrayList<>();
    try (ZipFile file = new ZipFile(zip.toFile())) {
      for (Enumeration<? extends ZipEntry> entries = file.entries(); entries.hasMoreElements(); ) {
        String name = entries.nextElement().getName();
        if (isUnsafe(name)) {
          unsafe.add(name);
        }
      }
    } catch (IOException e) {
      throw new ModelLoadException("bundle is not a readable zip archive: " + e.getMessage(), e);
    }
    if (!unsafe.isEmpty()) {
      throw new ModelLoadException("bundle rejected: unsafe zip entry names " + unsafe);
    }
  }

  /** Absolute names, drive letters, NUL bytes and any {@code ..} segment (either separator). */
  static boolean isUnsafe(String name) {
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      return true;
    }
    String normalized = name.replace('\\', '/');
    if (normalized.startsWith("/") || normalized.matches("^[A-Za-z]:.*")) {
      return true;
    }
    for (String segment : normalized.split("/")) {
      if (segment.equals("..")) {
        return true;
      }
    }
    return false;
  }
}
