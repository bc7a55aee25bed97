package io.mlplatform.store.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.StoreJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * A model's append-only history: one immutable file per event, {@code
 * MODEL/history/0000000001.json} and up. Never an append to one file (appends on HDFS and object
 * stores are unreliable or absent). An event takes the next free sequence number in a way that
 * fails if the number is taken (a move, or on object stores a unique name; see {@link
 * PublishProtocol}), so concurrent writers never overwrite each other.
 */
final class History {

  static final String DIR = Layout.HISTORY;
  // SEQUENCE.json; object stores add a random suffix (SEQUENCE-abcd1234.json), see MarkerPublish.
  private static final Pattern FILE = Pattern.compile("([0-9]{10})(-[0-9a-f]{8})?\\.json");
  // Each lost race costs one move; far more writers than this at once is not a real workload.
  private static final int MAX_APPEND_ATTEMPTS = 1000;

  private final FileOps ops;
  private final PublishProtocol protocol;

  History(FileOps ops, PublishProtocol protocol) {
    this.ops = ops;
    this.protocol = protocol;
  }

  /** The events of a model, oldest first; empty for a model without history. */
  List<HistoryEvent> read(Path modelDir, String model) {
    List<HistoryEvent> events = new ArrayList<>();
    List<FileStatus> files =
        new ArrayList<>(ModelStore.list(ops.reader(), new Path(modelDir, DIR)));
    // Names order events that share a sequence number (possible only on object stores).
    files.sort(java.util.Comparator.comparing(f -> f.getPath().getName()));
    for (FileStatus status : files) {
      Matcher name = FILE.matcher(status.getPath().getName());
      if (status.isFile() && name.matches()) {
        events.add(readEvent(status.getPath(), model).withSequence(Long.parseLong(name.group(1))));
      }
    }
    events.sort(java.util.Comparator.comparingLong(HistoryEvent::sequence));
    // Events that share a number follow each other; later events always get higher numbers, so
    // renumbering the ties keeps every event's number stable once written.
    for (int i = 1; i < events.size(); i++) {
      long previous = events.get(i - 1).sequence();
      if (events.get(i).sequence() <= previous) {
        events.set(i, events.get(i).withSequence(previous + 1));
      }
    }
    return events;
  }

  /** Adds an event under the next free sequence number, which the returned event carries. */
  HistoryEvent append(Path modelDir, Path stagingDir, HistoryEvent event) throws IOException {
    Path dir = new Path(modelDir, DIR);
    ops.mkdirs(dir);
    ops.mkdirs(stagingDir);
    long sequence = lastSequence(dir) + 1;
    for (int attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++, sequence++) {
      HistoryEvent numbered = event.withSequence(sequence);
      try {
        protocol.appendEvent(
            dir, stagingDir, sequence, StoreJson.mapper().writeValueAsBytes(numbered));
        return numbered;
      } catch (FileAlreadyExistsException e) {
        // Another writer took this number first; try the next one.
      }
    }
    throw new IOException(
        "gave up after " + MAX_APPEND_ATTEMPTS + " history sequence numbers were taken");
  }

  /**
   * The version an alias pointed at before its current one: the history's promotions form a stack
   * (a promotion pushes, a rollback pops back to its target), so repeated rollbacks walk further
   * back instead of flipping between two versions. Versions deleted since are skipped.
   */
  static OptionalInt previous(
      List<HistoryEvent> events, String alias, int current, IntPredicate exists) {
    Deque<Integer> reigns = new ArrayDeque<>();
    for (HistoryEvent event : events) {
      if (!alias.equals(event.alias()) || event.to() == null) {
        continue;
      }
      switch (event.action()) {
        case PROMOTE -> {
          // "from" is what the alias really held: it restores a change whose own event was lost.
          pushIfNew(reigns, event.from());
          pushIfNew(reigns, event.to());
        }
        case ROLLBACK -> {
          while (!reigns.isEmpty() && !reigns.peek().equals(event.to())) {
            reigns.pop();
          }
          if (reigns.isEmpty()) {
            reigns.push(event.to());
          }
        }
        default -> {}
      }
    }
    // The alias file is the truth: its current version is the reign being rolled back.
    while (!reigns.isEmpty() && (reigns.peek() == current || !exists.test(reigns.peek()))) {
      reigns.pop();
    }
    return reigns.isEmpty() ? OptionalInt.empty() : OptionalInt.of(reigns.peek());
  }

  private static void pushIfNew(Deque<Integer> reigns, Integer version) {
    if (version != null && (reigns.isEmpty() || !reigns.peek().equals(version))) {
      reigns.push(version);
    }
  }

  private long lastSequence(Path dir) {
    long last = 0;
    for (FileStatus status : ModelStore.list(ops.reader(), dir)) {
      Matcher name = FILE.matcher(status.getPath().getName());
      if (name.matches()) {
        last = Math.max(last, Long.parseLong(name.group(1)));
      }
    }
    return last;
  }

  private HistoryEvent readEvent(Path file, String model) {
    HistoryEvent event;
    try (InputStream in = ops.openSmall(file)) {
      event = StoreJson.mapper().readValue(in, HistoryEvent.class);
    } catch (JsonProcessingException | RuntimeException e) {
      throw malformed(file, model, e.getMessage(), e);
    } catch (IOException e) {
      // The file system failed, not the content: retrying may succeed.
      throw new StoreException(
          StoreException.Kind.IO,
          "cannot read history event "
              + file.getName()
              + " of "
              + model
              + " ("
              + file
              + "): "
              + e.getMessage(),
          e);
    }
    if (event == null || event.action() == null) {
      throw malformed(file, model, "it has no action", null);
    }
    return event;
  }

  private static StoreException malformed(Path file, String model, String why, Exception cause) {
    return new StoreException(
        StoreException.Kind.CORRUPT,
        "history event " + file.getName() + " of " + model + " is malformed (" + file + "): " + why,
        cause);
  }
}
