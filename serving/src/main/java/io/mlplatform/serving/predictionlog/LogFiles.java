package io.mlplatform.serving.predictionlog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The open files of the log, one per model, each under {@code ROOT/MODEL/date=YYYY-MM-DD/}. A file
 * is written as {@code _inprogress-NAME.part} (hidden from Spark and from a {@code *.jsonl} glob)
 * and renamed to {@code NAME} = {@code REPLICA-START_MILLIS-SEQ.jsonl} when it rolls: once it holds
 * {@code rollBytes}, once it is {@code rollMillis} old, when the UTC day changes, and at shutdown.
 * Only the writer thread uses it.
 */
final class LogFiles {

  static final String IN_PROGRESS_PREFIX = "_inprogress-";
  static final String IN_PROGRESS_SUFFIX = ".part";
  static final String SUFFIX = ".jsonl";
  private static final int BUFFER_BYTES = 64 * 1024;

  /** What a roll published, for the counters. */
  interface Published {
    void file(long bytes);
  }

  private static final class Open {
    final Path inProgress;
    final Path done;
    final LocalDate day;
    final long startMillis;
    final OutputStream out;
    long bytes;

    Open(Path inProgress, Path done, LocalDate day, long startMillis, OutputStream out) {
      this.inProgress = inProgress;
      this.done = done;
      this.day = day;
      this.startMillis = startMillis;
      this.out = out;
    }
  }

  private final FileSystem fs;
  private final Path root;
  private final String replica;
  private final long rollBytes;
  private final long rollMillis;
  private final Published published;
  private final Map<String, Open> open = new HashMap<>();
  private long seq;

  LogFiles(
      FileSystem fs,
      Path root,
      String replica,
      long rollBytes,
      long rollMillis,
      Published published) {
    this.fs = fs;
    this.root = root;
    this.replica = replica;
    this.rollBytes = rollBytes;
    this.rollMillis = rollMillis;
    this.published = published;
  }

  static LocalDate day(long epochMillis) {
    return LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
  }

  /** Appends one record (whole lines) to the model's file, opening or rolling files as needed. */
  void write(String model, long atMillis, long nowMillis, ByteArrayOutputStream record)
      throws IOException {
    Open file = open.get(model);
    if (file != null && !file.day.equals(day(atMillis))) {
      roll(model);
      file = null;
    }
    if (file == null) {
      file = create(model, atMillis, nowMillis);
    }
    record.writeTo(file.out);
    file.bytes += record.size();
    if (file.bytes >= rollBytes) {
      roll(model);
    }
  }

  /** Rolls every file open for {@code rollMillis} or longer. */
  void rollDue(long nowMillis) throws IOException {
    List<String> due = new ArrayList<>();
    open.forEach(
        (model, file) -> {
          if (nowMillis - file.startMillis >= rollMillis) {
            due.add(model);
          }
        });
    for (String model : due) {
      roll(model);
    }
  }

  /** Rolls every open file; tries them all and throws the first failure. */
  void rollAll() throws IOException {
    IOException first = null;
    for (String model : new ArrayList<>(open.keySet())) {
      try {
        roll(model);
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * Forgets every open file after a failure, closing what can be closed: the stream is broken, so
   * its {@code _inprogress} file stays behind, unpublished.
   */
  void abandonAll() {
    for (Open file : open.values()) {
      try {
        file.out.close();
      } catch (IOException | RuntimeException e) {
        // already failing; the caller reports the outage
      }
    }
    open.clear();
  }

  int openFiles() {
    return open.size();
  }

  private Open create(String model, long atMillis, long nowMillis) throws IOException {
    LocalDate day = day(atMillis);
    String name = replica + "-" + nowMillis + "-" + (seq++) + SUFFIX;
    Path dir = new Path(new Path(root, model), "date=" + day);
    Path inProgress = new Path(dir, IN_PROGRESS_PREFIX + name + IN_PROGRESS_SUFFIX);
    // overwrite=false: names are unique per process, so an existing file is someone else's.
    Open file =
        new Open(inProgress, new Path(dir, name), day, nowMillis, fs.create(inProgress, false));
    open.put(model, file);
    return file;
  }

  private void roll(String model) throws IOException {
    Open file = open.remove(model);
    if (file == null) {
      return;
    }
    file.out.close();
    // The target name is unique, so FileSystem.rename's quirks (moving into an existing directory,
    // false on an existing file) cannot apply; false still means not published.
    if (!fs.rename(file.inProgress, file.done)) {
      throw new IOException("renaming " + file.inProgress + " to " + file.done + " failed");
    }
    published.file(file.bytes);
  }
}
