package io.mlplatform.training.monitor;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The finished files of a model's prediction log: {@code ROOT/MODEL/date=YYYY-MM-DD/*.jsonl}. A
 * file being written starts with {@code _} or {@code .} and does not end in {@code .jsonl}, so it
 * is never read half-written. {@code since} skips whole days before it.
 */
final class LogFiles {

  private static final String DATE = "date=";

  private LogFiles() {}

  /**
   * @param root the log's root, a local path or a Hadoop URI
   * @return the files' fully qualified URIs, sorted
   */
  static List<String> list(String root, String model, Instant since, Configuration conf) {
    Path dir = new Path(qualify(root), model);
    LocalDate first = since == null ? null : since.atZone(ZoneOffset.UTC).toLocalDate();
    List<String> files = new ArrayList<>();
    try {
      FileSystem fs = dir.getFileSystem(conf);
      for (FileStatus day : listOrEmpty(fs, dir)) {
        String name = day.getPath().getName();
        if (!day.isDirectory() || !name.startsWith(DATE) || before(name, first)) {
          continue;
        }
        for (FileStatus file : listOrEmpty(fs, day.getPath())) {
          String f = file.getPath().getName();
          if (file.isFile() && f.endsWith(".jsonl") && !f.startsWith("_") && !f.startsWith(".")) {
            files.add(fs.makeQualified(file.getPath()).toString());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the prediction log " + dir, e);
    }
    files.sort(null);
    return files;
  }

  /** Where {@link #list} looks, for messages. */
  static String pattern(String root, String model) {
    return new Path(qualify(root), model) + "/date=*/*.jsonl";
  }

  private static boolean before(String dirName, LocalDate first) {
    if (first == null) {
      return false;
    }
    try {
      return LocalDate.parse(dirName.substring(DATE.length())).isBefore(first);
    } catch (DateTimeParseException e) {
      return true; // not a partition the log writes
    }
  }

  private static FileStatus[] listOrEmpty(FileSystem fs, Path dir) throws IOException {
    try {
      return fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return new FileStatus[0];
    }
  }

  /** A plain path is a local one (relative to the working directory), as the store's are. */
  static Path qualify(String root) {
    if (root.matches("^[A-Za-z][A-Za-z0-9+.-]+:/.*")) {
      return new Path(URI.create(root));
    }
    return new Path(java.nio.file.Path.of(root).toAbsolutePath().normalize().toUri());
  }
}
