package io.mlplatform.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prediction-log part of the serving report: the same predict traffic on three servers (log
 * off, on with local files, on with its sink down or hung), in interleaved rounds. Each round's
 * figures are divided by the log-off figures of the same round, and the median of those ratios is
 * reported, so the machine's drift between rounds cancels out.
 */
final class PredictionLogReport {

  static final String[] MODES = {"off", "on", "down", "hung"};
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SAMPLE =
      Pattern.compile("^(mlp_prediction_log_\\w+?)(?:_total)?(?:\\{(\\w+)=\"(\\w+)\"})? (\\S+)$");

  private PredictionLogReport() {}

  /** What each log's metrics said at the end: records written and dropped, by reason. */
  static ObjectNode sinks(Path dir) throws IOException {
    ObjectNode sinks = JSON.createObjectNode();
    for (String mode : new String[] {"on", "down", "hung"}) {
      Path file = dir.resolve("plog-" + mode + "-metrics.txt");
      if (!Files.exists(file)) {
        continue;
      }
      ObjectNode m = sinks.putObject(mode);
      for (String line : Files.readAllLines(file)) {
        Matcher x = SAMPLE.matcher(line);
        if (x.matches()) {
          String name = x.group(1).replace("mlp_prediction_log_", "");
          m.put(
              x.group(3) == null ? name : name + "_" + x.group(3), Double.parseDouble(x.group(4)));
        }
      }
    }
    Path files = dir.resolve("plog-on-files.txt");
    if (Files.exists(files)) {
      String[] counts = Files.readString(files).trim().split("\\s+");
      ObjectNode on = sinks.has("on") ? (ObjectNode) sinks.get("on") : sinks.putObject("on");
      on.put("jsonlFiles", Long.parseLong(counts[0]));
      on.put("linesInFiles", Long.parseLong(counts[1]));
    }
    return sinks;
  }

  static String markdown(JsonNode r) {
    int rounds = 0;
    while (r.has("plog-off-r" + (rounds + 1) + "-wrk")) {
      rounds++;
    }
    if (rounds == 0) {
      return "";
    }
    StringBuilder md = new StringBuilder("\n");
    JsonNode open = r.path("plog-off-r1-open");
    md.append("| prediction log, 16 conn, median of ")
        .append(rounds)
        .append(
            " interleaved rounds (ratio: median of each round's ratio to log off) | log off | log on"
                + " (local files, sampleRate 1) | sink down (HDFS refuses) | sink hung (HDFS never"
                + " answers) |\n");
    md.append("| --- | ---: | ---: | ---: | ---: |\n");
    row(md, r, rounds, "closed loop (wrk): throughput req/s", "wrk", n -> n.path("rps").asDouble());
    row(
        md,
        r,
        rounds,
        "open loop at " + ServingReport.num(open.path("targetRate")) + " req/s: p50 us",
        "open",
        n -> n.path("p50Micros").asDouble());
    row(
        md,
        r,
        rounds,
        "open loop at " + ServingReport.num(open.path("targetRate")) + " req/s: p99 us",
        "open",
        n -> n.path("p99Micros").asDouble());
    row(md, r, rounds, "open loop: errors", "open", n -> n.path("errors").asDouble());
    md.append("| per-request cost from throughput, 1/rps - 1/rps(off) | | ")
        .append(cost(r, rounds, "on"))
        .append(" | ")
        .append(cost(r, rounds, "down"))
        .append(" | ")
        .append(cost(r, rounds, "hung"))
        .append(" |\n");
    JsonNode on = r.path("plog-sinks").path("on");
    md.append("| records written / dropped (queue_full, sink_error) | | ")
        .append(records(on))
        .append(" | ")
        .append(records(r.path("plog-sinks").path("down")))
        .append(" | ")
        .append(records(r.path("plog-sinks").path("hung")))
        .append(" |\n");
    if (on.has("jsonlFiles")) {
      md.append("| published files / lines in them | | ")
          .append(ServingReport.num(on.path("jsonlFiles")))
          .append(" / ")
          .append(ServingReport.num(on.path("linesInFiles")))
          .append(" | | |\n");
    }
    return md.toString();
  }

  private static void row(
      StringBuilder md,
      JsonNode r,
      int rounds,
      String measure,
      String run,
      ToDoubleFunction<JsonNode> value) {
    md.append("| ").append(measure);
    for (String mode : MODES) {
      List<Double> values = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      for (int i = 1; i <= rounds; i++) {
        JsonNode mine = r.path("plog-" + mode + "-r" + i + "-" + run);
        JsonNode off = r.path("plog-off-r" + i + "-" + run);
        if (mine.isMissingNode() || off.isMissingNode()) {
          continue;
        }
        double v = value.applyAsDouble(mine);
        double base = value.applyAsDouble(off);
        values.add(v);
        if (base != 0) {
          ratios.add(v / base);
        }
      }
      md.append(" | ");
      if (values.isEmpty()) {
        md.append("n/a");
        continue;
      }
      md.append(ServingReport.num(JSON.getNodeFactory().numberNode(median(values))));
      if (!mode.equals("off") && !ratios.isEmpty()) {
        md.append(String.format(Locale.ROOT, " (%.2fx)", median(ratios)));
      }
    }
    md.append(" |\n");
  }

  /** Median over rounds of the extra wall time per request at saturation, in microseconds. */
  private static String cost(JsonNode r, int rounds, String mode) {
    List<Double> costs = new ArrayList<>();
    for (int i = 1; i <= rounds; i++) {
      double mine = r.path("plog-" + mode + "-r" + i + "-wrk").path("rps").asDouble();
      double off = r.path("plog-off-r" + i + "-wrk").path("rps").asDouble();
      if (mine > 0 && off > 0) {
        costs.add(1e6 / mine - 1e6 / off);
      }
    }
    return costs.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%+.1f us", median(costs));
  }

  private static String records(JsonNode sink) {
    if (sink.isMissingNode()) {
      return "n/a";
    }
    return ServingReport.num(
            JSON.getNodeFactory()
                .numberNode(
                    sink.path("records_prediction").asDouble()
                        + sink.path("records_feedback").asDouble()))
        + " / "
        + ServingReport.num(sink.path("dropped_queue_full"))
        + ", "
        + ServingReport.num(sink.path("dropped_sink_error"));
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
