package io.mlplatform.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * mlplatform quickstart: from a fresh clone to a served model (scripts/lib/quickstart.sh runs it).
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description =
        "Builds if needed, trains the sample penguins model in Spark local mode and serves it on 127.0.0.1.",
    footer = {
      "",
      "Trains conf/models/penguins.yaml, publishes it to the store, then serves it in the foreground",
      "without API keys (--no-auth, local use only) and prints a curl to try. Stop it with Ctrl-C."
    })
final class QuickstartCommand extends Launched {

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port to serve on (default: $MLPLATFORM_PORT, else $PORT, else 8080).")
  Integer port;

  @Option(
      names = "--store",
      paramLabel = "URI",
      defaultValue = "${env:MLPLATFORM_STORE:-./model-store}",
      description = "Model store (default: $MLPLATFORM_STORE, else ./model-store).")
  String store;

  private final Map<String, String> env;

  QuickstartCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  List<String> plan() {
    int chosen = port != null ? port : defaultPort();
    if (chosen < 1 || chosen > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be 1-65535, got " + chosen);
    }
    return List.of("shell", "quickstart", "--port", Integer.toString(chosen), "--store", store);
  }

  /** MLPLATFORM_PORT wins over PORT, the container convention (as the service reads them). */
  private int defaultPort() {
    String value = env.getOrDefault("MLPLATFORM_PORT", env.getOrDefault("PORT", "8080")).trim();
    String name =
        env.containsKey("MLPLATFORM_PORT")
            ? "MLPLATFORM_PORT"
            : env.containsKey("PORT") ? "PORT" : null;
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ParameterException(
          spec.commandLine(), name + " must be a port number, got '" + value + "'");
    }
  }
}
