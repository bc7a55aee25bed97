package io.mlplatform.retraining;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One run per model at a time, across processes and restarts: a lock file created atomically, naming
 * the process that holds it and, once started, its training process. A lock whose holder and
 * training process are both gone (a killed scheduler) is stale and taken over; a lock whose training
 * process still runs is respected even if the scheduler that started it died.
 */
final class RunLock implements AutoCloseable {

  private final Path file;

  private RunLock(Path file) {
    this.file = file;
  }

  /** The lock, or empty with the holder described in {@code busy[0]}. */
  static Optional<RunLock> tryAcquire(Path file, String[] busy) throws IOException {
    Files.createDirectories(file.getParent());
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        Files.writeString(file, ProcessHandle.current().pid() + " 0", StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
        return Optional.of(new RunLock(file));
      } catch (FileAlreadyExistsException e) {
        String holder = holder(file);
        if (holder != null) {
          busy[0] = holder;
          return Optional.empty();
        }
        // Stale: whoever held it is gone.
        Files.deleteIfExists(file);
      }
    }
    busy[0] = "another process took the lock " + file + " at the same moment";
    return Optional.empty();
  }

  /** Records the training process, so that a restarted scheduler waits for it. */
  void child(long pid) throws IOException {
    Files.writeString(file, ProcessHandle.current().pid() + " " + pid, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(file);
  }

  /** Who holds the lock, or null when nobody alive does. */
  private static String holder(Path file) {
    String[] pids;
    try {
      pids = Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+");
    } catch (IOException e) {
      return null;
    }
    try {
      long owner = Long.parseLong(pids[0]);
      long child = pids.length > 1 ? Long.parseLong(pids[1]) : 0;
      if (alive(child)) {
        return "training process " + child + " (started by process " + owner + ") is still running";
      }
      if (alive(owner)) {
        return "process " + owner + " is running it";
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return null;
  }

  private static boolean alive(long pid) {
    return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
