package io.mlplatform.serving.lifecycle.bundle;

import io.mlplatform.serving.scoring.BundleCheck;
import io.mlplatform.serving.scoring.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks a bundle zip before MLeap opens it. MLeap 0.20 predates its zip-slip fix (0.23.1), so an
 * entry named {@code ../x} or {@code /x} could be written outside the bundle's directory; it also
 * reads entries into memory, so an archive that expands to gigabytes would exhaust the heap. Every
 * check reads the archive; nothing is written anywhere.
 */
public final class BundleArchive implements BundleCheck {

  private static final int MAX_LISTED = 10;

  private final long maxExpandedBytes;
  private final int maxEntries;

  /**
   * @param maxExpandedBytes most bytes all entries may expand to together
   * @param maxEntries most entries the archive may have
   */
  public BundleArchive(long maxExpandedBytes, int maxEntries) {
    this.maxExpandedBytes = maxExpandedBytes;
    this.maxEntries = maxEntries;
  }

  /** The limits of {@code ModelsSection.DEFAULTS}. */
  public static BundleArchive withDefaultLimits() {
    return new BundleArchive(1L << 30, 10_000);
  }

  /**
   * @throws ModelLoadException naming every unsafe entry, or saying which limit was passed, or when
   *     the file is not a readable zip
   */
  @Override
  public void check(Path zip) {
    List<ZipDirectory.Entry> entries = ZipDirectory.read(zip);
    if (entries.size() > maxEntries) {
      throw new ModelLoadException(
          "bundle rejected: "
              + entries.size()
              + " zip entries, at most "
              + maxEntries
              + " are allowed");
    }
    List<String> unsafe = new ArrayList<>();
    List<String> links = new ArrayList<>();
    List<String> duplicates = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ZipDirectory.Entry entry : entries) {
      if (isUnsafe(entry.name())) {
        unsafe.add(entry.name());
      }
      if (entry.symlink()) {
        links.add(entry.name());
      }
      // Two entries with one name: which one MLeap reads depends on its zip implementation.
      if (!seen.add(entry.name())) {
        duplicates.add(entry.name());
      }
    }
    List<String> problems = new ArrayList<>();
    if (!unsafe.isEmpty()) {
      problems.add("unsafe zip entry names " + first(unsafe));
    }
    if (!links.isEmpty()) {
      problems.add("symbolic links " + first(links));
    }
    if (!duplicates.isEmpty()) {
      problems.add("duplicate entries " + first(duplicates));
    }
    if (!problems.isEmpty()) {
      throw new ModelLoadException("bundle rejected: " + String.join("; ", problems));
    }
    requireExpandedSizeWithinLimit(zip, entries.size());
  }

  /**
   * Expands every entry and counts real bytes: declared sizes are written by whoever made the zip.
   */
  private void requireExpandedSizeWithinLimit(Path zip, int expectedEntries) {
    long total = 0;
    byte[] buffer = new byte[64 * 1024];
    try (ZipFile file = new ZipFile(zip.toFile())) {
      if (file.size() != expectedEntries) {
        throw new ModelLoadException("bundle is not a valid zip archive (entry count mismatch)");
      }
      for (Enumeration<? extends ZipEntry> it = file.entries(); it.hasMoreElements(); ) {
        ZipEntry entry = it.nextElement();
        try (InputStream in = file.getInputStream(entry)) {
          for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
            if (total > maxExpandedBytes) {
              throw new ModelLoadException(
                  "bundle rejected: it expands to more than " + maxExpandedBytes + " bytes");
            }
          }
        }
      }
    } catch (IOException e) {
      throw new ModelLoadException("bundle is not a readable zip archive: " + e.getMessage(), e);
    }
  }

  private static String first(List<String> names) {
    return names.size() <= MAX_LISTED
        ? names.toString()
        : names.subList(0, MAX_LISTED) + " and " + (names.size() - MAX_LISTED) + " more";
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
