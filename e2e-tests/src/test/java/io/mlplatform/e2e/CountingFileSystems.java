package io.mlplatform.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;

/**
 * The local file system and HDFS with every metadata or read call the store makes counted: {@code
 * listStatus}, {@code getFileStatus}, {@code exists}, {@code open}. Only the outermost call is
 * counted ({@code exists} is a {@code getFileStatus} inside), so a count is what the store asked
 * for: on HDFS each one is one NameNode RPC. Installed by {@link #install} under the real schemes,
 * so the store picks the same code path as on the plain file system.
 */
final class CountingFileSystems {

  // Static: Hadoop creates file systems by reflection, so there is no instance to hand a counter
  // to.
  private static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  /** The scheme {@link ObjectStore} takes: one the store treats as an object store. */
  static final String OBJECT_STORE = "s3a";

  private CountingFileSystems() {}

  /**
   * A configuration whose {@code file://} and {@code hdfs://} file systems count their calls, and
   * whose {@code s3a://} is {@link ObjectStore}.
   */
  static Configuration install(Configuration conf) {
    conf.setClass("fs.file.impl", Local.class, FileSystem.class);
    conf.setClass("fs.hdfs.impl", Hdfs.class, FileSystem.class);
    conf.setClass("fs." + OBJECT_STORE + ".impl", ObjectStore.class, FileSystem.class);
    conf.set("fs.AbstractFileSystem." + OBJECT_STORE + ".impl", ObjectStore.Fs.class.getName());
    // A fresh instance for this configuration, not a cached plain one.
    conf.setBoolean("fs.file.impl.disable.cache", true);
    conf.setBoolean("fs.hdfs.impl.disable.cache", true);
    conf.setBoolean("fs." + OBJECT_STORE + ".impl.disable.cache", true);
    return conf;
  }

  static void reset() {
    CALLS.clear();
  }

  /** Calls since the last {@link #reset}, by operation name. */
  static Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    CALLS.forEach((op, n) -> out.put(op, n.sum()));
    return out;
  }

  private static <T> T counted(String op, IoCall<T> call) throws IOException {
    int[] depth = DEPTH.get();
    if (depth[0] == 0) {
      CALLS.computeIfAbsent(op, k -> new LongAdder()).increment();
    }
    depth[0]++;
    try {
      return call.get();
    } finally {
      depth[0]--;
    }
  }

  @FunctionalInterface
  private interface IoCall<T> {
    T get() throws IOException;
  }

  /**
   * {@code file://} as Hadoop's LocalFileSystem (checksummed), counted at both layers: the store
   * reads small files (aliases) straight from the raw layer, without checksums.
   */
  public static class Local extends LocalFileSystem {
    public Local() {
      this(new Raw());
    }

    Local(RawLocalFileSystem raw) {
      super(raw);
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
      return counted("listStatus", () -> super.listStatus(f));
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
      return counted("getFileStatus", () -> super.getFileStatus(f));
    }

    @Override
    public boolean exists(Path f) throws IOException {
      return counted("exists", () -> super.exists(f));
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
      return counted("open", () -> super.open(f, bufferSize));
    }
  }

  /** The raw layer under {@link Local}. */
  public static class Raw extends RawLocalFileSystem {
    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
      return counted("listStatus", () -> super.listStatus(f));
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
      return counted("getFileStatus", () -> super.getFileStatus(f));
    }

    @Override
    public boolean exists(Path f) throws IOException {
      return counted("exists", () -> super.exists(f));
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
      return counted("open", () -> super.open(f, bufferSize));
    }
  }

  /**
   * The local disk under the scheme {@code s3a://}, counted: the store treats {@code s3a} as an
   * object store (versions published with a {@code _COMMITTED} marker, no renames), so a poll makes
   * the calls it would make on S3. Only the calls: nothing of S3's latency or semantics is here.
   */
  public static class ObjectStore extends Local {
    public ObjectStore() {
      super(new ObjectStoreRaw());
    }

    @Override
    public String getScheme() {
      return OBJECT_STORE;
    }

    /** The {@code FileContext} side of the same file system (the store opens one). */
    public static class Fs extends DelegateToFileSystem {
      public Fs(URI uri, Configuration conf) throws IOException, URISyntaxException {
        super(uri, new ObjectStore(), conf, OBJECT_STORE, false);
      }
    }
  }

  /** The raw layer under {@link ObjectStore}. */
  public static class ObjectStoreRaw extends Raw {
    private static final URI ROOT = URI.create(OBJECT_STORE + ":///");

    @Override
    public URI getUri() {
      return ROOT;
    }

    @Override
    public String getScheme() {
      return OBJECT_STORE;
    }
  }

  /** {@code hdfs://} as Hadoop's DistributedFileSystem, counted. */
  public static class Hdfs extends DistributedFileSystem {
    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
      return counted("listStatus", () -> super.listStatus(f));
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
      return counted("getFileStatus", () -> super.getFileStatus(f));
    }

    @Override
    public boolean exists(Path f) throws IOException {
      return counted("exists", () -> super.exists(f));
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
      return counted("open", () -> super.open(f, bufferSize));
    }
  }

  static long total(Map<String, Long> calls) {
    return calls.values().stream().mapToLong(Long::longValue).sum();
  }
}
