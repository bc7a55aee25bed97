package io.mlplatform.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * mlplatform bench: the benchmarks (scripts/lib/bench-serving.sh, bench-training.sh and
 * bench-capacity.sh run them).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks: serving under load, capacity, training against plain Spark MLlib.",
    subcommands = {
      BenchCommand.Serving.class,
      BenchCommand.Training.class,
      BenchCommand.Capacity.class
    },
    footer = {"", "Results and how to read them: docs/performance.md."})
final class BenchCommand extends UsageWithoutSubcommand {

  @Command(
      name = "serving",
      mixinStandardHelpOptions = true,
      description =
          "The real service with a real GBT bundle, against baselines measured in the same run.",
      footer = {
        "",
        "Trains bench-gbt (benchmarks/conf/bench-gbt.yaml) twice on N synthetic rows, starts the real",
        "service (auth on, access log to a file, POST /v1/bench/echo on) and measures on that one server:",
        "  closed loop (wrk)  echo and predict, 1 and 16 connections: throughput, p50, p99, p99.9",
        "  open loop          echo and predict at a constant rate, latency from each request's due time",
        "  batch              a 1,000-instance predict request, p50 and p99 round trip on loopback",
        "  hot swap           p99 under open-loop load while v2 then v1 are pinned, against a steady run",
        "  Spark local        in-process PipelineModel.transform + collect of one row, same bundle",
        "  prediction log     four fresh servers: the log off, on (local files, sampleRate 1), on with",
        "                     its sink down (HDFS refusing) and hung (HDFS never answering): wrk",
        "                     throughput and open-loop p50/p99 at 16 connections, in interleaved rounds",
        "Writes DIR/serving.json and DIR/serving.md and copies the table to bench-results/serving-latest.md.",
        "Installs wrk with apt-get when it is missing; without wrk the closed-loop rows show n/a."
      })
  static final class Serving extends Launched {
    @Option(
        names = "--duration",
        paramLabel = "SECONDS",
        defaultValue = "10",
        description = "Seconds per measured run (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(
        names = "--warmup",
        paramLabel = "SECONDS",
        defaultValue = "3",
        description = "Unmeasured seconds before each run (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
        names = "--rows",
        paramLabel = "N",
        defaultValue = "20000",
        description = "Synthetic training rows (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(
        names = "--rate1",
        paramLabel = "RATE",
        description =
            "Open-loop requests per second on 1 connection (default: half of wrk's rate).")
    Integer rate1;

    @Option(
        names = "--rate16",
        paramLabel = "RATE",
        description =
            "Open-loop requests per second on 16 connections (default: half of wrk's rate).")
    Integer rate16;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description = "Where results go (default: bench-results/serving-UTC_TIMESTAMP).")
    String out;

    @Option(
        names = "--profile",
        description = "Also record a JFR profile of the server (DIR/serve.jfr).")
    boolean profile;

    @Option(
        names = "--log-rounds",
        paramLabel = "N",
        defaultValue = "3",
        description =
            "Interleaved rounds of the prediction-log comparison, 0 to skip it (default: ${DEFAULT-VALUE}).")
    int logRounds;

    @Override
    List<String> plan() {
      positive("--duration", duration);
      positive("--rows", rows);
      if (warmup < 0) {
        throw new ParameterException(
            spec.commandLine(), "--warmup must be 0 or more, got " + warmup);
      }
      if (logRounds < 0) {
        throw new ParameterException(
            spec.commandLine(), "--log-rounds must be 0 or more, got " + logRounds);
      }
      List<String> plan =
          new ArrayList<>(
              List.of(
                  "shell",
                  "bench-serving",
                  "--duration",
                  Integer.toString(duration),
                  "--warmup",
                  Integer.toString(warmup),
                  "--rows",
                  Integer.toString(rows),
                  "--log-rounds",
                  Integer.toString(logRounds)));
      if (rate1 != null) {
        positive("--rate1", rate1);
        plan.addAll(List.of("--rate1", rate1.toString()));
      }
      if (rate16 != null) {
        positive("--rate16", rate16);
        plan.addAll(List.of("--rate16", rate16.toString()));
      }
      if (out != null) {
        plan.addAll(List.of("--out", out));
      }
      if (profile) {
        plan.add("--profile");
      }
      return plan;
    }

    private void positive(String option, int value) {
      if (value < 1) {
        throw new ParameterException(
            spec.commandLine(), option + " must be 1 or more, got " + value);
      }
    }
  }

  @Command(
      name = "training",
      mixinStandardHelpOptions = true,
      description =
          "The platform's training job against a hand-written plain Spark MLlib program, same run.",
      footer = {
        "",
        "For each size, generates a synthetic data set (3 categorical and 6 numeric columns, a binary",
        "label, seed 42), then times one after the other:",
        "  platform  mlplatform train benchmarks/conf/bench-gbt.yaml --timings ...: load, split, fit, evaluate,",
        "            export, verify, publish (the job's own per-phase timings)",
        "  plain     the same pipeline and split written by hand with Spark MLlib: load, split, fit, evaluate",
        "Writes DIR/training.json and DIR/training.md and copies the table to bench-results/training-latest.md."
      })
  static final class Training extends Launched {
    @Option(
        names = "--rows",
        paramLabel = "N[,N...]",
        defaultValue = "100000,1000000",
        description = "Sizes (default: ${DEFAULT-VALUE}; 20000,100000 for a quicker run).")
    String rows;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description = "Where results go (default: bench-results/training-UTC_TIMESTAMP).")
    String out;

    @Mixin SparkOptions spark;

    @Override
    List<String> plan() {
      if (!rows.matches("[1-9][0-9]*(,[1-9][0-9]*)*")) {
        throw new ParameterException(
            spec.commandLine(), "--rows takes sizes like 20000,100000, got '" + rows + "'");
      }
      List<String> plan = new ArrayList<>(List.of("shell", "bench-training", "--rows", rows));
      if (out != null) {
        plan.addAll(List.of("--out", out));
      }
      plan.addAll(spark.args());
      return plan;
    }
  }

  @Command(
      name = "capacity",
      mixinStandardHelpOptions = true,
      description =
          "How fast the service starts, and what many loaded versions cost in heap and throughput.",
      footer = {
        "",
        "Trains the sample model (conf/models/penguins.yaml) and bench-gbt (benchmarks/conf/bench-gbt.yaml)",
        "once each, then measures:",
        "  startup     process start to the first 200 of /health/ready, serving penguins, --starts times",
        "              (the launcher's JVM flags; the service's own log says where the time went)",
        "  versions    bench-gbt published --versions times (copies of one trained version), each",
        "              pointed at by an alias so that the service keeps every one loaded; one server",
        "              with only v1 loaded and one with all of them: heap in use after a full",
        "              collection, per loaded version",
        "  throughput  wrk, 16 connections, single-row predict on the default route of both servers,",
        "              in --rounds interleaved rounds: ratio of the many-versions server to the one",
        "Writes DIR/capacity.json and DIR/capacity.md and copies the table to bench-results/capacity-latest.md."
      })
  static final class Capacity extends Launched {
    @Option(
        names = "--versions",
        paramLabel = "N",
        defaultValue = "50",
        description = "Versions loaded in the many-versions server (default: ${DEFAULT-VALUE}).")
    int versions;

    @Option(
        names = "--starts",
        paramLabel = "N",
        defaultValue = "5",
        description = "Timed starts of the service (default: ${DEFAULT-VALUE}).")
    int starts;

    @Option(
        names = "--rounds",
        paramLabel = "N",
        defaultValue = "3",
        description = "Interleaved throughput rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
        names = "--duration",
        paramLabel = "SECONDS",
        defaultValue = "10",
        description = "Seconds per throughput run (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(
        names = "--rows",
        paramLabel = "N",
        defaultValue = "20000",
        description = "Synthetic training rows of bench-gbt (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description = "Where results go (default: bench-results/capacity-UTC_TIMESTAMP).")
    String out;

    @Override
    List<String> plan() {
      if (versions < 2) {
        throw new ParameterException(
            spec.commandLine(), "--versions must be 2 or more, got " + versions);
      }
      positive("--starts", starts);
      positive("--rounds", rounds);
      positive("--duration", duration);
      positive("--rows", rows);
      List<String> plan =
          new ArrayList<>(
              List.of(
                  "shell",
                  "bench-capacity",
                  "--versions",
                  Integer.toString(versions),
                  "--starts",
                  Integer.toString(starts),
                  "--rounds",
                  Integer.toString(rounds),
                  "--duration",
                  Integer.toString(duration),
                  "--rows",
                  Integer.toString(rows)));
      if (out != null) {
        plan.addAll(List.of("--out", out));
      }
      return plan;
    }

    private void positive(String option, int value) {
      if (value < 1) {
        throw new ParameterException(
            spec.commandLine(), option + " must be 1 or more, got " + value);
      }
    }
  }
}
