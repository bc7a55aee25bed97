package io.mlplatform.retraining;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecException;
import io.mlplatform.spec.SpecLoader;
import io.mlplatform.store.format.DataFile;
import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.StoreJson;
import io.mlplatform.store.storage.DataFiles;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;

/**
 * One retraining run of one model: take the model's lock, look at the data, train (with retries and
 * a timeout per attempt) through the training command, read what it published and what the
 * promotion gate decided from the store, and append the run's record to the model's history. The
 * training job itself publishes and runs the gate, so a failed or killed attempt never touches
 * production.
 */
final class RetrainRun {

  /** The run record's key for the data files' sizes and modification times before training. */
  private static final String DATA_STAMPS = "dataStamps";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final ModelStore store;
  private final String storeLocation;
  private final RunPolicy policy;
  private final PrintStream log;

  RetrainRun(ModelStore store, String storeLocation, RunPolicy policy, PrintStream log) {
    this.store = store;
    this.storeLocation = storeLocation;
    this.policy = policy;
    this.log = log;
  }

  Outcome run(Path specFile) throws IOException, InterruptedException {
    ModelSpec spec = spec(specFile);
    String model = spec.name();
    String[] busy = new String[1];
    String token = "retrain-" + java.util.UUID.randomUUID();
    Optional<RunLock> lock =
        RunLock.tryAcquire(policy.runsDir().resolve(model).resolve("lock"), token, busy);
    if (lock.isEmpty()) {
      say(model, "skipped: a run of " + model + " is still going (" + busy[0] + ")");
      return Outcome.SKIPPED_RUNNING;
    }
    try (RunLock held = lock.get()) {
      return runLocked(specFile, spec, token);
    }
  }

  private Outcome runLocked(Path specFile, ModelSpec spec, String token)
      throws IOException, InterruptedException {
    String model = spec.name();
    Instant started = Instant.now();
    List<FileStatus> files =
        DataFiles.list(spec.data().location(), spec.data().latestFiles(), new Configuration());
    List<String> paths = files.stream().map(f -> f.getPath().toString()).toList();
    // Seen before training reads anything: whatever changes after this is new data for the next
    // run.
    List<DataFile> stamps = DataFiles.stamps(files);
    Optional<Integer> latest = store.latestVersion(model);
    Integer production = store.alias(model, Layout.PRODUCTION).orElse(null);
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("startedAt", started.toString());
    record.put("spec", specFile.toString());
    record.put("dataFiles", paths);
    record.put(DATA_STAMPS, stamps.stream().map(RetrainRun::asRecord).toList());

    if (policy.skipUnchanged() && latest.isPresent() && unchanged(model, latest.get(), stamps)) {
      String why =
          "no new data since v" + latest.get() + " (" + paths.size() + " files, none changed)";
      say(model, "skipped: " + why);
      // A frequent schedule would otherwise add one identical event per trigger.
      if (!alreadyRecorded(model, "skipped: no new data since v" + latest.get())) {
        finish(record, started, Outcome.SKIPPED_NO_NEW_DATA, null, List.of());
        store.recordRetrain(model, production, null, "skipped: " + why, record);
      }
      return Outcome.SKIPPED_NO_NEW_DATA;
    }

    long historyMark =
        store.history(model).stream().mapToLong(HistoryEvent::sequence).max().orElse(0);
    List<Map<String, Object>> attempts = new ArrayList<>();
    int exit = -1;
    for (int attempt = 1; attempt <= policy.attempts(); attempt++) {
      Path logFile =
          policy
              .runsDir()
              .resolve(model)
              .resolve(STAMP.format(started) + "-attempt-" + attempt + ".log");
      say(
          model,
          "training, attempt " + attempt + " of " + policy.attempts() + " (log: " + logFile + ")");
      TrainingAttempt.Result result =
          TrainingAttempt.run(command(specFile, token), logFile, policy.timeout());
      attempts.add(result.asRecord());
      exit = result.exitCode();
      if (exit == 0) {
        break;
      }
      say(model, "attempt " + attempt + " " + result.describe());
      if (exit == 2 || attempt == policy.attempts()) {
        break;
      }
      TimeUnit.MILLISECONDS.sleep(policy.retryDelay().toMillis());
    }

    Optional<Integer> after = store.latestVersion(model);
    Integer version = after.isPresent() && !after.equals(latest) ? after.get() : null;
    Outcome outcome;
    String summary;
    if (version == null) {
      outcome = Outcome.FAILED;
      summary =
          "failed after "
              + attempts.size()
              + (attempts.size() == 1 ? " attempt" : " attempts")
              + "; production unchanged ("
              + label(production)
              + "); see "
              + attempts.get(attempts.size() - 1).get("log");
    } else {
      Optional<HistoryEvent> gate =
          store.history(model).stream()
              .filter(e -> e.sequence() > historyMark && version.equals(e.to()))
              .filter(
                  e ->
                      e.action() == HistoryEvent.Action.GATE_PASSED
                          || e.action() == HistoryEvent.Action.GATE_FAILED)
              .reduce((a, b) -> b);
      boolean promoted = version.equals(store.alias(model, Layout.PRODUCTION).orElse(null));
      outcome = promoted ? Outcome.PROMOTED : Outcome.NOT_PROMOTED;
      String why = gate.map(HistoryEvent::reason).orElse("no gate decision recorded");
      summary =
          (promoted
                  ? "v" + version + " promoted: "
                  : "v" + version + " not promoted, production stays " + label(production) + ": ")
              + why;
      record.put("version", version);
      record.put("promoted", promoted);
      record.put("gate", why);
      Manifest manifest = store.manifest(model, version);
      record.put("candidateMetrics", manifest.metrics());
    }
    finish(record, started, outcome, exit, attempts);
    say(model, outcome.key() + ": " + summary);
    store.recordRetrain(model, production, version, summary, record);
    return outcome;
  }

  /**
   * The latest version was trained on exactly these files and none of them changed since they were
   * read. "Since" is, best first: the sizes and modification times the training job recorded in the
   * version's lineage; those this scheduler saw before the run that produced the version; and, for
   * a version with neither (published before they were recorded, or trained by hand by an older
   * job), the version's createdAt, which misses a file appended during training.
   */
  private boolean unchanged(String model, int latest, List<DataFile> now) {
    Manifest manifest = store.manifest(model, latest);
    List<String> read = manifest.lineage() == null ? null : manifest.lineage().files();
    if (read == null || !read.equals(now.stream().map(DataFile::path).toList())) {
      return false;
    }
    List<DataFile> seen = manifest.lineage().inputs();
    if (seen == null) {
      seen = seenByRunOf(model, latest);
    }
    if (seen != null) {
      return seen.equals(now);
    }
    Instant created = Instant.parse(manifest.createdAt());
    return now.stream().allMatch(f -> f.modifiedAt() < created.toEpochMilli());
  }

  /**
   * The data files as this scheduler saw them before the run that produced {@code version}, if
   * recorded.
   */
  private List<DataFile> seenByRunOf(String model, int version) {
    for (HistoryEvent event : store.history(model)) {
      if (event.action() == HistoryEvent.Action.RETRAIN
          && Integer.valueOf(version).equals(event.to())
          && event.run() != null
          && event.run().get(DATA_STAMPS) instanceof List<?> stamps) {
        try {
          return StoreJson.mapper()
              .convertValue(
                  stamps,
                  StoreJson.mapper()
                      .getTypeFactory()
                      .constructCollectionType(List.class, DataFile.class));
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static Map<String, Object> asRecord(DataFile file) {
    Map<String, Object> stamp = new LinkedHashMap<>();
    stamp.put("path", file.path());
    stamp.put("size", file.size());
    stamp.put("modifiedAt", file.modifiedAt());
    return stamp;
  }

  private boolean alreadyRecorded(String model, String prefix) {
    List<HistoryEvent> events = store.history(model);
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.get(i).action() == HistoryEvent.Action.RETRAIN) {
        return events.get(i).reason() != null && events.get(i).reason().startsWith(prefix);
      }
    }
    return false;
  }

  /** The token rides along as a Spark setting, which spark-submit accepts and the job ignores. */
  /**
   * The spec, checked as the training job checks it before Spark starts: read at every run, since
   * the file may have changed since the scheduler started. A spec the job would refuse is a bad
   * spec here too, not a training failure worth retrying.
   */
  private static ModelSpec spec(Path specFile) {
    try {
      return SpecLoader.load(specFile);
    } catch (SpecException e) {
      throw new RetrainException(e.getMessage());
    }
  }

  private List<String> command(Path specFile, String token) {
    List<String> command = new ArrayList<>(policy.trainCommand());
    command.add(specFile.toString());
    command.add("--store");
    command.add(storeLocation);
    if (policy.master() != null) {
      command.add("--master");
      command.add(policy.master());
    }
    for (String property : policy.sparkConf()) {
      command.add("--spark-conf");
      command.add(property);
    }
    command.add("--spark-conf");
    command.add("spark.mlplatform.retrainRun=" + token);
    return command;
  }

  private static void finish(
      Map<String, Object> record,
      Instant started,
      Outcome outcome,
      Integer exit,
      List<Map<String, Object>> attempts) {
    Instant ended = Instant.now();
    record.put("endedAt", ended.toString());
    record.put("seconds", Duration.between(started, ended).toMillis() / 1000.0);
    record.put("outcome", outcome.key());
    record.put("attempts", attempts);
    if (!attempts.isEmpty()) {
      record.put("log", attempts.get(attempts.size() - 1).get("log"));
    }
  }

  private void say(String model, String message) {
    log.println(Instant.now() + " retrain " + model + ": " + message);
    log.flush();
  }

  private static String label(Integer version) {
    return version == null ? "unset" : "v" + version;
  }
}
