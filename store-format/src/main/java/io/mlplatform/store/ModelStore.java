package io.mlplatform.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A versioned model store on any Hadoop FileSystem ({@code file://}, {@code hdfs://}, {@code s3a://}).
 *
 * <pre>
 * ROOT/MODEL/versions/N/bundle.zip             MLeap bundle
 * ROOT/MODEL/versions/N/manifest.json          {@link Manifest}
 * ROOT/MODEL/versions/N/reference-rows.jsonl   {@link ReferenceRow} per line
 * ROOT/MODEL/.staging/ID/                      a publish in progress, never read
 * </pre>
 *
 * A version becomes visible in one rename of its complete staging directory, so readers see either
 * no version N or all of it. Versions never change once visible.
 */
public final class ModelStore {

  public static final String DEFAULT_LOCATION = "./model-store";
  public static final String BUNDLE = "bundle.zip";
  public static final String MANIFEST = "manifest.json";
  public static final String REFERENCE_ROWS = "reference-rows.jsonl";

  private static final String VERSIONS = "versions";
  private static final String STAGING = ".staging";
  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern VERSION_DIR = Pattern.compile("[1-9][0-9]{0,8}");
  // Each lost race costs one rename; far more publishers than this at once is not a real workload.
  private static final int MAX_PUBLISH_ATTEMPTS = 1000;

  private final FileSystem fs;
  private final FileContext fc;
  private final Path root;

  private ModelStore(FileSystem fs, FileContext fc, Path root) {
    this.fs = fs;
    this.fc = fc;
    this.root = root;
  }

  /** Opens (and creates, if missing) the store at a URI or a local path such as {@code ./model-store}. */
  public static ModelStore open(String location) {
    return open(location, new Configuration());
  }

  public static ModelStore open(String location, Configuration conf) {
    URI uri = toUri(location);
    try {
      FileSystem fs = FileSystem.get(uri, conf);
      // Rebuilt from the decoded path so that a trailing slash (java.nio adds one to existing
      // directories) does not make the same store report two different URIs.
      String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
      Path root = fs.makeQualified(new Path(uri.getScheme(), uri.getAuthority(), path));
      fs.mkdirs(root);
      return new ModelStore(fs, FileContext.getFileContext(root.toUri(), conf), root);
    } catch (IOException | RuntimeException e) {
      throw new StoreException(
          StoreException.Kind.IO, "cannot open model store " + location + ": " + e.getMessage(), e);
    }
  }

  static URI toUri(String location) {
    if (location == null || location.isBlank()) {
      throw new StoreException(StoreException.Kind.INVALID, "model store location is empty");
    }
    // A scheme of two or more characters then ":/": hdfs://nn/x, file:///x, and file:/x, the form
    // uri() returns. A one-letter "scheme" is a Windows drive; anything else is a local path.
    if (location.matches("^[A-Za-z][A-Za-z0-9+.-]+:/.*")) {
      try {
        return new URI(location);
      } catch (URISyntaxException e) {
        throw new StoreException(
            StoreException.Kind.INVALID, "model store location " + location + " is not a valid URI: " + e.getMessage(), e);
      }
    }
    try {
      return java.nio.file.Path.of(location).toAbsolutePath().normalize().toUri();
    } catch (InvalidPathException e) {
      throw new StoreException(
          StoreException.Kind.INVALID, "model store location " + location + " is not a valid path: " + e.getMessage(), e);
    }
  }

  public URI uri() {
    return root.toUri();
  }

  /** Models with at least one visible version, sorted by name. */
  public List<String> models() {
    List<String> names = new ArrayList<>();
    for (FileStatus status : list(root)) {
      String name = status.getPath().getName();
      if (status.isDirectory() && MODEL_NAME.matcher(name).matches() && !versions(name).isEmpty()) {
        names.add(name);
      }
    }
    names.sort(null);
    return names;
  }

  /** Visible versions of a model, ascending; empty when the model does not exist. */
  public List<Integer> versions(String model) {
    List<Integer> versions = new ArrayList<>();
    for (FileStatus status : list(versionsDir(model))) {
      String name = status.getPath().getName();
      if (status.isDirectory() && VERSION_DIR.matcher(name).matches()) {
        versions.add(Integer.parseInt(name));
      }
    }
    versions.sort(null);
    return versions;
  }

  public Optional<Integer> latestVersion(String model) {
    List<Integer> versions = versions(model);
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  public Manifest manifest(String model, int version) {
    Path file = new Path(versionDir(model, version), MANIFEST);
    Manifest manifest;
    try (InputStream in = open(file, model, version)) {
      manifest = StoreJson.mapper().readValue(in, Manifest.class);
    } catch (StoreException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new StoreException(
          StoreException.Kind.CORRUPT, "manifest of " + model + " v" + version + " is malformed: "
              + e.getMessage(), e);
    }
    if (manifest.formatVersion() != Manifest.FORMAT_VERSION) {
      throw new StoreException(
          StoreException.Kind.CORRUPT,
          model + " v" + version + " has store format " + manifest.formatVersion()
              + "; this build reads format " + Manifest.FORMAT_VERSION);
    }
    return manifest;
  }

  public List<ReferenceRow> referenceRows(String model, int version) {
    Path file = new Path(versionDir(model, version), REFERENCE_ROWS);
    List<ReferenceRow> rows = new ArrayList<>();
    ObjectMapper mapper = StoreJson.mapper();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(open(file, model, version), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          rows.add(mapper.readValue(line, ReferenceRow.class));
        }
      }
    } catch (StoreException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new StoreException(
          StoreException.Kind.CORRUPT,
          "reference rows of " + model + " v" + version + " are malformed: " + e.getMessage(), e);
    }
    return rows;
  }

  /** Copies a version's bundle to a local file, because the MLeap runtime reads only local zips. */
  public void copyBundleTo(String model, int version, java.nio.file.Path localFile) {
    Path file = new Path(versionDir(model, version), BUNDLE);
    try (InputStream in = open(file, model, version)) {
      Files.copy(in, localFile, StandardCopyOption.REPLACE_EXISTING);
    } catch (StoreException e) {
      throw e;
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "cannot copy bundle of " + model + " v" + version + ": " + e.getMessage(), e);
    }
  }

  /** Starts a publish: files go into a private staging directory until {@link #publish}. */
  public Staging stage(String model) {
    checkName(model);
    Path dir = new Path(new Path(new Path(root, model), STAGING), UUID.randomUUID().toString());
    try {
      fs.mkdirs(dir);
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.IO, "cannot create staging directory " + dir, e);
    }
    return new Staging(fs, model, dir);
  }

  /**
   * Makes a staged version visible under the next free number, which it returns. The manifest is
   * written with that number and the directory renamed in one step that fails if the number is
   * taken, in which case the next number is tried: concurrent publishers never share a version.
   */
  public int publish(Staging staging, Manifest manifest) {
    if (!staging.model().equals(manifest.model())) {
      throw new StoreException(
          StoreException.Kind.INVALID,
          "staging is for " + staging.model() + " but the manifest names " + manifest.model());
    }
    staging.requireFile(BUNDLE);
    Path versions = versionsDir(manifest.model());
    try {
      fs.mkdirs(versions);
      int candidate = latestVersion(manifest.model()).orElse(0) + 1;
      for (int attempt = 0; attempt < MAX_PUBLISH_ATTEMPTS; attempt++, candidate++) {
        staging.putJson(MANIFEST, manifest.withVersion(candidate));
        Path target = new Path(versions, Integer.toString(candidate));
        try {
          renameNoReplace(staging.dir(), target);
          return candidate;
        } catch (FileAlreadyExistsException e) {
          // Another publisher took this number first; try the next one.
        } catch (IOException e) {
          if (!fs.exists(target)) {
            throw e;
          }
        }
      }
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "cannot publish " + manifest.model() + ": " + e.getMessage(), e);
    }
    throw new StoreException(
        StoreException.Kind.IO, "gave up publishing " + manifest.model() + " after "
            + MAX_PUBLISH_ATTEMPTS + " version numbers were taken");
  }

  /**
   * Renames a directory, failing if the target exists. HDFS does this in one NameNode operation.
   * Hadoop's local file system only checks the target and then renames: a publisher that loses
   * the race in between gets a failed rename(2), and RawLocalFileSystem then falls back to a copy
   * that lands *inside* the winner's version directory and reports success, so two publishers
   * would both get the same version. rename(2) itself refuses a non-empty target (a version
   * directory always holds its bundle), so locally the directory is moved with java.nio instead.
   */
  private void renameNoReplace(Path src, Path dst) throws IOException {
    FileSystem raw = fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    if (raw instanceof RawLocalFileSystem rawLocal) {
      java.nio.file.Path from = rawLocal.pathToFile(src).toPath();
      java.nio.file.Path to = rawLocal.pathToFile(dst).toPath();
      if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
        throw new FileAlreadyExistsException("rename destination " + dst + " already exists");
      }
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } else {
      fc.rename(src, dst, Options.Rename.NONE);
    }
  }

  private Path versionsDir(String model) {
    checkName(model);
    return new Path(new Path(root, model), VERSIONS);
  }

  private Path versionDir(String model, int version) {
    if (version < 1) {
      throw new StoreException(StoreException.Kind.INVALID, "version must be >= 1, got " + version);
    }
    return new Path(versionsDir(model), Integer.toString(version));
  }

  private InputStream open(Path file, String model, int version) {
    try {
      return fs.open(file);
    } catch (FileNotFoundException e) {
      String what = versions(model).contains(version)
          ? model + " v" + version + " has no " + file.getName()
          : versions(model).isEmpty()
              ? "model " + model + " not found in " + root
              : "model " + model + " has no version " + version;
      throw new StoreException(StoreException.Kind.NOT_FOUND, what, e);
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.IO, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private List<FileStatus> list(Path dir) {
    try {
      return List.of(fs.listStatus(dir));
    } catch (FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.IO, "cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  static void checkName(String model) {
    if (model == null || !MODEL_NAME.matcher(model).matches()) {
      throw new StoreException(
          StoreException.Kind.INVALID,
          "model name '" + model + "' is invalid: use 1-64 letters, digits, '_' or '-', starting"
              + " with a letter or digit");
    }
  }
}
