package io.mlplatform.serving;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system under the scheme {@code flaky://}, whose reads and writes can be made to
 * fail, or whose writes can be made to hang: a store or a sink that becomes unreachable while the
 * service runs, without a network to cut. Test-only.
 */
public final class FlakyFileSystem extends RawLocalFileSystem {

  public static final String SCHEME = "flaky";
  // Roots currently "down"; static because Hadoop instantiates file systems itself.
  private static final Set<String> DOWN = ConcurrentHashMap.newKeySet();
  // Roots whose file creations block until they are released (or the thread is interrupted).
  private static final Set<String> HUNG = ConcurrentHashMap.newKeySet();

  /** Hadoop settings that register the scheme. */
  public static Configuration configuration() {
    Configuration conf = new Configuration();
    conf.set("fs." + SCHEME + ".impl", FlakyFileSystem.class.getName());
    conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
    conf.set("fs.AbstractFileSystem." + SCHEME + ".impl", Context.class.getName());
    return conf;
  }

  /** The store location for a local directory. */
  public static String uri(java.nio.file.Path dir) {
    return SCHEME + "://" + dir.toAbsolutePath().toUri().getPath();
  }

  public static void down(java.nio.file.Path dir, boolean down) {
    String root = dir.toAbsolutePath().toUri().getPath();
    if (down) {
      DOWN.add(root);
    } else {
      DOWN.remove(root);
    }
  }

  /** Makes creating files under {@code dir} block, as a sink that accepts no connection does. */
  public static void hang(java.nio.file.Path dir, boolean hang) {
    String root = dir.toAbsolutePath().toUri().getPath();
    if (hang) {
      HUNG.add(root);
    } else {
      HUNG.remove(root);
    }
  }

  @Override
  public URI getUri() {
    return URI.create(SCHEME + ":///");
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    check(f);
    return super.listStatus(f);
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    check(f);
    return super.open(f, bufferSize);
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
    hangWhileHung(f);
    check(f);
    return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
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
    hangWhileHung(f);
    check(f);
    return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    check(src);
    return super.rename(src, dst);
  }

  private static void check(Path f) throws IOException {
    String path = f.toUri().getPath();
    for (String root : DOWN) {
      if (under(path, root)) {
        throw new IOException("simulated outage of " + root);
      }
    }
  }

  private static void hangWhileHung(Path f) throws IOException {
    String path = f.toUri().getPath();
    while (HUNG.stream().anyMatch(root -> under(path, root))) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while the sink hung");
      }
    }
  }

  private static boolean under(String path, String root) {
    return path.startsWith(root.endsWith("/") ? root : root + "/") || path.equals(root);
  }

  /** The FileContext side of the scheme, which ModelStore opens alongside the FileSystem. */
  public static final class Context extends DelegateToFileSystem {
    public Context(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new FlakyFileSystem(), conf, SCHEME, false);
    }
  }
}
