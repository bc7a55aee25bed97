package io.mlplatform.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * A model's append-only history: one immutable file per event, {@code MODEL/history/0000000001.json}
 * and up. Never an append to one file (appends on HDFS and object stores are unreliable or absent).
 * An event is written under a temporary name and then moved to the next free sequence number with a
 * move that fails if the number is taken, so concurrent writers never overwrite each other.
 */
final class History {

  static final String DIR = "history";
  private static final Pattern FILE = Pattern.compile("([0-9]{10})\\.json");
  // Each lost race costs one move; far more writers than this at once is not a real workload.
  private static final int MAX_APPEND_ATTEMPTS = 1000;

  private final FileOps ops;

  History(FileOps ops) {
    this.ops = ops;
  }

  /** The events of a model, oldest first; empty for a model without history. */
  List<HistoryEvent> read(Path modelDir, String model) {
    List<HistoryEvent> events = new ArrayList<>();
    for (FileStatus status : ModelStore.list(ops.reader(), new Path(modelDir, DIR))) {
      Matcher name = FILE.matcher(status.getPath().getName());
      if (status.isFile() && name.matches()) {
        events.add(readEvent(status.getPath(), model).withSequence(Long.parseLong(name.group(1))));
      }
    }
    events.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
    return events;
  }

  /** Adds an event under the next free sequence number, which the returned event carries. */
  HistoryEvent append(Path modelDir, Path stagingDir, HistoryEvent event) throws IOException {
    Path dir = new Path(modelDir, DIR);
    Path tmp = new Path(stagingDir, "event-" + UUID.randomUUID() + ".json");
    ops.mkdirs(dir);
    ops.mkdirs(stagingDir);
    long sequence = lastSequence(dir) + 1;
    for (int attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++, sequence++) {
      HistoryEvent numbered = event.withSequence(sequence);
      ops.writeFile(tmp, StoreJson.mapper().writeValueAsBytes(numbered));
      try {
        ops.moveNoReplace(tmp, new Path(dir, String.format(Locale.ROOT, "%010d.json", sequence)));
        return numbered;
      } catch (FileAlreadyExistsException e) {
        // Another writer took this number first; try the next one.
      }
    }
    ops.delete(tmp);
    throw new IOException("gave up after " + MAX_APPEND_ATTEMPTS + " history sequence numbers were taken");
  }

  /**
   * The version an alias pointed at before its current one: the history's promotions form a stack
   * (a promotion pushes, a rollback pops back to its target), so repeated rollbacks walk further back
   * instead of flipping between two versions. Versions deleted since are skipped.
   */
  static OptionalInt previous(List<HistoryEvent> events, String alias, int current, IntPredicate exists) {
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
        default -> { }
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
    try (InputStream in = ops.reader().open(file)) {
      HistoryEvent event = StoreJson.mapper().readValue(in, HistoryEvent.class);
      if (event == null || event.action() == null) {
        throw new IOException("it has no action");
      }
      return event;
    } catch (IOException | RuntimeException e) {
      throw new StoreException(StoreException.Kind.CORRUPT, "history event " + file.getName() + " of " + model
          + " is malformed (" + file + "): " + e.getMessage(), e);
    }
  }
}
