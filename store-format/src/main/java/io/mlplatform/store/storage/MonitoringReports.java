package io.mlplatform.store.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.StoreJson;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.Path;

/**
 * The monitor job's output in a model's directory: {@code monitoring/vN/RUN/} (a report and a
 * summary, written complete under {@code .staging} and moved into place in one step, so a reader
 * never sees half a run) and {@code monitoring/latest.json} (replaced whole, like an alias).
 */
final class MonitoringReports {

  // A run id is a UTC timestamp such as 20261207T150000Z, without ':' (Hadoop paths refuse it).
  private static final Pattern RUN = Pattern.compile("[0-9]{8}T[0-9]{6}Z(-[0-9]{1,4})?");
  private static final int MAX_ATTEMPTS = 100;

  private final ModelStore store;
  private final FileOps ops;

  MonitoringReports(ModelStore store, FileOps ops) {
    this.store = store;
    this.ops = ops;
  }

  /**
   * Writes one version's report and summary as run {@code run}, or {@code run-2}, {@code run-3}...
   * when a run of that name exists; returns the run directory's path relative to the model.
   */
  String publish(String model, int version, String run, Object summary, String html) {
    if (!RUN.matcher(run).matches()) {
      throw new StoreException(
          StoreException.Kind.INVALID,
          "monitoring run id '" + run + "' is not like 20261207T150000Z");
    }
    store.requireVersion(model, version);
    Path staged = new Path(store.stagingDir(model), "monitoring-" + UUID.randomUUID());
    Path parent = new Path(new Path(store.modelDir(model), Layout.MONITORING), "v" + version);
    try {
      ops.mkdirs(staged);
      ops.writeFile(
          new Path(staged, Layout.MONITORING_SUMMARY),
          StoreJson.mapper().writeValueAsBytes(summary));
      ops.writeFile(
          new Path(staged, Layout.MONITORING_REPORT), html.getBytes(StandardCharsets.UTF_8));
      ops.mkdirs(parent);
      for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        String name = attempt == 1 ? run : run + "-" + attempt;
        try {
          ops.moveNoReplace(staged, new Path(parent, name));
          return Layout.MONITORING + "/v" + version + "/" + name;
        } catch (FileAlreadyExistsException e) {
          // Another run of the same second; take the next suffix.
        }
      }
      throw new StoreException(
          StoreException.Kind.IO, "gave up naming monitoring run " + run + " of " + model);
    } catch (IOException e) {
      try {
        ops.delete(staged);
      } catch (IOException ignored) {
        // Leftovers under .staging are never read.
      }
      throw new StoreException(
          StoreException.Kind.IO,
          "cannot write the monitoring report of " + model + " v" + version + ": " + e.getMessage(),
          e);
    }
  }

  void putLatest(String model, Object latest) {
    Path staged = new Path(store.stagingDir(model), "latest-" + UUID.randomUUID() + ".json");
    Path dir = new Path(store.modelDir(model), Layout.MONITORING);
    try {
      ops.mkdirs(dir);
      ops.mkdirs(store.stagingDir(model));
      ops.writeFile(staged, StoreJson.mapper().writeValueAsBytes(latest));
      ops.replace(staged, new Path(dir, Layout.MONITORING_LATEST));
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "cannot write " + Layout.MONITORING_LATEST + " of " + model + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * A file of the monitoring directory as JSON ({@code latest.json}, {@code v3/RUN/summary.json}).
   */
  Optional<JsonNode> read(String model, String relative) {
    if (relative.contains("..")) {
      throw new StoreException(StoreException.Kind.INVALID, "'" + relative + "' leaves the model");
    }
    Path file = new Path(new Path(store.modelDir(model), Layout.MONITORING), relative);
    try (InputStream in = ops.openSmall(file)) {
      return Optional.of(StoreJson.mapper().readTree(in));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
