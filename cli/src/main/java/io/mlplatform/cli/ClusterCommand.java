package io.mlplatform.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** mlplatform cluster: a Spark standalone cluster on 127.0.0.1 (scripts/lib/cluster.sh runs it). */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description =
        "A real Spark standalone cluster (1 master, N workers) on 127.0.0.1, from the project's classpath.",
    subcommands = {
      ClusterCommand.Start.class,
      ClusterCommand.Stop.class,
      ClusterCommand.Status.class
    },
    footer = {
      "",
      "Then train on it: mlplatform train conf/models/penguins.yaml --master spark://127.0.0.1:7077",
      "No Spark distribution is needed: the workers get a SPARK_HOME whose jars/ links to the jars Maven resolved",
      "for the job, and SPARK_SCALA_VERSION=2.12, which they need to launch executors."
    })
final class ClusterCommand extends UsageWithoutSubcommand {

  /** Where its files are; every subcommand takes it, so stop and status find what start left. */
  static final class Dir {
    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description =
            "Logs, PID files and the workers' SPARK_HOME (default: .run/local-cluster in the project).")
    String dir;

    List<String> args() {
      return dir == null ? List.of() : List.of("--dir", dir);
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description =
          "Starts a master and N workers (1 core, 1 GiB each), waits until every worker has registered"
              + " and prints the master URL.")
  static final class Start extends Launched {
    @Mixin Dir dir;

    @Option(
        names = "--workers",
        paramLabel = "N",
        defaultValue = "2",
        description = "Workers to start, 1 to 99 (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(
        names = "--port",
        paramLabel = "PORT",
        defaultValue = "7077",
        description = "Master port (default: ${DEFAULT-VALUE}; the web UIs take free ports).")
    int port;

    @Override
    List<String> plan() {
      if (workers < 1 || workers > 99) {
        throw new ParameterException(spec.commandLine(), "--workers must be 1-99, got " + workers);
      }
      if (port < 1 || port > 65535) {
        throw new ParameterException(spec.commandLine(), "--port must be 1-65535, got " + port);
      }
      List<String> plan =
          new ArrayList<>(
              List.of(
                  "shell",
                  "cluster",
                  "start",
                  "--workers",
                  Integer.toString(workers),
                  "--port",
                  Integer.toString(port)));
      plan.addAll(dir.args());
      return plan;
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stops the processes start started (found through the PID files in DIR).")
  static final class Stop extends Launched {
    @Mixin Dir dir;

    @Override
    List<String> plan() {
      List<String> plan = new ArrayList<>(List.of("shell", "cluster", "stop"));
      plan.addAll(dir.args());
      return plan;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Says which of them are running; exit 0 when all are, 3 otherwise.")
  static final class Status extends Launched {
    @Mixin Dir dir;

    @Override
    List<String> plan() {
      List<String> plan = new ArrayList<>(List.of("shell", "cluster", "status"));
      plan.addAll(dir.args());
      return plan;
    }
  }
}
