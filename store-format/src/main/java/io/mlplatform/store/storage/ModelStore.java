package io.mlplatform.store.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlplatform.store.format.Alias;
import io.mlplatform.store.format.AliasChange;
import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.Pin;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.format.RoutingDoc;
import io.mlplatform.store.format.RuntimeState;
import io.mlplatform.store.format.StoreJson;
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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A versioned model store on any Hadoop FileSystem ({@code file://}, {@code hdfs://}, {@code
 * s3a://}).
 *
 * <pre>
 * ROOT/MODEL/versions/N/bundle.zip             MLeap bundle
 * ROOT/MODEL/versions/N/manifest.json          {@link Manifest}
 * ROOT/MODEL/versions/N/reference-rows.jsonl   {@link ReferenceRow} per line
 * ROOT/MODEL/aliases/NAME                      {@link Alias}: production, staging, ...
 * ROOT/MODEL/history/0000000001.json           {@link HistoryEvent}, one immutable file per change
 * ROOT/MODEL/runtime/pin.json                  {@link Pin}: the pin every serving replica applies
 * ROOT/MODEL/runtime/routing.json              {@link RoutingDoc}: the canary or shadow rule
 * ROOT/MODEL/deleted/N/manifest.json           what a deleted version was; N is never reused
 * ROOT/MODEL/.staging/ID                       work in progress, never read
 * </pre>
 *
 * A version becomes visible in one rename of its complete staging directory, so readers see either
 * no version N or all of it. Versions never change once visible. Aliases are replaced whole,
 * history events are added as new files: store-format/STORE.md describes the format and how each
 * file system makes these steps atomic.
 */
public final class ModelStore {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelStore.class);

  public static final String DEFAULT_LOCATION = "./model-store";

  private static final String STAGING = ".staging";
  static final String DELETED = "deleted";
  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern VERSION_DIR = Pattern.compile("[1-9][0-9]{0,8}");
  private static final Pattern VERSION_REF = Pattern.compile("[vV]?([1-9][0-9]{0,8})");
  // Each lost race costs one rename; far more publishers than this at once is not a real workload.
  private static final int MAX_PUBLISH_ATTEMPTS = 1000;

  /**
   * Object stores only: how long a publisher waits after claiming a version number before it reads
   * the claim back (MarkerPublish). It must exceed the longest gap between a rival's existence
   * check and its PUT; requests take milliseconds, so 2 s leaves a wide margin and costs 2 s per
   * publish.
   */
  public static final String CLAIM_SETTLE_KEY = "mlplatform.store.claim-settle";

  private static final long DEFAULT_CLAIM_SETTLE_MILLIS = 2000;

  private final FileSystem fs;
  private final FileOps ops;
  private final PublishProtocol protocol;
  private final Path root;
  private final String user;
  private final Aliases aliases;
  private final History history;
  private final Changes changes;
  private final RuntimeDocs runtime;
  private final RuntimeChanges runtimeChanges;
  private final MonitoringReports monitoring;

  private ModelStore(FileSystem fs, FileOps ops, PublishProtocol protocol, Path root, String user) {
    this.fs = fs;
    this.ops = ops;
    this.protocol = protocol;
    this.root = root;
    this.user = user;
    this.aliases = new Aliases(ops);
    this.history = new History(ops, protocol);
    this.changes = new Changes(this, aliases, history, protocol);
    this.runtime = new RuntimeDocs(ops);
    this.runtimeChanges = new RuntimeChanges(this, runtime, history);
    this.monitoring = new MonitoringReports(this, ops);
  }

  /**
   * Opens (and creates, if missing) the store at a URI or a local path such as {@code
   * ./model-store}.
   */
  public static ModelStore open(String location) {
    return open(location, new Configuration());
  }

  public static ModelStore open(String location, Configuration conf) {
    return open(location, conf, UnaryOperator.identity());
  }

  /** Tests wrap the file operations to make any step fail. */
  static ModelStore open(String location, Configuration conf, UnaryOperator<FileOps> wrap) {
    URI uri = toUri(location);
    try {
      FileSystem fs = FileSystem.get(uri, conf);
      // Rebuilt from the decoded path so that a trailing slash (java.nio adds one to existing
      // directories) does not make the same store report two different URIs.
      String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
      Path root = fs.makeQualified(new Path(uri.getScheme(), uri.getAuthority(), path));
      fs.mkdirs(root);
      FileOps ops = wrap.apply(FileOps.of(fs, FileContext.getFileContext(root.toUri(), conf)));
      long settle =
          conf.getTimeDuration(
              CLAIM_SETTLE_KEY, DEFAULT_CLAIM_SETTLE_MILLIS, TimeUnit.MILLISECONDS);
      return new ModelStore(fs, ops, PublishProtocol.of(ops, settle), root, defaultUser());
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
            StoreException.Kind.INVALID,
            "model store location " + location + " is not a valid URI: " + e.getMessage(),
            e);
      }
    }
    try {
      return java.nio.file.Path.of(location).toAbsolutePath().normalize().toUri();
    } catch (InvalidPathException e) {
      throw new StoreException(
          StoreException.Kind.INVALID,
          "model store location " + location + " is not a valid path: " + e.getMessage(),
          e);
    }
  }

  public URI uri() {
    return root.toUri();
  }

  /**
   * The same store, recording its changes as made by {@code who}. The default is {@code
   * $MLPLATFORM_USER}, else the operating-system user.
   */
  public ModelStore as(String who) {
    if (who == null || who.isBlank()) {
      throw new StoreException(
          StoreException.Kind.INVALID, "the user a change is recorded under cannot be empty");
    }
    return new ModelStore(fs, ops, protocol, root, who.trim());
  }

  /** Who this store's changes are recorded as made by. */
  public String user() {
    return user;
  }

  static String defaultUser() {
    String env = System.getenv("MLPLATFORM_USER");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    return System.getProperty("user.name", "unknown");
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
      if (status.isDirectory()
          && VERSION_DIR.matcher(name).matches()
          && visible(status.getPath())) {
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
    Path file = new Path(versionDir(model, version), Layout.MANIFEST);
    Manifest manifest;
    try (InputStream in = open(file, model, version)) {
      manifest = StoreJson.mapper().readValue(in, Manifest.class);
    } catch (StoreException e) {
      throw e;
    } catch (JsonProcessingException | ChecksumException | RuntimeException e) {
      // Content errors: unparseable JSON, or bytes that no longer match their checksum.
      throw new StoreException(
          StoreException.Kind.CORRUPT,
          "manifest of " + model + " v" + version + " is malformed: " + e.getMessage(),
          e);
    } catch (IOException e) {
      // The file system failed while reading, which says nothing about the version: a retry may
      // work.
      throw new StoreException(
          StoreException.Kind.IO,
          "cannot read the manifest of " + model + " v" + version + ": " + e.getMessage(),
          e);
    }
    if (manifest.formatVersion() != Manifest.FORMAT_VERSION) {
      throw new StoreException(
          StoreException.Kind.CORRUPT,
          model
              + " v"
              + version
              + " has store format "
              + manifest.formatVersion()
              + "; this build reads format "
              + Manifest.FORMAT_VERSION);
    }
    return manifest;
  }

  public List<ReferenceRow> referenceRows(String model, int version) {
    Path file = new Path(versionDir(model, version), Layout.REFERENCE_ROWS);
    List<ReferenceRow> rows = new ArrayList<>();
    ObjectMapper mapper = StoreJson.mapper();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(open(file, model, version), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          rows.add(mapper.readValue(line, ReferenceRow.class));
        }
      }
    } catch (StoreException e) {
      throw e;
    } catch (JsonProcessingException | ChecksumException | RuntimeException e) {
      // Content errors: unparseable JSON, or bytes that no longer match their checksum.
      throw new StoreException(
          StoreException.Kind.CORRUPT,
          "reference rows of " + model + " v" + version + " are malformed: " + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "cannot read the reference rows of " + model + " v" + version + ": " + e.getMessage(),
          e);
    }
    return rows;
  }

  /** Copies a version's bundle to a local file, because the MLeap runtime reads only local zips. */
  public void copyBundleTo(String model, int version, java.nio.file.Path localFile) {
    Path file = new Path(versionDir(model, version), Layout.BUNDLE);
    try (InputStream in = open(file, model, version)) {
      Files.copy(in, localFile, StandardCopyOption.REPLACE_EXISTING);
    } catch (StoreException e) {
      throw e;
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "cannot copy bundle of " + model + " v" + version + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Where a version's Spark-native model lives, as a fully qualified URI for {@code
   * PipelineModel.load}. A version published before versions carried one is refused with a one-line
   * explanation (kind INVALID), not left to fail inside Spark.
   */
  public String sparkModelUri(String model, int version) {
    return sparkModelUri(manifest(model, version));
  }

  /** As {@link #sparkModelUri(String, int)}, for a caller that has already read the manifest. */
  public String sparkModelUri(Manifest manifest) {
    String model = manifest.model();
    int version = manifest.version();
    if (manifest.sparkModel() == null) {
      throw new StoreException(
          StoreException.Kind.INVALID,
          model
              + " v"
              + version
              + " has no Spark-native model"
              + " (it was published before versions carried one, next to the MLeap bundle that only serving reads);"
              + " train a new version to batch score it or to compare against it");
    }
    Path dir = new Path(versionDir(model, version), manifest.sparkModel().path());
    try {
      if (!ops.fs.exists(dir)) {
        throw new StoreException(
            StoreException.Kind.CORRUPT,
            model
                + " v"
                + version
                + " lists a Spark-native model"
                + " at "
                + manifest.sparkModel().path()
                + " but the store has no such directory");
      }
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "cannot check the Spark-native model of "
              + model
              + " v"
              + version
              + ": "
              + e.getMessage(),
          e);
    }
    return ops.fs.makeQualified(dir).toString();
  }

  /** Starts a publish: files go into a private staging directory until {@link #publish}. */
  public Staging stage(String model) {
    checkName(model);
    Path dir = new Path(stagingDir(model), UUID.randomUUID().toString());
    try {
      ops.mkdirs(dir);
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.IO, "cannot create staging directory " + dir, e);
    }
    return new Staging(ops, model, dir);
  }

  /**
   * Makes a staged version visible under the next free number, which it returns. The manifest is
   * written with that number and the directory renamed in one step that fails if the number is
   * taken, in which case the next number is tried: concurrent publishers never share a version.
   * Numbers of deleted versions are never given out again. The publish is recorded in the history.
   */
  public int publish(Staging staging, Manifest manifest) {
    if (!staging.model().equals(manifest.model())) {
      throw new StoreException(
          StoreException.Kind.INVALID,
          "staging is for " + staging.model() + " but the manifest names " + manifest.model());
    }
    Path versions = versionsDir(manifest.model());
    try {
      ops.mkdirs(versions);
      int candidate =
          Math.max(latestVersion(manifest.model()).orElse(0), lastDeleted(manifest.model())) + 1;
      for (int attempt = 0; attempt < MAX_PUBLISH_ATTEMPTS; attempt++, candidate++) {
        // Before every attempt, not once: writing the manifest would recreate a staging directory
        // that
        // an earlier attempt moved away, and the version would be published without its bundle.
        staging.requireFile(Layout.BUNDLE);
        if (manifest.sparkModel() != null) {
          staging.requireFile(manifest.sparkModel().path());
        }
        staging.putJson(Layout.MANIFEST, manifest.withVersion(candidate));
        Path target = new Path(versions, Integer.toString(candidate));
        try {
          protocol.publish(staging.dir(), target);
          changes.recordPublished(manifest, candidate);
          return candidate;
        } catch (FileAlreadyExistsException e) {
          // Another publisher took this number first; try the next one.
        }
      }
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "cannot publish " + manifest.model() + ": " + e.getMessage(), e);
    }
    throw new StoreException(
        StoreException.Kind.IO,
        "gave up publishing "
            + manifest.model()
            + " after "
            + MAX_PUBLISH_ATTEMPTS
            + " version numbers were taken");
  }

  /**
   * Every readable alias of a model, sorted by name; empty when it has none. A malformed alias file
   * is left out and logged ({@link #malformedAliases} names them), so that one bad file does not
   * keep the model's other aliases from being served; {@link #alias} still reports it as CORRUPT.
   */
  public List<Alias> aliases(String model) {
    return aliases.list(
        modelDir(model), model, e -> LOG.warn("skipping an alias: {}", e.getMessage()));
  }

  /** What is wrong with each malformed alias file of a model (empty when none is). */
  public List<String> malformedAliases(String model) {
    List<String> problems = new ArrayList<>();
    aliases.list(modelDir(model), model, e -> problems.add(e.getMessage()));
    return problems;
  }

  /** The version an alias points at, if the alias exists. */
  public Optional<Integer> alias(String model, String alias) {
    return aliases.get(modelDir(model), model, alias).map(Alias::version);
  }

  /**
   * The model's runtime documents (pin, routing) in two reads, one per file, whether or not they
   * exist: serving replicas call it at every poll. A malformed document counts as absent and is
   * logged and named in {@link RuntimeState#malformed()}; a file system error is IO.
   */
  public RuntimeState runtime(String model) {
    RuntimeState state = runtime.read(modelDir(model), model);
    state.malformed().forEach(problem -> LOG.warn("ignoring a runtime document: {}", problem));
    return state;
  }

  /**
   * Pins every serving replica's default route of a model to a visible version ({@code
   * runtime/pin.json}, replaced in one step) and records a {@code pin} event by {@link #user()}.
   */
  public Pin pin(String model, int version, String reason) {
    return runtimeChanges.pin(model, version, reason);
  }

  /**
   * Lifts the pin (the document says {@code "version": null}) and records an {@code unpin} event;
   * with no pin in place it writes and records nothing.
   */
  public Pin unpin(String model, String reason) {
    return runtimeChanges.unpin(model, reason);
  }

  /**
   * Sets the canary or shadow rule every serving replica applies ({@code runtime/routing.json}), or
   * with a null rule removes routing on every replica, a rule from a replica's config file
   * included. Records {@code routing_set} or {@code routing_removed}; the same rule again writes
   * and records nothing.
   */
  public RoutingDoc setRouting(String model, RoutingDoc.Rule rule, String reason) {
    return runtimeChanges.routing(model, rule, reason);
  }

  /** Every recorded change to a model, oldest first. */
  public List<HistoryEvent> history(String model) {
    return history.read(modelDir(model), model);
  }

  /**
   * The version a reference names: {@code 3} or {@code v3} is a version, anything else an alias.
   * NOT_FOUND names what is missing and what exists instead.
   */
  public int resolve(String model, String versionOrAlias) {
    checkName(model);
    Matcher version = VERSION_REF.matcher(versionOrAlias == null ? "" : versionOrAlias);
    if (version.matches()) {
      int number = Integer.parseInt(version.group(1));
      requireVersion(model, number);
      return number;
    }
    if (versionOrAlias == null || !versionOrAlias.matches("[A-Za-z].*")) {
      throw new StoreException(
          StoreException.Kind.INVALID,
          "'" + versionOrAlias + "' is neither a version (3 or v3) nor an alias name");
    }
    Aliases.checkName(versionOrAlias);
    Optional<Integer> target = alias(model, versionOrAlias);
    if (target.isEmpty()) {
      requireModel(model);
      List<Alias> all = aliases(model);
      throw new StoreException(
          StoreException.Kind.NOT_FOUND,
          "model "
              + model
              + " has no alias '"
              + versionOrAlias
              + "' (aliases: "
              + (all.isEmpty()
                  ? "none"
                  : all.stream().map(Alias::name).collect(Collectors.joining(", ")))
              + ")");
    }
    if (!versions(model).contains(target.get())) {
      throw new StoreException(
          StoreException.Kind.NOT_FOUND,
          model + " " + versionOrAlias + " points at v" + target.get() + ", which does not exist");
    }
    return target.get();
  }

  /**
   * Points an alias at a complete version (its manifest readable, its bundle present) and records
   * who, when, from, to and why. The alias is replaced in one step; setting it to the version it
   * already has changes and records nothing.
   */
  public AliasChange setAlias(String model, String alias, int version, String reason) {
    return changes.setAlias(model, alias, version, reason);
  }

  /**
   * Points an alias back at the version it had before its current one, as the history tells
   * (repeated rollbacks walk further back). INVALID when there is no earlier version to go back to.
   */
  public AliasChange rollback(String model, String alias, String reason) {
    return changes.rollback(model, alias, reason);
  }

  /**
   * Removes a version no alias points at. It disappears from {@link #versions} in one step; its
   * manifest is kept under {@code deleted/} and its number is never given out again.
   */
  public void deleteVersion(String model, int version, String reason) {
    changes.delete(model, version, reason);
  }

  /**
   * Records what the promotion gate decided about a candidate (the alias itself is set separately).
   */
  public HistoryEvent recordGateDecision(
      String model, String alias, int candidate, Integer current, boolean passed, String reason) {
    return changes.recordGateDecision(model, alias, candidate, current, passed, reason);
  }

  /**
   * Records a retraining run (see {@link HistoryEvent.Action#RETRAIN}); the model need not have a
   * version yet (a first run may fail).
   */
  public HistoryEvent recordRetrain(
      String model,
      Integer production,
      Integer version,
      String summary,
      java.util.Map<String, Object> run) {
    return changes.recordRetrain(model, production, version, summary, run);
  }

  /**
   * Stores a monitor job run's report and summary of one version under {@code
   * MODEL/monitoring/vN/RUN/}, visible complete or not at all; returns that directory relative to
   * the model ({@code monitoring/v3/20261207T150000Z}). A second run of the same name gets {@code
   * RUN-2}.
   */
  public String publishMonitoring(
      String model, int version, String run, Object summary, String html) {
    return monitoring.publish(model, version, run, summary, html);
  }

  /** Replaces {@code MODEL/monitoring/latest.json}, the pointer to the newest run. */
  public void putMonitoringLatest(String model, Object latest) {
    monitoring.putLatest(model, latest);
  }

  /**
   * A JSON file under {@code MODEL/monitoring/}, e.g. {@code latest.json} or {@code
   * v3/20261207T150000Z/summary.json}; empty when there is none.
   */
  public Optional<com.fasterxml.jackson.databind.JsonNode> monitoringJson(
      String model, String relative) {
    return monitoring.read(model, relative);
  }

  /** NOT_FOUND unless the model has this visible version. */
  void requireVersion(String model, int version) {
    versionDir(model, version);
    List<Integer> versions = versions(model);
    if (!versions.contains(version)) {
      throw new StoreException(
          StoreException.Kind.NOT_FOUND,
          versions.isEmpty()
              ? "model " + model + " not found in " + root
              : "model "
                  + model
                  + " has no version "
                  + version
                  + " (versions: "
                  + versions.stream().map(v -> "v" + v).collect(Collectors.joining(", "))
                  + ")");
    }
  }

  void requireModel(String model) {
    if (versions(model).isEmpty()) {
      throw new StoreException(
          StoreException.Kind.NOT_FOUND, "model " + model + " not found in " + root);
    }
  }

  /** The highest version number ever deleted, 0 if none: publish never reuses it. */
  private int lastDeleted(String model) {
    int last = 0;
    for (FileStatus status : list(new Path(modelDir(model), DELETED))) {
      String name = status.getPath().getName();
      if (VERSION_DIR.matcher(name).matches()) {
        last = Math.max(last, Integer.parseInt(name));
      }
    }
    return last;
  }

  FileSystem fs() {
    return fs;
  }

  FileOps ops() {
    return ops;
  }

  Path modelDir(String model) {
    checkName(model);
    return new Path(root, model);
  }

  Path stagingDir(String model) {
    return new Path(modelDir(model), STAGING);
  }

  private Path versionsDir(String model) {
    return new Path(modelDir(model), Layout.VERSIONS);
  }

  Path versionDir(String model, int version) {
    if (version < 1) {
      throw new StoreException(StoreException.Kind.INVALID, "version must be >= 1, got " + version);
    }
    return new Path(versionsDir(model), Integer.toString(version));
  }

  private boolean visible(Path versionDir) {
    try {
      return protocol.isVisible(versionDir);
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "cannot check " + versionDir + ": " + e.getMessage(), e);
    }
  }

  private InputStream open(Path file, String model, int version) {
    try {
      return ops.open(file);
    } catch (FileNotFoundException e) {
      String what =
          versions(model).contains(version)
              ? model + " v" + version + " has no " + file.getName()
              : versions(model).isEmpty()
                  ? "model " + model + " not found in " + root
                  : "model " + model + " has no version " + version;
      throw new StoreException(StoreException.Kind.NOT_FOUND, what, e);
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private List<FileStatus> list(Path dir) {
    return list(fs, dir);
  }

  /** The entries of a directory; none when it does not exist. */
  static List<FileStatus> list(FileSystem fs, Path dir) {
    try {
      return List.of(fs.listStatus(dir));
    } catch (FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  static void checkName(String model) {
    if (model == null || !MODEL_NAME.matcher(model).matches()) {
      throw new StoreException(
          StoreException.Kind.INVALID,
          "model name '"
              + model
              + "' is invalid: use 1-64 letters, digits, '_' or '-', starting"
              + " with a letter or digit");
    }
  }
}
