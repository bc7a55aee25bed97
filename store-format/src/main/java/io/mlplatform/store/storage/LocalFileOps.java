package io.mlplatform.store.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system through java.nio, because Hadoop's local renames are not atomic: it checks
 * the target and then renames, and when rename(2) fails it falls back to a copy that lands inside
 * an existing target directory and reports success.
 */
final class LocalFileOps extends FileOps {

  private final RawLocalFileSystem raw;
  // Tests only: the renames and syncs in the order they happen, since a power loss cannot be
  // simulated.
  private List<String> journal;

  LocalFileOps(FileSystem fs, RawLocalFileSystem raw) {
    super(fs);
    this.raw = raw;
  }

  /**
   * Records every rename and sync into {@code entries} ("sync PATH", "moveNoReplace SRC DST", ...).
   */
  LocalFileOps journal(List<String> entries) {
    this.journal = entries;
    return this;
  }

  private void note(String entry) {
    if (journal != null) {
      journal.add(entry);
    }
  }

  /**
   * Without a native Hadoop library, Hadoop's local mkdirs forks a chmod process per directory,
   * which costs more than the rest of a small change together. The umask decides permissions either
   * way.
   */
  @Override
  void mkdirs(Path dir) throws IOException {
    Files.createDirectories(local(dir));
  }

  /** Written without Hadoop's .crc side file, which a java.nio move would leave behind. */
  @Override
  void writeFile(Path file, byte[] content) throws IOException {
    Files.write(local(file), content);
  }

  /**
   * A directory: rename(2) refuses a non-empty target and a version directory always holds its
   * bundle, so only an existing empty directory needs the check first. A file: link(2) creates the
   * name only if it is free, atomically, then the temporary name goes.
   */
  @Override
  void moveNoReplace(Path src, Path dst) throws IOException {
    java.nio.file.Path from = local(src);
    java.nio.file.Path to = local(dst);
    if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
      if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
        throw new FileAlreadyExistsException("rename destination " + dst + " already exists");
      }
      syncTree(from);
      note("moveNoReplace " + from + " " + to);
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      sync(to.getParent());
      return;
    }
    sync(from);
    note("moveNoReplace " + from + " " + to);
    try {
      Files.createLink(to, from);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException("rename destination " + dst + " already exists");
    } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
      // No hard links here (some network and FUSE file systems): check, then rename. Two writers
      // racing for the same name in between could both succeed, the later replacing the earlier.
      if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
        throw new FileAlreadyExistsException("rename destination " + dst + " already exists");
      }
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      sync(to.getParent());
      return;
    }
    Files.delete(from);
    sync(to.getParent());
  }

  /**
   * rename(2) replaces a file atomically. A checksum side file a Hadoop client may have written for
   * the old content would no longer match, so it goes too.
   */
  @Override
  void replace(Path src, Path dst) throws IOException {
    java.nio.file.Path to = local(dst);
    sync(local(src));
    note("replace " + local(src) + " " + to);
    Files.move(local(src), to, StandardCopyOption.ATOMIC_MOVE);
    Files.deleteIfExists(to.resolveSibling("." + to.getFileName() + ".crc"));
    sync(to.getParent());
  }

  /**
   * Durability (issue 16 item 7): rename(2) is atomic but not durable, and after a power loss a
   * file renamed before its data reached the disk can come back empty under its new name. So every
   * file is forced to disk before the rename that publishes it, then its directory (so that the
   * names in it are too), and after the rename the directory holding the new name.
   */
  private void syncTree(java.nio.file.Path dir) throws IOException {
    List<java.nio.file.Path> dirs = new ArrayList<>();
    try (Stream<java.nio.file.Path> tree = Files.walk(dir)) {
      for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) tree::iterator) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          dirs.add(p);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          sync(p);
        }
      }
    }
    // Deepest first, so that each directory is synced after the entries in it.
    Collections.reverse(dirs);
    for (java.nio.file.Path d : dirs) {
      sync(d);
    }
  }

  /** fsync(2) of a file or a directory (Linux opens a directory read-only for it). */
  private void sync(java.nio.file.Path path) throws IOException {
    note("sync " + path);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Without checksum verification: a stale side file must not make a replaced alias unreadable. */
  @Override
  FileSystem reader() {
    return raw;
  }

  private java.nio.file.Path local(Path path) {
    return raw.pathToFile(path).toPath();
  }
}
