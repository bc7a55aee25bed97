package io.mlplatform.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gathers scripts/lib/bench-capacity.sh's pieces into capacity.json and capacity.md: the service's
 * start to ready, heap in use per loaded version, and the throughput of a server holding many
 * versions against one holding one, round by round.
 *
 * <p>{@code CapacityReport DIR VERSIONS ROUNDS}. Reads {@code startup.txt} and {@code
 * startup-cpu.txt} (milliseconds of wall and CPU time, one start a line), {@code heap-one.txt} and
 * {@code heap-many.txt} ({@code jcmd GC.heap_info} after {@code GC.run}), {@code serve-one.log} and
 * {@code serve-many.log} (the versions each loaded), and {@code wrk-one-N.json} and {@code
 * wrk-many-N.json} per round.
 */
public final class CapacityReport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

  private CapacityReport() {}

  public static void main(String[] args) throws IOException {
    write(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
  }

  public static void write(Path dir, int versions, int rounds) throws IOException {
    ObjectNode all = JSON.createObjectNode();
    summary(all.putObject("startupMillis"), numbers(dir.resolve("startup.txt")));
    summary(all.putObject("startupCpuMillis"), numbers(dir.resolve("startup-cpu.txt")));

    ObjectNode heap = all.putObject("heap");
    Long one = usedKiB(dir.resolve("heap-one.txt"));
    Long many = usedKiB(dir.resolve("heap-many.txt"));
    int loadedOne = loaded(dir.resolve("models-one.json"));
    int loadedMany = loaded(dir.resolve("models-many.json"));
    heap.put("versionsAsked", versions);
    heap.put("loadedOne", loadedOne);
    heap.put("loadedMany", loadedMany);
    if (one != null) {
      heap.put("usedOneMiB", one / 1024.0);
    }
    if (many != null) {
      heap.put("usedManyMiB", many / 1024.0);
    }
    if (one != null && many != null && loadedMany > loadedOne) {
      heap.put("perVersionMiB", (many - one) / 1024.0 / (loadedMany - loadedOne));
    }
    List<Long> readyOne = numbers(dir.resolve("ready-one.txt"));
    List<Long> readyMany = numbers(dir.resolve("ready-many.txt"));
    if (!readyOne.isEmpty() && !readyMany.isEmpty()) {
      heap.put("readyOneMillis", readyOne.get(0));
      heap.put("readyManyMillis", readyMany.get(0));
    }

    ArrayNode runs = all.putArray("rounds");
    List<Double> ratios = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      ObjectNode round = runs.addObject();
      JsonNode a = read(dir.resolve("wrk-one-" + r + ".json"));
      JsonNode b = read(dir.resolve("wrk-many-" + r + ".json"));
      round.set("one", a);
      round.set("many", b);
      if (a != null && b != null && a.path("rps").asDouble() > 0) {
        double ratio = b.path("rps").asDouble() / a.path("rps").asDouble();
        round.put("ratio", ratio);
        ratios.add(ratio);
      }
    }
    if (!ratios.isEmpty()) {
      double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      all.put("throughputRatioMedian", sorted[sorted.length / 2]);
      all.put("throughputRatioMin", sorted[0]);
      all.put("throughputRatioMax", sorted[sorted.length - 1]);
    }
    Path load = dir.resolve("loadavg-start.txt");
    all.set(
        "machine",
        JSON.valueToTree(Machine.describe(Files.exists(load) ? Files.readString(load) : null)));
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("capacity.json").toFile(), all);
    Files.writeString(dir.resolve("capacity.md"), markdown(all));
  }

  private static List<Long> numbers(Path file) throws IOException {
    List<Long> numbers = new ArrayList<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          numbers.add(Long.parseLong(line.trim()));
        }
      }
    }
    return numbers;
  }

  private static void summary(ObjectNode node, List<Long> values) {
    ArrayNode each = node.putArray("each");
    values.forEach(each::add);
    if (!values.isEmpty()) {
      long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
      node.put("median", median(sorted));
      node.put("min", sorted[0]);
      node.put("max", sorted[sorted.length - 1]);
    }
  }

  private static String range(JsonNode s) {
    return s.has("median")
        ? String.format(
            Locale.ROOT,
            "%,d (%,d-%,d)",
            s.path("median").asLong(),
            s.path("min").asLong(),
            s.path("max").asLong())
        : "n/a";
  }

  static String markdown(JsonNode all) {
    JsonNode s = all.path("startupMillis");
    JsonNode h = all.path("heap");
    StringBuilder md = new StringBuilder("| measure | figure | target |\n| --- | ---: | --- |\n");
    md.append(
        row(
            "process start to ready (`/health/ready` 200), sample model: median (min-max) ms, "
                + s.path("each").size()
                + " starts",
            range(s),
            "<= 3,000 ms"));
    md.append(
        row(
            "CPU time the process used until ready: median (min-max) ms",
            range(all.path("startupCpuMillis")),
            ""));
    md.append(
        row(
            "versions loaded: one server / the other",
            h.path("loadedOne").asInt() + " / " + h.path("loadedMany").asInt(),
            h.path("versionsAsked").asInt() + " asked"));
    md.append(
        row(
            "heap in use after a full GC: one version / many, MiB",
            mib(h.path("usedOneMiB")) + " / " + mib(h.path("usedManyMiB")),
            ""));
    md.append(row("heap per loaded version, MiB", mib(h.path("perVersionMiB")), "<= 20 MiB"));
    md.append(
        row(
            "start to ready, bench-gbt: one version / all of them (each: bundle, self-test, warm-up), ms",
            h.has("readyOneMillis")
                ? String.format(
                    Locale.ROOT,
                    "%,d / %,d",
                    h.path("readyOneMillis").asLong(),
                    h.path("readyManyMillis").asLong())
                : "n/a",
            ""));
    for (JsonNode round : all.path("rounds")) {
      md.append(
          row(
              "wrk 16 conn, single-row predict req/s: one version / many (round)",
              rps(round.path("one")) + " / " + rps(round.path("many")),
              round.has("ratio")
                  ? String.format(Locale.ROOT, "%.2fx", round.path("ratio").asDouble())
                  : "n/a"));
    }
    md.append(
        row(
            "throughput many / one: median (range) of the rounds",
            all.has("throughputRatioMedian")
                ? String.format(
                    Locale.ROOT,
                    "%.2fx (%.2f-%.2f)",
                    all.path("throughputRatioMedian").asDouble(),
                    all.path("throughputRatioMin").asDouble(),
                    all.path("throughputRatioMax").asDouble())
                : "n/a",
            ">= 0.90x"));
    md.append('\n').append(Machine.line(all.path("machine")));
    return md.toString();
  }

  private static String row(String measure, String figure, String target) {
    return "| " + measure + " | " + figure + " | " + target + " |\n";
  }

  private static String mib(JsonNode value) {
    return value.isNumber() ? String.format(Locale.ROOT, "%.1f", value.asDouble()) : "n/a";
  }

  private static String rps(JsonNode wrk) {
    return wrk.path("rps").isNumber()
        ? String.format(Locale.ROOT, "%,.0f", wrk.path("rps").asDouble())
        : "n/a";
  }

  private static long median(long[] sorted) {
    return sorted[sorted.length / 2];
  }

  /** Heap in use, from {@code jcmd PID GC.heap_info}: G1's "total NK, used NK" line. */
  static Long usedKiB(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    Matcher m = USED.matcher(Files.readString(file));
    return m.find() ? Long.parseLong(m.group(1)) : null;
  }

  /** The versions a server holds in memory, from its {@code GET /v1/models/NAME} answer. */
  static int loaded(Path models) throws IOException {
    int loaded = 0;
    JsonNode detail = read(models);
    if (detail != null) {
      for (JsonNode version : detail.path("versionStates")) {
        String state = version.path("state").asText().toUpperCase(Locale.ROOT);
        if (state.equals("SERVING") || state.equals("LOADED") || state.equals("DEGRADED")) {
          loaded++;
        }
      }
    }
    return loaded;
  }

  private static JsonNode read(Path file) throws IOException {
    return Files.exists(file) ? JSON.readTree(file.toFile()) : null;
  }
}
