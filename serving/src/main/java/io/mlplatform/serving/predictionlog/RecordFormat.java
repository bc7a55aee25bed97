package io.mlplatform.serving.predictionlog;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes one entry as one JSON line (UTF-8, ending in a newline) in the prediction log's record
 * format (docs/prediction-log.md). The writer thread's own: not thread-safe.
 */
final class RecordFormat {

  static final String REDACTED = "(redacted)";

  // Always three fraction digits, so records sort and read alike.
  private static final DateTimeFormatter INSTANT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final ObjectMapper mapper = new ObjectMapper();
  private final String replica;
  private final Function<String, Set<String>> redacted;

  /**
   * @param redacted the field names redacted for a model
   */
  RecordFormat(String replica, Function<String, Set<String>> redacted) {
    this.replica = replica;
    this.redacted = redacted;
  }

  static String instant(long epochMillis) {
    return INSTANT.format(Instant.ofEpochMilli(epochMillis));
  }

  /** Appends the entry's line to {@code out}. */
  void write(LogEntry entry, ByteArrayOutputStream out) throws IOException {
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      if (entry instanceof LogEntry.Prediction p) {
        prediction(g, p);
      } else if (entry instanceof LogEntry.Feedback f) {
        feedback(g, f);
      }
    }
    out.write('\n');
  }

  private void prediction(JsonGenerator g, LogEntry.Prediction p) throws IOException {
    g.writeStartObject();
    g.writeStringField("kind", "prediction");
    g.writeStringField("model", p.model());
    g.writeNumberField("version", p.version());
    g.writeStringField("requestId", p.requestId());
    g.writeStringField("at", instant(p.atMillis()));
    // Microsecond precision: nanoseconds are noise, and whole milliseconds hide a fast model.
    g.writeNumberField("latencyMs", Math.round(p.latencyNanos() / 1e3) / 1e3);
    g.writeStringField("replica", replica);
    g.writeStringField("route", p.route());
    g.writeFieldName("instances");
    instances(g, p.instances(), redacted.apply(p.model()));
    g.writeFieldName("outputs");
    mapper.writeValue(g, p.outputs());
    g.writeEndObject();
  }

  private void feedback(JsonGenerator g, LogEntry.Feedback f) throws IOException {
    g.writeStartObject();
    g.writeStringField("kind", "feedback");
    g.writeStringField("model", f.model());
    g.writeNumberField("version", f.version());
    g.writeStringField("id", f.id());
    g.writeStringField("at", instant(f.atMillis()));
    g.writeStringField("predictedAt", f.predictedAt());
    if (f.prediction() == null) {
      g.writeNullField("prediction");
    } else {
      g.writeNumberField("prediction", f.prediction());
    }
    g.writeFieldName("label");
    mapper.writeValue(g, f.label());
    g.writeStringField("replica", replica);
    g.writeEndObject();
  }

  /** The instances as received, except that a redacted field's value is {@value #REDACTED}. */
  private static void instances(JsonGenerator g, JsonNode instances, Set<String> redacted)
      throws IOException {
    if (redacted.isEmpty() || instances == null || !instances.isArray()) {
      g.writeTree(instances);
      return;
    }
    g.writeStartArray();
    for (JsonNode instance : instances) {
      if (!instance.isObject()) {
        g.writeTree(instance);
        continue;
      }
      g.writeStartObject();
      for (Iterator<Map.Entry<String, JsonNode>> it = instance.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        g.writeFieldName(field.getKey());
        if (redacted.contains(field.getKey())) {
          g.writeString(REDACTED);
        } else {
          g.writeTree(field.getValue());
        }
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
