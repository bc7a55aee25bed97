package io.mlplatform.store.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Every change the store makes to its file system, each step as atomic as that file system allows
 * (STORE.md explains which guarantee comes from where). File reads and all writes pass through here
 * so that tests can make any single step, or any read, fail.
 */
abstract class FileOps {

  // Object stores reached through Hadoop connectors: no atomic rename (copy + delete), but a single
  // PUT replaces an object atomically. Other file systems get HDFS semantics through FileContext.
  private static final Set<String> OBJECT_STORES =
      Set.of("s3a", "s3", "s3n", "gs", "oss", "cosn", "obs");

  final FileSystem fs;

  FileOps(FileSystem fs) {
    this.fs = fs;
  }

  static FileOps of(FileSystem fs, FileContext fc) {
    String scheme = fs.getUri().getScheme();
    if (scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(Locale.ROOT))) {
      return new ObjectStoreFileOps(fs, fc);
    }
    FileSystem raw = fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    if (raw instanceof RawLocalFileSystem rawLocal) {
      return new LocalFileOps(fs, rawLocal);
    }
    return new RenamingFileOps(fs, fc);
  }

  void mkdirs(Path dir) throws IOException {
    fs.mkdirs(dir);
  }

  /** A new file in a staging directory; replaces one of the same name. */
  OutputStream create(Path file) throws IOException {
    return fs.create(file, true);
  }

  void copyFromLocal(java.nio.file.Path localFile, Path file) throws IOException {
    fs.copyFromLocalFile(false, true, new Path(localFile.toAbsolutePath().toUri()), file);
  }

  /** Writes a small file (an alias or a history event) under a temporary name. */
  void writeFile(Path file, byte[] content) throws IOException {
    try (OutputStream out = fs.create(file, true)) {
      out.write(content);
    }
  }

  /**
   * Creates a small file in one write, failing with FileAlreadyExistsException if the name exists.
   */
  void createNew(Path file, byte[] content) throws IOException {
    try (OutputStream out = fs.create(file, false)) {
      out.write(content);
    }
  }

  /** Copies one file within the store, replacing the target. */
  void copy(Path src, Path dst) throws IOException {
    try (InputStream in = fs.open(src);
        OutputStream out = fs.create(dst, true)) {
      in.transferTo(out);
    }
  }

  /** Whether renames here are copies, so that publishing needs {@link MarkerPublish}. */
  boolean objectStore() {
    return false;
  }

  /**
   * Where the store's small files (aliases, history events) are read from. They are replaced by
   * moves, which keep no checksum side file in step with them.
   */
  FileSystem reader() {
    return fs;
  }

  /** Opens a version's file (manifest, reference rows, bundle) for reading. */
  InputStream open(Path file) throws IOException {
    return fs.open(file);
  }

  /**
   * Opens one of the store's small files (an alias, a history event, a claim) through {@link
   * #reader()}.
   */
  InputStream openSmall(Path file) throws IOException {
    return reader().open(file);
  }

  /** Deletes a file or a directory tree; a missing path is not an error. */
  void delete(Path path) throws IOException {
    fs.delete(path, true);
  }

  /**
   * Gives a complete file or directory its final name in one step, failing with Hadoop's
   * FileAlreadyExistsException (or another IOException while the target exists) if the name is
   * taken.
   */
  abstract void moveNoReplace(Path src, Path dst) throws IOException;

  /**
   * Replaces the file {@code dst} with the complete file {@code src}: readers see the old or the
   * new one.
   */
  abstract void replace(Path src, Path dst) throws IOException;
}
