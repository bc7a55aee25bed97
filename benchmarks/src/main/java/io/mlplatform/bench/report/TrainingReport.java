package io.mlplatform.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Gathers scripts/bench-training's pieces ({@code platform-ROWS.jsonl} from the job's --timings,
 * {@code plain-ROWS.json} from PlainSparkTraining) into training.json and training.md: seconds per
 * phase for both, their ratio per size, and how each phase grows from the smallest size to the
 * largest, against how the rows grow.
 *
 * <p>{@code TrainingReport DIR ROWS[,ROWS...]}
 */
public final class TrainingReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainingReport() {}

  public static void main(String[] args) throws IOException {
    List<Long> sizes = new ArrayList<>();
    for (String size : args[1].split(",")) {
      sizes.add(Long.parseLong(size.trim()));
    }
    write(Path.of(args[0]), sizes);
  }

  public static void write(Path dir, List<Long> sizes) throws IOException {
    ObjectNode all = JSON.createObjectNode();
    ArrayNode runs = all.putArray("runs");
    for (long rows : sizes) {
      ObjectNode run = runs.addObject();
      run.put("rows", rows);
      Path platform = dir.resolve("platform-" + rows + ".jsonl");
      Path plain = dir.resolve("plain-" + rows + ".json");
      run.set(
          "platform",
          Files.exists(platform) ? JSON.readTree(Files.readAllLines(platform).get(0)) : null);
      run.set("plain", Files.exists(plain) ? JSON.readTree(plain.toFile()) : null);
    }
    Path load = dir.resolve("loadavg-start.txt");
    all.set(
        "machine",
        JSON.valueToTree(Machine.describe(Files.exists(load) ? Files.readString(load) : null)));
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("training.json").toFile(), all);
    Files.writeString(dir.resolve("training.md"), markdown(all));
  }

  static String markdown(JsonNode all) {
    Set<String> phases = new LinkedHashSet<>();
    for (JsonNode run : all.path("runs")) {
      run.path("platform").path("phases").fieldNames().forEachRemaining(phases::add);
      run.path("plain").path("phases").fieldNames().forEachRemaining(phases::add);
    }
    phases.add("total");
    StringBuilder md =
        new StringBuilder(
            "| rows | phase | platform job (s) | plain Spark MLlib (s) | platform / plain |\n");
    md.append("| ---: | --- | ---: | ---: | ---: |\n");
    for (JsonNode run : all.path("runs")) {
      for (String phase : phases) {
        JsonNode ours = seconds(run.path("platform"), phase);
        JsonNode plain = seconds(run.path("plain"), phase);
        md.append("| ")
            .append(String.format(Locale.ROOT, "%,d", run.path("rows").asLong()))
            .append(" | ")
            .append(phase)
            .append(" | ")
            .append(s(ours))
            .append(" | ")
            .append(s(plain))
            .append(" | ")
            .append(ServingReport.ratio(ours, plain))
            .append(" |\n");
      }
    }
    JsonNode runs = all.path("runs");
    if (runs.size() > 1) {
      JsonNode small = runs.get(0);
      JsonNode large = runs.get(runs.size() - 1);
      md.append("\nGrowth from ")
          .append(String.format(Locale.ROOT, "%,d", small.path("rows").asLong()))
          .append(" to ")
          .append(String.format(Locale.ROOT, "%,d", large.path("rows").asLong()))
          .append(" rows (")
          .append(ServingReport.ratio(large.path("rows"), small.path("rows")))
          .append(
              "x the rows), time ratio per phase; a phase of the platform grows no faster than the"
                  + " rows when its ratio is at most the rows' ratio:\n\n"
                  + "| phase | platform | plain Spark | platform no faster than the rows |\n"
                  + "| --- | ---: | ---: | --- |\n");
      double rowGrowth = large.path("rows").asDouble() / small.path("rows").asDouble();
      for (String phase : phases) {
        JsonNode ours = seconds(large.path("platform"), phase);
        JsonNode oursBefore = seconds(small.path("platform"), phase);
        md.append("| ")
            .append(phase)
            .append(" | ")
            .append(times(ours, oursBefore))
            .append(" | ")
            .append(times(seconds(large.path("plain"), phase), seconds(small.path("plain"), phase)))
            .append(" | ")
            .append(withinRows(ours, oursBefore, rowGrowth))
            .append(" |\n");
      }
    }
    md.append("\n").append(Machine.line(all.path("machine")));
    return md.toString();
  }

  /**
   * "yes" when the phase grew by at most the rows' factor, "no" when faster, "n/a" if unmeasured.
   */
  private static String withinRows(JsonNode large, JsonNode small, double rowGrowth) {
    if (!large.isNumber() || !small.isNumber() || small.asDouble() <= 0) {
      return "n/a";
    }
    return large.asDouble() / small.asDouble() <= rowGrowth ? "yes" : "no";
  }

  /** "1.28x", or "n/a" where the plain program has no such phase. */
  private static String times(JsonNode top, JsonNode bottom) {
    String ratio = ServingReport.ratio(top, bottom);
    return ratio.equals("n/a") ? ratio : ratio + "x";
  }

  private static JsonNode seconds(JsonNode result, String phase) {
    return phase.equals("total") ? result.path("totalSeconds") : result.path("phases").path(phase);
  }

  private static String s(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.2f", n.asDouble()) : "-";
  }
}
