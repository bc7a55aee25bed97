package io.mlplatform.serving;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@code flaky://}, whose reads can be made to fail: a store
 * that becomes unreachable while the service runs, without a network to cut. Test-only.
 */
public final class FlakyFileSystem extends RawLocalFileSystem {

  public static final String SCHEME = "flaky";
  // Roots currently "down"; static because Hadoop instantiates file systems itself.
  private static final Set<String> DOWN = ConcurrentHashMap.newKeySet();

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

  private static void check(Path f) throws IOException {
    String path = f.toUri().getPath();
    for (String root : DOWN) {
      if (path.startsWith(root.endsWith("/") ? root : root + "/") || path.equals(root)) {
        throw new IOException("simulated outage of " + root);
      }
    }
  }

  /** The FileContext side of the scheme, which ModelStore opens alongside the FileSystem. */
  public static final class Context extends DelegateToFileSystem {
    public Context(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new FlakyFileSystem(), conf, SCHEME, false);
    }
  }
}
