package io.mlplatform.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system through java.nio, because Hadoop's local renames are not atomic: it checks the
 * target and then renames, and when rename(2) fails it falls back to a copy that lands inside an
 * existing target directory and reports success.
 */
final class LocalFileOps extends FileOps {

  private final RawLocalFileSystem raw;

  LocalFileOps(FileSystem fs, RawLocalFileSystem raw) {
    super(fs);
    this.raw = raw;
  }

  /**
   * Without a native Hadoop library, Hadoop's local mkdirs forks a chmod process per directory, which
   * costs more than the rest of a small change together. The umask decides permissions either way.
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
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
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
      return;
    }
    Files.delete(from);
  }

  /**
   * rename(2) replaces a file atomically. A checksum side file a Hadoop client may have written for
   * the old content would no longer match, so it goes too.
   */
  @Override
  void replace(Path src, Path dst) throws IOException {
    java.nio.file.Path to = local(dst);
    Files.move(local(src), to, StandardCopyOption.ATOMIC_MOVE);
    Files.deleteIfExists(to.resolveSibling("." + to.getFileName() + ".crc"));
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
