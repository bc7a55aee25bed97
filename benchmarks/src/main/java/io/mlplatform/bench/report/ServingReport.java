package io.mlplatform.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Gathers the pieces scripts/bench-serving wrote into one directory (wrk summaries, open-loop
 * results, the Spark-local baseline, the batch and hot-swap runs) into serving.json and serving.md.
 * A missing piece shows as "n/a" rather than failing the report.
 *
 * <p>{@code ServingReport DIR}
 */
public final class ServingReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ServingReport() {}

  public static void main(String[] args) throws IOException {
    write(Path.of(args[0]));
  }

  public static void write(Path dir) throws IOException {
    ObjectNode all = JSON.createObjectNode();
    try (var files = Files.list(dir)) {
      for (Path file :
          files
              .filter(f -> f.toString().endsWith(".json") && !f.endsWith("serving.json"))
              .sorted()
              .toList()) {
        all.set(file.getFileName().toString().replace(".json", ""), JSON.readTree(file.toFile()));
      }
    }
    all.set("plog-sinks", PredictionLogReport.sinks(dir));
    Path load = dir.resolve("loadavg-start.txt");
    all.set(
        "machine",
        JSON.valueToTree(Machine.describe(Files.exists(load) ? Files.readString(load) : null)));
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("serving.json").toFile(), all);
    Files.writeString(dir.resolve("serving.md"), markdown(all));
  }

  static String markdown(JsonNode r) {
    StringBuilder md = new StringBuilder();
    md.append(
        "| measure | echo (HTTP+JSON floor) | predict (bench-gbt) | predict / echo | target |\n");
    md.append("| --- | ---: | ---: | ---: | --- |\n");
    for (int c : new int[] {1, 16}) {
      JsonNode echo = r.path("wrk-echo-c" + c);
      JsonNode predict = r.path("wrk-predict-c" + c);
      row(
          md,
          "closed loop (wrk), " + c + " conn: throughput req/s",
          echo.path("rps"),
          predict.path("rps"),
          true,
          "predict >= 0.9x echo");
      row(
          md,
          "closed loop (wrk), " + c + " conn: p50 / p99 / p99.9 us",
          triple(echo, "p50", "p99", "p999"),
          triple(predict, "p50", "p99", "p999"),
          c == 1 ? "p50 <= 150 us" : "p99 <= 2000 us");
      JsonNode oEcho = r.path("open-echo-c" + c);
      JsonNode oPredict = r.path("open-predict-c" + c);
      row(
          md,
          "open loop at "
              + num(oPredict.path("targetRate"))
              + " req/s, "
              + c
              + " conn: p50 / p99 / p99.9 us",
          triple(oEcho, "p50Micros", "p99Micros", "p999Micros"),
          triple(oPredict, "p50Micros", "p99Micros", "p999Micros"),
          c == 1 ? "p50 <= 150 us" : "p99 <= 2000 us");
    }
    md.append('\n');
    JsonNode spark = r.path("spark-local");
    JsonNode ours = r.path("open-predict-c1");
    md.append("| baseline or scenario | figure |\n| --- | --- |\n");
    md.append("| Spark local `PipelineModel.transform` + collect, 1 row, p50 / p99 | ")
        .append(num(spark.path("p50Micros")))
        .append(" / ")
        .append(num(spark.path("p99Micros")))
        .append(" us |\n");
    md.append("| Spark local p50 / our p50 (open loop, 1 conn; target >= 100x) | ")
        .append(ratio(spark.path("p50Micros"), ours.path("p50Micros")))
        .append("x |\n");
    JsonNode batch = r.path("batch-1000");
    md.append("| 1,000-row batch, round trip on loopback, p50 / p99 | ")
        .append(num(batch.path("p50Micros")))
        .append(" / ")
        .append(num(batch.path("p99Micros")))
        .append(" us |\n");
    JsonNode steady = r.path("swap-steady");
    JsonNode swap = r.path("swap-during");
    md.append("| p99 steady vs during a hot swap (open loop ")
        .append(num(swap.path("targetRate")))
        .append(" req/s, ")
        .append(num(swap.path("connections")))
        .append(" conn) | ")
        .append(num(steady.path("p99Micros")))
        .append(" us vs ")
        .append(num(swap.path("p99Micros")))
        .append(" us (max ")
        .append(num(swap.path("maxMicros")))
        .append(" us, errors ")
        .append(num(swap.path("errors")))
        .append(") |\n");
    md.append(PredictionLogReport.markdown(r));
    md.append("\n").append(Machine.line(r.path("machine")));
    return md.toString();
  }

  private static void row(
      StringBuilder md,
      String measure,
      JsonNode echo,
      JsonNode predict,
      boolean ratio,
      String target) {
    md.append("| ")
        .append(measure)
        .append(" | ")
        .append(num(echo))
        .append(" | ")
        .append(num(predict))
        .append(" | ")
        .append(ratio ? ratio(predict, echo) + "x" : "")
        .append(" | ")
        .append(target)
        .append(" |\n");
  }

  private static void row(
      StringBuilder md, String measure, String echo, String predict, String target) {
    md.append("| ")
        .append(measure)
        .append(" | ")
        .append(echo)
        .append(" | ")
        .append(predict)
        .append(" | | ")
        .append(target)
        .append(" |\n");
  }

  private static String triple(JsonNode n, String a, String b, String c) {
    return num(n.path(a)) + " / " + num(n.path(b)) + " / " + num(n.path(c));
  }

  static String num(JsonNode n) {
    if (!n.isNumber()) {
      return "n/a";
    }
    double v = n.asDouble();
    return v >= 100 || v == Math.rint(v)
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  static String ratio(JsonNode top, JsonNode bottom) {
    if (!top.isNumber() || !bottom.isNumber() || bottom.asDouble() == 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.2f", top.asDouble() / bottom.asDouble());
  }
}
