package io.mlplatform.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@code chaos://}, which a test can make unreadable from
 * outside the process: running as root, file modes do not stop reads, so a fault must be injected.
 * The fault is the content of the file named by {@value #FAULT_FILE_KEY}: {@code all} makes every
 * listing, status and read throw {@link IOException}; {@code versions} makes reads of a version's
 * files other than its manifest throw (the store still lists, its aliases and manifests still read,
 * so a load fails halfway, at the reference rows or the bundle); no file or anything else, no
 * fault. Checksums work as on {@code file://} (the writer uses the local store).
 *
 * <p>Registered through {@code fs.chaos.impl} and {@code fs.AbstractFileSystem.chaos.impl} in a
 * {@code core-site.xml} on the classpath of the process that reads the store (see ChaosTest).
 */
public class ChaosFileSystem extends LocalFileSystem {

  static final String SCHEME = "chaos";
  static final String FAULT_FILE_KEY = "chaos.fault.file";

  public ChaosFileSystem() {
    super(new Raw());
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  /** The raw layer: where the fault is checked, under the checksum layer. */
  public static class Raw extends RawLocalFileSystem {

    private static final URI ROOT = URI.create(SCHEME + ":///");
    private java.nio.file.Path faultFile;

    @Override
    public void initialize(URI uri, Configuration conf) throws IOException {
      super.initialize(uri, conf);
      String file = conf.get(FAULT_FILE_KEY);
      faultFile = file == null ? null : java.nio.file.Path.of(file);
    }

    @Override
    public URI getUri() {
      return ROOT;
    }

    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
      check(f, true);
      return super.open(f, bufferSize);
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
      check(f, false);
      return super.listStatus(f);
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
      check(f, false);
      return super.getFileStatus(f);
    }

    @Override
    public FileStatus getFileLinkStatus(Path f) throws IOException {
      check(f, false);
      return super.getFileLinkStatus(f);
    }

    private void check(Path f, boolean read) throws IOException {
      String fault = fault();
      String path = f.toUri().getPath();
      if (fault.equals("all")
          || (read
              && fault.equals("versions")
              && path.contains("/versions/")
              && !path.endsWith("/manifest.json"))) {
        throw new IOException("chaos: the store is unreadable (" + fault + "): " + path);
      }
    }

    private String fault() {
      if (faultFile == null) {
        return "";
      }
      try {
        return Files.readString(faultFile, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        return ""; // no fault file: the store reads normally
      }
    }
  }

  /** The {@code FileContext} side of the same file system (the store opens one for renames). */
  public static class Fs extends DelegateToFileSystem {

    public Fs(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new ChaosFileSystem(), conf, SCHEME, false);
    }
  }
}
