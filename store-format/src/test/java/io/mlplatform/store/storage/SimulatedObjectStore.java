package io.mlplatform.store.storage;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * An {@code s3a://} file system with the semantics of Hadoop 3.3.4's S3A on S3 that the store
 * depends on, kept in a local directory: an object appears complete when its writer closes (one
 * PUT); create-if-absent checks first and PUTs later, with a gap in which a rival can do the same
 * (a configurable delay widens it); rename copies file by file and then deletes, so a reader can
 * see a half-renamed directory. Paths map one to one: {@code s3a://bucket/tmp/x} is the local
 * {@code /tmp/x}. core-site.xml in the test resources installs it for the scheme, as hadoop-aws
 * would.
 */
public class SimulatedObjectStore extends RawLocalFileSystem {

  /** Milliseconds between the existence check of create(overwrite=false) and the PUT. */
  static final String PUT_DELAY_KEY = "fs.s3a.simulated.put-delay-ms";

  /** Milliseconds between the files a rename copies, so readers can catch it half done. */
  static final String COPY_DELAY_KEY = "fs.s3a.simulated.copy-delay-ms";

  private URI uri;
  private long putDelay;
  private long copyDelay;

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    try {
      uri = new URI("s3a", name.getAuthority(), "/", null, null);
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    super.initialize(name, conf);
    putDelay = conf.getLong(PUT_DELAY_KEY, 0);
    copyDelay = conf.getLong(COPY_DELAY_KEY, 0);
  }

  @Override
  public URI getUri() {
    // RawLocalFileSystem's constructor asks before initialize.
    return uri == null ? URI.create("s3a://bucket/") : uri;
  }

  @Override
  public String getScheme() {
    return "s3a";
  }

  @Override
  public FSDataOutputStream create(
      Path f,
      FsPermission permission,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    return put(f, overwrite);
  }

  @Override
  public FSDataOutputStream create(
      Path f,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    return put(f, overwrite);
  }

  @Override
  public FSDataOutputStream createNonRecursive(
      Path f,
      FsPermission permission,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    return put(f, overwrite);
  }

  /**
   * Buffers the object and makes it appear, whole, on close; the check for "absent" is done now.
   */
  private FSDataOutputStream put(Path f, boolean overwrite) throws IOException {
    java.nio.file.Path target = pathToFile(f).toPath();
    if (Files.isDirectory(target)) {
      throw new FileAlreadyExistsException(f + " is a directory");
    }
    if (!overwrite && Files.exists(target)) {
      throw new FileAlreadyExistsException(f + " already exists");
    }
    OutputStream object =
        new ByteArrayOutputStream() {
          private boolean closed;

          @Override
          public void close() throws IOException {
            if (closed) {
              return;
            }
            closed = true;
            pause(putDelay);
            Files.createDirectories(target.getParent());
            java.nio.file.Path part =
                target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID());
            Files.write(part, toByteArray());
            Files.move(
                part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          }
        };
    return new FSDataOutputStream(object, statistics);
  }

  /** Hidden part files of unfinished PUTs are not objects yet. */
  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    return java.util.Arrays.stream(super.listStatus(f))
        .filter(s -> !s.getPath().getName().startsWith("."))
        .map(SimulatedObjectStore::plain)
        .toArray(FileStatus[]::new);
  }

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    return plain(super.getFileStatus(f));
  }

  /**
   * Objects have no owner or permissions to look up (the local status would read them from disk).
   */
  private static FileStatus plain(FileStatus s) {
    return new FileStatus(
        s.getLen(), s.isDirectory(), 1, s.getBlockSize(), s.getModificationTime(), s.getPath());
  }

  /** Copy each file, then delete the source: not atomic, like S3A. */
  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    java.nio.file.Path from = pathToFile(src).toPath();
    java.nio.file.Path to = pathToFile(dst).toPath();
    if (!Files.exists(from)) {
      throw new FileNotFoundException(src + " does not exist");
    }
    copyTree(from, to);
    delete(src, true);
    return true;
  }

  private void copyTree(java.nio.file.Path from, java.nio.file.Path to) throws IOException {
    if (Files.isDirectory(from)) {
      Files.createDirectories(to);
      try (var children = Files.list(from)) {
        for (java.nio.file.Path child : children.toList()) {
          copyTree(child, to.resolve(child.getFileName()));
        }
      }
    } else {
      pause(copyDelay);
      Files.createDirectories(to.getParent());
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void pause(long millis) throws IOException {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * What FileContext uses for the scheme (hadoop-aws's counterpart is
   * org.apache.hadoop.fs.s3a.S3A).
   */
  public static class Context extends DelegateToFileSystem {
    public Context(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new SimulatedObjectStore(), conf, "s3a", false);
    }
  }
}
