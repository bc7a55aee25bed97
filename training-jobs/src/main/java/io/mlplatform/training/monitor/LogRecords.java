package io.mlplatform.training.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlplatform.store.format.Distribution;
import io.mlplatform.store.format.LiveValues;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.StoreJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Turns lines of the prediction log into one row each (see {@link #SCHEMA}), binning each scored
 * instance's inputs and prediction exactly as the service bins what it scores ({@link LiveValues},
 * {@link Distribution#binOf}): the drift the job reports is the drift the service would see over
 * the same traffic. Runs on the executors; the versions' manifests travel as JSON text.
 */
final class LogRecords implements MapPartitionsFunction<String, Row> {

  static final String PREDICTION = "prediction";
  static final String FEEDBACK = "feedback";
  static final String MALFORMED = "malformed";
  static final String OTHER_MODEL = "other_model";

  /** A field the log replaced with this text is left out of that column's counts. */
  static final String REDACTED = "(redacted)";

  /** Bin of a value left out of the counts (a redacted field). */
  static final int SKIPPED = -1;

  static final StructType SCHEMA =
      new StructType()
          .add("kind", DataTypes.StringType, false)
          .add("version", DataTypes.IntegerType, true)
          .add("replica", DataTypes.StringType, true)
          .add("at", DataTypes.LongType, true)
          .add("latencyMs", DataTypes.DoubleType, true)
          .add("instances", DataTypes.IntegerType, true)
          .add("scored", DataTypes.IntegerType, true)
          // Per scored instance, the bin of each monitored column then of the prediction.
          .add("columns", DataTypes.IntegerType, true)
          .add("bins", DataTypes.createArrayType(DataTypes.IntegerType, false), true)
          .add("id", DataTypes.StringType, true)
          .add("correct", DataTypes.BooleanType, true)
          .add("error", DataTypes.DoubleType, true)
          .add("problem", DataTypes.StringType, true);

  private final String model;
  private final Broadcast<HashMap<Integer, String>> manifests;
  private transient Map<Integer, Manifest> parsed;
  private transient ObjectMapper json;

  /**
   * @param manifests the manifests of the store's versions of {@code model}, as JSON, broadcast
   *     once to each executor instead of travelling with every task
   */
  LogRecords(String model, Broadcast<HashMap<Integer, String>> manifests) {
    this.model = model;
    this.manifests = manifests;
  }

  @Override
  public Iterator<Row> call(Iterator<String> lines) {
    json = StoreJson.mapper();
    parsed = new HashMap<>();
    manifests
        .value()
        .forEach(
            (v, text) -> {
              try {
                parsed.put(v, json.readValue(text, Manifest.class));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    return new Iterator<>() {
      private String next = advance();

      private String advance() {
        while (lines.hasNext()) {
          String line = lines.next();
          if (!line.isBlank()) {
            return line;
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Row next() {
        String line = next;
        next = advance();
        return parse(line);
      }
    };
  }

  Row parse(String line) {
    JsonNode record;
    try {
      record = json.readTree(line);
    } catch (IOException e) {
      return malformed("not JSON");
    }
    if (record == null || !record.isObject()) {
      return malformed("not a JSON object");
    }
    String kind = record.path("kind").asText("");
    if (!kind.equals(PREDICTION) && !kind.equals(FEEDBACK)) {
      return malformed("kind is neither prediction nor feedback");
    }
    JsonNode named = record.get("model");
    if (named == null || !named.isTextual()) {
      return malformed("model is not a name");
    }
    if (!model.equals(named.textValue())) {
      return row(
          OTHER_MODEL, null, null, null, null, null, null, null, null, null, null, null, null);
    }
    JsonNode v = record.get("version");
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 1) {
      return malformed("version is not a number >= 1");
    }
    Long at = instant(record.get("at"));
    if (at == null) {
      return malformed("at is not an ISO instant");
    }
    String replica = record.path("replica").asText(null);
    return kind.equals(PREDICTION)
        ? prediction(record, v.intValue(), replica, at)
        : feedback(record, v.intValue(), replica, at);
  }

  private Row prediction(JsonNode record, int version, String replica, long at) {
    JsonNode instances = record.get("instances");
    JsonNode outputs = record.get("outputs");
    if (instances == null || !instances.isArray() || outputs == null || !outputs.isArray()) {
      return malformed("instances and outputs must be arrays");
    }
    if (instances.size() != outputs.size()) {
      return malformed("instances and outputs differ in length");
    }
    JsonNode latency = record.get("latencyMs");
    Double latencyMs = latency != null && latency.isNumber() ? latency.doubleValue() : null;
    Manifest manifest = parsed.get(version);
    boolean monitored = manifest != null && manifest.monitoring() != null;
    List<Distribution> features = monitored ? manifest.monitoring().features() : List.of();
    int columns = monitored ? features.size() + 1 : 0;
    List<Integer> bins = new ArrayList<>();
    int scored = 0;
    for (int i = 0; i < instances.size(); i++) {
      JsonNode output = outputs.get(i);
      JsonNode prediction = output == null ? null : output.get("prediction");
      if (output == null || output.isNull() || prediction == null || !prediction.isNumber()) {
        continue; // an invalid instance of a partial request: the service did not bin it either
      }
      scored++;
      if (!monitored) {
        continue;
      }
      JsonNode instance = instances.get(i);
      for (Distribution d : features) {
        JsonNode value = instance.get(d.name());
        bins.add(
            value != null && value.isTextual() && REDACTED.equals(value.textValue())
                ? SKIPPED
                : d.binOf(LiveValues.input(value)));
      }
      bins.add(
          manifest
              .monitoring()
              .prediction()
              .binOf(
                  LiveValues.prediction(
                      prediction.doubleValue(),
                      manifest.task().isClassification(),
                      manifest.outputs().labels())));
    }
    return row(
        PREDICTION,
        version,
        replica,
        at,
        latencyMs,
        instances.size(),
        scored,
        columns,
        bins.stream().mapToInt(Integer::intValue).toArray(),
        null,
        null,
        null,
        null);
  }

  /** Judged as the service judges feedback (FeedbackLedger): class by name, or the error. */
  private Row feedback(JsonNode record, int version, String replica, long at) {
    String id = record.path("id").asText(null);
    JsonNode prediction = record.get("prediction");
    JsonNode label = record.get("label");
    if (id == null || id.isEmpty()) {
      return malformed("feedback without an id");
    }
    if (prediction == null || !prediction.isNumber() || label == null || label.isNull()) {
      return malformed("feedback needs a numeric prediction and a label");
    }
    Manifest manifest = parsed.get(version);
    Boolean correct = null;
    Double error = null;
    if (manifest != null) {
      if (manifest.task().isClassification()) {
        correct =
            label.isTextual()
                && manifest.outputs().labels().indexOf(label.textValue())
                    == (int) prediction.doubleValue();
      } else if (label.isNumber()) {
        error = prediction.doubleValue() - label.doubleValue();
        correct = error == 0;
      } else {
        return malformed("feedback label of a regression model is not a number");
      }
    }
    return row(
        FEEDBACK, version, replica, at, null, null, null, null, null, id, correct, error, null);
  }

  private static Long instant(JsonNode node) {
    if (node == null || !node.isTextual()) {
      return null;
    }
    try {
      return Instant.parse(node.textValue()).toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Row malformed(String problem) {
    return row(
        MALFORMED, null, null, null, null, null, null, null, null, null, null, null, problem);
  }

  private static Row row(Object... values) {
    return RowFactory.create(values);
  }
}
