package io.mlplatform.retraining;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mlplatform.config.Durations;
import io.mlplatform.spec.SpecException;
import io.mlplatform.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The scheduler's configuration (conf/retraining.yaml documents every key), read once and
 * validated: every problem is reported at once, each naming its key. Each model's training spec is
 * validated too, with the training job's own loader (every check that needs no Spark), so a spec
 * the job would refuse fails the scheduler at start rather than at 3 a.m.
 */
record ScheduleConfig(String store, String master, Path runsDir, List<Entry> models) {

  /**
   * One model's schedule; Quartz cron syntax (seconds first), evaluated in an explicit time zone.
   */
  record Entry(
      Path spec,
      Cron cron,
      String cronText,
      ZoneId timeZone,
      Duration timeout,
      int attempts,
      Duration retryDelay,
      boolean skipUnchanged) {}

  private static final Set<String> TOP = Set.of("store", "master", "runsDir", "models");
  private static final Set<String> MODEL =
      Set.of("spec", "cron", "timeZone", "timeout", "attempts", "retryDelay", "skipUnchanged");

  /**
   * Section path ("" for the root, "models" for each entry) to its keys; the JSON Schema test
   * compares them.
   */
  static final Map<String, Set<String>> KEYS = Map.of("", TOP, "models", MODEL);

  static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

  static ScheduleConfig load(Path file, String defaultStore) {
    return load(file, defaultStore, Path.of(""));
  }

  /**
   * @param base what relative spec paths are relative to: the working directory, like the training
   *     job's
   */
  static ScheduleConfig load(Path file, String defaultStore, Path base) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (IOException e) {
      throw new RetrainException("cannot read " + file + ": " + e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new RetrainException(file + ": expected a mapping with a models: list");
    }
    unknown(root, TOP, "", problems);
    String store = root.hasNonNull("store") ? root.get("store").asText() : defaultStore;
    String master = root.hasNonNull("master") ? root.get("master").asText() : null;
    Path runsDir =
        Path.of(root.hasNonNull("runsDir") ? root.get("runsDir").asText() : "retrain-runs");
    List<Entry> entries = new ArrayList<>();
    JsonNode models = root.get("models");
    if (models == null || !models.isArray() || models.isEmpty()) {
      problems.add("models: must list at least one model (spec, cron, timeZone)");
    } else {
      for (int i = 0; i < models.size(); i++) {
        entry(models.get(i), "models[" + i + "].", base, problems).ifPresent(entries::add);
      }
    }
    if (!problems.isEmpty()) {
      throw new RetrainException("invalid " + file + ":\n  - " + String.join("\n  - ", problems));
    }
    return new ScheduleConfig(store, master, runsDir, List.copyOf(entries));
  }

  private static java.util.Optional<Entry> entry(
      JsonNode node, String prefix, Path base, List<String> problems) {
    int before = problems.size();
    if (!node.isObject()) {
      problems.add(
          prefix.substring(0, prefix.length() - 1)
              + ": expected a mapping (spec, cron, timeZone, ...)");
      return java.util.Optional.empty();
    }
    unknown(node, MODEL, prefix, problems);
    Path spec = null;
    if (!node.path("spec").isTextual()) {
      problems.add(
          prefix + "spec: required, the training spec file (e.g. conf/models/penguins.yaml)");
    } else if (!Files.isRegularFile(base.resolve(spec = Path.of(node.get("spec").asText())))) {
      problems.add(prefix + "spec: " + spec + " does not exist");
    } else {
      try {
        SpecLoader.load(base.resolve(spec));
      } catch (SpecException e) {
        for (String problem : e.problems()) {
          problems.add(prefix + "spec: " + spec + ": " + problem);
        }
      }
    }
    Cron cron = null;
    String cronText = node.path("cron").asText(null);
    if (cronText == null) {
      problems.add(
          prefix + "cron: required, a Quartz cron expression with seconds, e.g. \"0 0 3 * * ?\"");
    } else {
      try {
        cron = CRON.parse(cronText).validate();
      } catch (IllegalArgumentException e) {
        problems.add(
            prefix
                + "cron: '"
                + cronText
                + "' is not a valid Quartz cron expression (seconds minutes"
                + " hours day-of-month month day-of-week [year]): "
                + e.getMessage());
      }
    }
    ZoneId zone = null;
    if (!node.path("timeZone").isTextual()) {
      problems.add(prefix + "timeZone: required (explicit on purpose), e.g. UTC or Europe/Berlin");
    } else {
      try {
        zone = ZoneId.of(node.get("timeZone").asText());
      } catch (DateTimeException e) {
        problems.add(
            prefix
                + "timeZone: '"
                + node.get("timeZone").asText()
                + "' is not a time zone: "
                + e.getMessage());
      }
    }
    Duration timeout =
        duration(node, "timeout", "2h", ScheduleConfig::attemptTimeout, prefix, problems);
    Duration retryDelay =
        duration(node, "retryDelay", "1m", ScheduleConfig::parseDuration, prefix, problems);
    int attempts = node.path("attempts").asInt(1);
    if (node.has("attempts")
        && (!node.get("attempts").isIntegralNumber() || attempts < 1 || attempts > 10)) {
      problems.add(
          prefix + "attempts: must be a whole number from 1 to 10, got " + node.get("attempts"));
    }
    boolean skipUnchanged = !node.has("skipUnchanged") || node.get("skipUnchanged").asBoolean();
    if (node.has("skipUnchanged") && !node.get("skipUnchanged").isBoolean()) {
      problems.add(prefix + "skipUnchanged: must be true or false");
    }
    if (problems.size() > before) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new Entry(spec, cron, cronText, zone, timeout, attempts, retryDelay, skipUnchanged));
  }

  /** The one duration syntax of every config ({@link Durations}): 250ms, 30s, 2m, 1h, a bare 0. */
  static Duration parseDuration(String text) {
    return Durations.parse(text);
  }

  /**
   * How long one training attempt may run: a duration above zero. The shared syntax reads a bare 0
   * as zero, which here would kill every attempt at once. The schedule file and {@code retrain
   * --timeout} both read it here.
   *
   * @throws IllegalArgumentException saying what is wrong, without naming the key
   */
  static Duration attemptTimeout(String text) {
    Duration timeout = parseDuration(text);
    if (timeout.isZero()) {
      throw new IllegalArgumentException("must be more than 0, e.g. 30m");
    }
    return timeout;
  }

  private static Duration duration(
      JsonNode node,
      String key,
      String fallback,
      Function<String, Duration> parser,
      String prefix,
      List<String> problems) {
    try {
      return parser.apply(node.path(key).asText(fallback));
    } catch (IllegalArgumentException e) {
      problems.add(prefix + key + ": " + e.getMessage());
      return null;
    }
  }

  private static void unknown(
      JsonNode node, Set<String> known, String prefix, List<String> problems) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        problems.add(
            prefix
                + name
                + ": unknown key (known: "
                + String.join(", ", new java.util.TreeSet<>(known))
                + ")");
      }
    }
  }
}
