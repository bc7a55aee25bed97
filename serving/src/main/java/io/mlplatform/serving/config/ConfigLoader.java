package io.mlplatform.serving.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mlplatform.config.RenamedVariables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the {@link ServingConfig} from, in increasing precedence: defaults, an optional YAML file,
 * environment variables ({@link #ENVIRONMENT}) and command-line flags. Renamed keys and variables
 * ({@link RenamedSettings}) are refused with their new name. Text values in the file may name
 * environment variables as {@code ${NAME}}, so that secrets such as API keys stay out of it. Every
 * problem is collected and reported in one {@link ConfigException}, so an operator fixes a broken
 * configuration in one round instead of one error per restart.
 */
public final class ConfigLoader {

  /** Read when present and no {@code --config} is given; relative to the working directory. */
  public static final Path DEFAULT_FILE = Path.of("conf", "serving.yaml");

  /**
   * Environment variables and the key each one overrides, in the order applied: MLPLATFORM_PORT
   * comes after PORT (the container platforms' convention) so that it wins. HOST is not read:
   * shells set it to the machine's name.
   */
  public static final List<Map.Entry<String, String>> ENVIRONMENT =
      List.of(
          Map.entry("PORT", ConfigKeys.PORT),
          Map.entry("MLPLATFORM_PORT", ConfigKeys.PORT),
          Map.entry("MLPLATFORM_HOST", ConfigKeys.HOST),
          Map.entry("MLPLATFORM_STORE", ConfigKeys.STORE),
          Map.entry("MLPLATFORM_API_KEYS", ConfigKeys.API_KEYS),
          Map.entry("MLPLATFORM_AUTH_ENABLED", ConfigKeys.AUTH_ENABLED),
          Map.entry("MLPLATFORM_FEEDBACK_SIGNING_KEY", ConfigKeys.FEEDBACK_SIGNING_KEY));

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final Map<String, String> env;
  private final Path defaultFile;

  /**
   * @param env the process environment (tests pass their own map)
   * @param defaultFile the file read when none is named explicitly, if it exists
   */
  public ConfigLoader(Map<String, String> env, Path defaultFile) {
    this.env = Map.copyOf(env);
    this.defaultFile = defaultFile;
  }

  public static ConfigLoader fromProcess() {
    return new ConfigLoader(System.getenv(), DEFAULT_FILE);
  }

  /**
   * @param explicitFile the {@code --config} file, or null to use the default file when it exists
   * @param cli values given on the command line, by config key ({@link ConfigKeys})
   * @throws ConfigException listing every problem found
   */
  public ServingConfig load(Path explicitFile, Map<String, String> cli) {
    List<String> errors = new ArrayList<>();
    Map<String, ConfigValues.Setting> settings = new LinkedHashMap<>();
    Path file =
        explicitFile != null ? explicitFile : Files.isRegularFile(defaultFile) ? defaultFile : null;
    if (explicitFile != null && !Files.isRegularFile(explicitFile)) {
      errors.add("config file " + explicitFile + " does not exist or is not a file");
    } else if (file != null) {
      readFile(file, settings, errors, env);
    }
    errors.addAll(RenamedVariables.problems(env));
    for (Map.Entry<String, String> variable : ENVIRONMENT) {
      String value = env.get(variable.getKey());
      if (value != null && !value.isBlank()) {
        settings.put(
            variable.getValue(),
            new ConfigValues.Setting(
                TextNode.valueOf(value), "environment variable " + variable.getKey()));
      }
    }
    cli.forEach(
        (key, value) -> {
          if (value != null) {
            settings.put(key, new ConfigValues.Setting(TextNode.valueOf(value), "command line"));
          }
        });
    ServingConfig config = new ConfigValues(settings, errors).toConfig();
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return config;
  }

  private static void readFile(
      Path file,
      Map<String, ConfigValues.Setting> settings,
      List<String> errors,
      Map<String, String> env) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(file.toFile());
    } catch (IOException e) {
      // The parser's message names line and column, which is what an operator needs here.
      errors.add(
          "config file "
              + file
              + " is not valid YAML: "
              + e.getMessage().lines().findFirst().orElse(""));
      return;
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return; // an empty file (or only comments) means all defaults
    }
    if (!root.isObject()) {
      errors.add("config file " + file + " must be a mapping of key: value");
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (ConfigKeys.ALL.contains(entry.getKey())) {
        JsonNode value = substitute(entry.getValue(), entry.getKey(), env, errors);
        settings.put(entry.getKey(), new ConfigValues.Setting(value, file.toString()));
      } else if (RenamedSettings.keyMessage(entry.getKey(), file.toString()) != null) {
        errors.add(RenamedSettings.keyMessage(entry.getKey(), file.toString()));
      } else {
        errors.add(
            entry.getKey()
                + ": unknown key in "
                + file
                + " (known keys: "
                + String.join(", ", ConfigKeys.ALL)
                + ")");
      }
    }
  }

  /** Replaces {@code ${NAME}} in every text value (nested ones too) by the environment variable. */
  private static JsonNode substitute(
      JsonNode node, String key, Map<String, String> env, List<String> errors) {
    if (node.isTextual()) {
      Matcher m = VARIABLE.matcher(node.textValue());
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value = env.get(m.group(1));
        if (value == null) {
          errors.add(key + ": environment variable " + m.group(1) + " is not set");
          value = "";
        }
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      m.appendTail(out);
      return TextNode.valueOf(out.toString());
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      node.fields()
          .forEachRemaining(e -> copy.set(e.getKey(), substitute(e.getValue(), key, env, errors)));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(element -> copy.add(substitute(element, key, env, errors)));
      return copy;
    }
    return node;
  }
}
