package io.mlplatform.retraining;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One run per model at a time, across processes and restarts: a lock file created atomically, naming
 * the process that holds it and the run's token. The token is on the training command line from its
 * first instant, so a training process a killed scheduler left behind is recognised as this run, with
 * no window between starting it and recording it. A lock whose holder is gone and whose token no
 * live process carries is stale and taken over.
 */
final class RunLock implements AutoCloseable {

  private final Path file;

  private RunLock(Path file) {
    this.file = file;
  }

  /** The lock, or empty with the holder described in {@code busy[0]}. */
  static Optional<RunLock> tryAcquire(Path file, String token, String[] busy) throws IOException {
    Files.createDirectories(file.getParent());
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        Files.writeString(file, ProcessHandle.current().pid() + " " + token, StandardCharsets.UTF_8,
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

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(file);
  }

  /** Who holds the lock, or null when nobody alive does. */
  private static String holder(Path file) {
    String[] parts;
    try {
      parts = Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+");
    } catch (IOException e) {
      return null;
    }
    long owner;
    try {
      owner = Long.parseLong(parts[0]);
    } catch (NumberFormatException e) {
      return null;
    }
    if (owner > 0 && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
      return "process " + owner + " is running it";
    }
    if (parts.length > 1 && !parts[1].isBlank()) {
      String token = parts[1];
      Optional<ProcessHandle> orphan = ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().map(c -> c.contains(token)).orElse(false)).findFirst();
      if (orphan.isPresent()) {
        return "training process " + orphan.get().pid() + " (started by process " + owner
            + ", which is gone) is still running";
      }
    }
    return null;
  }
}
