package io.mlplatform.retraining;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One run per model at a time, across processes and restarts: a lock file naming the process that
 * holds it, the run's token and the host. It appears with its content in one step (written under a
 * temporary name, then hard-linked to the lock's name, which fails if the name is taken), so a
 * rival never reads it empty. The token is on the training command line from its first instant, so
 * a training process a killed scheduler left behind is recognised as this run, with no window
 * between starting it and recording it. A lock of this host whose holder is gone and whose token no
 * live process carries is stale and taken over; a lock of another host is never taken over, because
 * its process cannot be checked from here. Only the run that holds the lock removes it.
 */
final class RunLock implements AutoCloseable {

  private final Path file;
  private final String content;

  private RunLock(Path file, String content) {
    this.file = file;
    this.content = content;
  }

  /** The lock, or empty with the holder described in {@code busy[0]}. */
  static Optional<RunLock> tryAcquire(Path file, String token, String[] busy) throws IOException {
    Files.createDirectories(file.getParent());
    String content = ProcessHandle.current().pid() + " " + token + " " + host();
    for (int attempt = 0; attempt < 3; attempt++) {
      if (create(file, token, content)) {
        return Optional.of(new RunLock(file, content));
      }
      String existing = read(file);
      if (existing == null) {
        continue; // released meanwhile
      }
      String holder = holder(file, existing);
      if (holder != null) {
        busy[0] = holder;
        return Optional.empty();
      }
      // Stale. Move it aside in one step and check that what moved is the lock judged stale: a
      // rival
      // may have taken it over in between, and its live lock must go back.
      Path aside = file.resolveSibling(file.getFileName() + "." + token + ".stale");
      try {
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        continue;
      }
      if (!existing.equals(read(aside))) {
        try {
          Files.createLink(file, aside);
        } catch (FileAlreadyExistsException e) {
          // A third process took the name meanwhile; the lock is its now.
        }
        Files.deleteIfExists(aside);
        break;
      }
      Files.delete(aside);
    }
    busy[0] = "another process took the lock " + file + " at the same moment";
    return Optional.empty();
  }

  /** Removes the lock if this run still holds it; a lock another run holds now stays. */
  @Override
  public void close() throws IOException {
    if (content.equals(read(file))) {
      Files.deleteIfExists(file);
    }
  }

  /** This machine's name, as recorded in the lock. */
  static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "unknown" : env.trim();
    }
  }

  /** Creates the lock with its content in one step; false if the name is taken. */
  private static boolean create(Path file, String token, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + "." + token + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    try {
      Files.createLink(file, tmp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException | FileSystemException e) {
      // No hard links here: create and write, leaving a short window in which the lock reads empty
      // (an empty lock is then taken for stale).
      try {
        Files.writeString(
            file,
            content,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException taken) {
        return false;
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  /** Who holds the lock, or null when nobody alive does. */
  private static String holder(Path file, String content) {
    String[] parts = content.trim().split("\\s+");
    long owner;
    try {
      owner = Long.parseLong(parts[0]);
    } catch (NumberFormatException e) {
      return null;
    }
    if (parts.length > 2 && !parts[2].equals(host())) {
      return "process "
          + owner
          + " on host "
          + parts[2]
          + " holds "
          + file
          + " (it cannot be checked from here;"
          + " if that host's scheduler is gone, delete the lock)";
    }
    if (owner > 0 && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
      return "process " + owner + " is running it";
    }
    if (parts.length > 1 && !parts[1].isBlank()) {
      String token = parts[1];
      Optional<ProcessHandle> orphan =
          ProcessHandle.allProcesses()
              .filter(p -> p.info().commandLine().map(c -> c.contains(token)).orElse(false))
              .findFirst();
      if (orphan.isPresent()) {
        return "training process "
            + orphan.get().pid()
            + " (started by process "
            + owner
            + ", which is gone) is still running";
      }
    }
    return null;
  }
}
