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
        "| measure | bare echo (Javalin alone) | echo (HTTP+JSON floor) | predict (bench-gbt) |"
            + " echo / bare | predict / echo |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (int c : new int[] {1, 16}) {
      JsonNode bare = r.path("wrk-bare-c" + c);
      JsonNode echo = r.path("wrk-echo-c" + c);
      JsonNode predict = r.path("wrk-predict-c" + c);
      md.append("| closed loop (wrk), ")
          .append(c)
          .append(" conn: throughput req/s | ")
          .append(num(bare.path("rps")))
          .append(" | ")
          .append(num(echo.path("rps")))
          .append(" | ")
          .append(num(predict.path("rps")))
          .append(" | ")
          .append(times(echo.path("rps"), bare.path("rps")))
          .append(" | ")
          .append(times(predict.path("rps"), echo.path("rps")))
          .append(" |\n");
      md.append("| closed loop (wrk), ")
          .append(c)
          .append(" conn: p50 / p99 / p99.9 us | ")
          .append(triple(bare, "p50", "p99", "p999"))
          .append(" | ")
          .append(triple(echo, "p50", "p99", "p999"))
          .append(" | ")
          .append(triple(predict, "p50", "p99", "p999"))
          .append(" | | |\n");
      JsonNode oEcho = r.path("open-echo-c" + c);
      JsonNode oPredict = r.path("open-predict-c" + c);
      md.append("| open loop at ")
          .append(num(oPredict.path("targetRate")))
          .append(" req/s, ")
          .append(c)
          .append(" conn: p50 / p99 / p99.9 us | | ")
          .append(triple(oEcho, "p50Micros", "p99Micros", "p999Micros"))
          .append(" | ")
          .append(triple(oPredict, "p50Micros", "p99Micros", "p999Micros"))
          .append(" | | ")
          .append(times(oPredict.path("p99Micros"), oEcho.path("p99Micros")))
          .append(" / ")
          .append(times(oPredict.path("p999Micros"), oEcho.path("p999Micros")))
          .append(" |\n");
    }
    md.append('\n').append(targets(r));
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

  /** Each ratio target of the serving benchmark, its value in this run, and whether it is met. */
  static String targets(JsonNode r) {
    StringBuilder md =
        new StringBuilder("| target | this run | goal | met |\n| --- | ---: | ---: | --- |\n");
    for (int c : new int[] {1, 16}) {
      target(
          md,
          "echo / bare echo, wrk " + c + " conn",
          rps(r, "echo", c),
          rps(r, "bare", c),
          ">=",
          0.85);
    }
    for (int c : new int[] {1, 16}) {
      target(
          md,
          "predict / echo, wrk " + c + " conn",
          rps(r, "predict", c),
          rps(r, "echo", c),
          ">=",
          0.90);
    }
    for (int c : new int[] {1, 16}) {
      for (String p : new String[] {"p99", "p999"}) {
        target(
            md,
            "open loop " + (p.equals("p99") ? "p99" : "p99.9") + " predict / echo, " + c + " conn",
            r.path("open-predict-c" + c).path(p + "Micros"),
            r.path("open-echo-c" + c).path(p + "Micros"),
            "<=",
            1.5);
      }
    }
    target(
        md,
        "hot swap p99 / steady p99 (errors " + num(r.path("swap-during").path("errors")) + ")",
        r.path("swap-during").path("p99Micros"),
        r.path("swap-steady").path("p99Micros"),
        "<=",
        1.5);
    JsonNode batch = r.path("batch-1000").path("p50Micros");
    md.append("| 1,000-row batch p50 | ")
        .append(
            batch.isNumber()
                ? String.format(Locale.ROOT, "%.1f ms", batch.asDouble() / 1000)
                : "n/a")
        .append(" | <= 5 ms | ")
        .append(batch.isNumber() ? (batch.asDouble() <= 5000 ? "yes" : "no") : "n/a")
        .append(" |\n");
    return md.toString();
  }

  private static JsonNode rps(JsonNode r, String route, int connections) {
    return r.path("wrk-" + route + "-c" + connections).path("rps");
  }

  private static void target(
      StringBuilder md, String what, JsonNode top, JsonNode bottom, String op, double goal) {
    String value = times(top, bottom);
    String met = "n/a";
    if (!value.equals("n/a")) {
      double v = top.asDouble() / bottom.asDouble();
      met = (op.equals(">=") ? v >= goal : v <= goal) ? "yes" : "no";
    }
    md.append("| ")
        .append(what)
        .append(" | ")
        .append(value)
        .append(" | ")
        .append(op)
        .append(' ')
        .append(String.format(Locale.ROOT, "%.2f", goal))
        .append("x | ")
        .append(met)
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

  /** The ratio with its "x", or n/a. */
  static String times(JsonNode top, JsonNode bottom) {
    String ratio = ratio(top, bottom);
    return ratio.equals("n/a") ? ratio : ratio + "x";
  }

  static String ratio(JsonNode top, JsonNode bottom) {
    if (!top.isNumber() || !bottom.isNumber() || bottom.asDouble() == 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.2f", top.asDouble() / bottom.asDouble());
  }
}
