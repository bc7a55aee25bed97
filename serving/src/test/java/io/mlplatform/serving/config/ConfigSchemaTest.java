package io.mlplatform.serving.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mlplatform.serving.auth.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * conf/schemas/serving.schema.json, which editors use to check conf/serving.yaml, describes exactly
 * the keys the loader knows, with the values the loader accepts.
 */
class ConfigSchemaTest {

  // Surefire runs in the module directory; the project's conf/ is one level up.
  private static final Path CONF = Path.of("..", "conf");
  private static final Path SCHEMA = CONF.resolve("schemas").resolve("serving.schema.json");
  private static final Path DOCUMENTED = CONF.resolve("serving.yaml");

  @TempDir Path dir;
  private JsonNode schema;
  private JsonNode properties;

  @BeforeEach
  void readSchema() throws IOException {
    assumeTrue(
        Files.isRegularFile(SCHEMA), "no conf/schemas/serving.schema.json next to this module");
    schema = new ObjectMapper().readTree(SCHEMA.toFile());
    properties = schema.path("properties");
  }

  @Test
  void theSchemaHasExactlyTheKeysTheLoaderKnows() {
    assertThat(names(properties)).isEqualTo(new TreeSet<>(ConfigKeys.ALL));
    assertThat(schema.path("additionalProperties").asBoolean(true))
        .as("unknown keys are an error")
        .isFalse();
    assertThat(properties.has("storeUri")).as("a renamed key is refused, not described").isFalse();
  }

  @Test
  void everyKeyIsDescribedAndTyped() {
    List<String> missing = new ArrayList<>();
    properties
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode p = e.getValue();
              if (p.path("description").asText().isBlank()) {
                missing.add(e.getKey() + " has no description");
              }
              if (!p.has("type") && !p.has("anyOf") && !p.has("$ref")) {
                missing.add(e.getKey() + " has no type");
              }
            });
    assertThat(missing).isEmpty();
  }

  /**
   * The documented file names its schema on line 1 and uses only described keys, with their
   * defaults.
   */
  @Test
  void theDocumentedFileUsesTheSchemaAndItsDefaults() throws IOException {
    assertThat(Files.readAllLines(DOCUMENTED).get(0))
        .isEqualTo("# yaml-language-server: $schema=schemas/serving.schema.json");
    JsonNode documented = new YAMLMapper().readTree(DOCUMENTED.toFile());

    assertThat(names(properties)).containsAll(names(documented));
    documented
        .fields()
        .forEachRemaining(
            e ->
                assertThat(properties.path(e.getKey()).path("default").toString())
                    .as("default of " + e.getKey())
                    .isEqualTo(e.getValue().toString()));
  }

  @Test
  void enumerationsAreTheLoadersChoices() {
    assertThat(texts(properties.path(ConfigKeys.SELF_TEST).path("enum")))
        .isEqualTo(Arrays.stream(SelfTestMode.values()).map(Enum::name).toList());
    assertThat(texts(properties.path(ConfigKeys.UNKNOWN_FIELDS).path("enum")))
        .isEqualTo(Arrays.stream(UnknownFields.values()).map(Enum::name).toList());
    JsonNode rule =
        properties.path(ConfigKeys.ROUTING).path("additionalProperties").path("properties");
    assertThat(texts(rule.path("mode").path("enum")))
        .isEqualTo(Arrays.stream(RoutingRule.Mode.values()).map(RoutingRule.Mode::id).toList());
    JsonNode key =
        properties.path(ConfigKeys.API_KEYS).path("anyOf").get(0).path("items").path("properties");
    assertThat(texts(key.path("scopes").path("items").path("enum")))
        .isEqualTo(Arrays.stream(Scope.values()).map(Scope::id).toList());
  }

  /**
   * The duration pattern accepts a text exactly when the loader does (pollInterval allows 0 to
   * 24h).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "250ms", "30s", "2m", "1h", "0", "00", "30 s", "5", "1.5s", "-1s", "10d", "s", "1 h 2m"
      })
  void theDurationPatternAgreesWithTheLoader(String text) throws IOException {
    Pattern pattern =
        Pattern.compile(
            schema.path("$defs").path("duration").path("anyOf").get(0).path("pattern").asText());
    Path file = Files.writeString(dir.resolve("serving.yaml"), "pollInterval: \"" + text + "\"\n");
    boolean loaderAccepts;
    try {
      new ConfigLoader(Map.of(), dir.resolve("absent.yaml"))
          .load(file, Map.of(ConfigKeys.AUTH_ENABLED, "false"));
      loaderAccepts = true;
    } catch (ConfigException e) {
      loaderAccepts = false;
    }

    assertThat(pattern.matcher(text).find()).as(text).isEqualTo(loaderAccepts);
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new TreeSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }
}
