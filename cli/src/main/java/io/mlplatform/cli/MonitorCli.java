package io.mlplatform.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mlplatform.training.monitor.MonitorOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * mlplatform monitor: the job's own options (declared once, in training-jobs), the prediction log's
 * default from the service's config, and how to submit it.
 */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    description = MonitorOptions.DESCRIPTION,
    footer = {
      "",
      "Without --log, the log is predictionLog.uri of the service's config (--config, default",
      "conf/serving.yaml). Writes MODEL/monitoring/vN/RUN/report.html and summary.json for each version",
      "in the log, and MODEL/monitoring/latest.json. Runs io.mlplatform.training.monitor.MonitorCommand",
      "under spark-submit. Exit code 4: no log file of MODEL in the period.",
      "",
      "Example: mlplatform monitor penguins --since 7d --log hdfs://nn:8020/mlplatform/prediction-log"
    })
final class MonitorCli extends Launched {

  static final String MAIN_CLASS = "io.mlplatform.training.monitor.MonitorCommand";
  static final String LOG_KEY = "predictionLog.uri";
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  @Mixin MonitorOptions job;

  @Mixin SparkOptions spark;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The service's config, read for "
              + LOG_KEY
              + " when --log is not given (default: conf/serving.yaml)")
  Path config;

  private final Map<String, String> env;

  MonitorCli(Map<String, String> env) {
    this.env = env;
  }

  @Override
  List<String> plan() {
    if (job.log == null) {
      job.log = logFromConfig();
    }
    List<String> plan = new ArrayList<>(List.of("spark", MAIN_CLASS));
    plan.addAll(spark.plan());
    plan.add("--");
    plan.addAll(job.toArgs());
    return plan;
  }

  private String logFromConfig() {
    Path file = config != null ? config : Path.of("conf/serving.yaml");
    if (!Files.isRegularFile(file)) {
      throw new ParameterException(
          spec.commandLine(),
          "--log is required: "
              + (config != null ? file + " does not exist" : "there is no conf/serving.yaml here")
              + " to read "
              + LOG_KEY
              + " from");
    }
    JsonNode uri;
    try {
      uri =
          new ObjectMapper(new YAMLFactory())
              .readTree(file.toFile())
              .path("predictionLog")
              .path("uri");
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), "cannot read " + LOG_KEY + " from " + file + ": " + e.getMessage());
    }
    if (!uri.isTextual() || uri.textValue().isBlank()) {
      throw new ParameterException(
          spec.commandLine(), "--log is required: " + file + " sets no " + LOG_KEY);
    }
    // The service substitutes ${NAME} in text values; so does this, the same variables.
    Matcher m = VARIABLE.matcher(uri.textValue());
    StringBuilder resolved = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      if (value == null || value.isBlank()) {
        throw new ParameterException(
            spec.commandLine(),
            LOG_KEY
                + " in "
                + file
                + " names ${"
                + m.group(1)
                + "}, which is not set; or give --log");
      }
      m.appendReplacement(resolved, Matcher.quoteReplacement(value));
    }
    m.appendTail(resolved);
    return resolved.toString();
  }
}
