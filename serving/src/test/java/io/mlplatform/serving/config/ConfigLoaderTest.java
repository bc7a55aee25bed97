package io.mlplatform.serving.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void defaultsWhenNothingIsGiven() {
    ServingConfig config = loader(Map.of()).load(null, Map.of());

    assertThat(config).isEqualTo(ServingConfig.defaults());
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.storeUri()).isEqualTo("./model-store");
    assertThat(config.maxInstancesPerRequest()).isEqualTo(1000);
    assertThat(config.maxBodyBytes()).isEqualTo(1_000_000L);
    assertThat(config.unknownFields()).isEqualTo(UnknownFields.IGNORE);
  }

  @Test
  void readsEveryKeyFromTheFile() throws IOException {
    Path file = yaml("""
        host: 0.0.0.0
        port: 9090
        storeUri: hdfs://namenode:8020/models
        maxInstancesPerRequest: 50
        maxBodyBytes: 2_000_000
        unknownFields: reject
        """);

    ServingConfig config = loader(Map.of()).load(file, Map.of());

    assertThat(config).isEqualTo(new ServingConfig(
        "0.0.0.0", 9090, "hdfs://namenode:8020/models", 50, 2_000_000L, UnknownFields.REJECT));
  }

  @Test
  void usesTheDefaultFileOnlyWhenPresent() throws IOException {
    Path defaultFile = dir.resolve("conf/serving.yaml");
    ConfigLoader loader = new ConfigLoader(Map.of(), defaultFile);
    assertThat(loader.load(null, Map.of()).port()).isEqualTo(8080);

    Files.createDirectories(defaultFile.getParent());
    Files.writeString(defaultFile, "port: 7070\n");

    assertThat(loader.load(null, Map.of()).port()).isEqualTo(7070);
  }

  @Test
  void environmentOverridesFileAndFlagsOverrideEnvironment() throws IOException {
    Path file = yaml("port: 9090\nhost: 10.0.0.1\nstoreUri: /from/file\n");
    ConfigLoader loader = loader(Map.of("PORT", "9191", "MODEL_STORE", "/from/env", "HOST", " "));

    ServingConfig fromEnv = loader.load(file, Map.of());
    assertThat(fromEnv.port()).isEqualTo(9191);
    assertThat(fromEnv.storeUri()).isEqualTo("/from/env");
    assertThat(fromEnv.host()).isEqualTo("10.0.0.1"); // a blank variable counts as unset

    Map<String, String> flags = new HashMap<>();
    flags.put(ConfigKeys.PORT, "9292");
    flags.put(ConfigKeys.STORE_URI, "/from/flag");
    flags.put(ConfigKeys.HOST, null); // picocli leaves absent options null
    ServingConfig fromFlags = loader.load(file, flags);
    assertThat(fromFlags.port()).isEqualTo(9292);
    assertThat(fromFlags.storeUri()).isEqualTo("/from/flag");
    assertThat(fromFlags.host()).isEqualTo("10.0.0.1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "65536", "80.5", "99999999999999999999"})
  void badPortFromEnvironmentNamesKeyValueAndSource(String port) {
    assertThatThrownBy(() -> loader(Map.of("PORT", port)).load(null, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
            "port: must be an integer from 0 to 65535, got '" + port + "' (from environment variable PORT)"));
  }

  @Test
  void reportsAllErrorsTogether() throws IOException {
    Path file = yaml("""
        port: eighty
        host: ""
        maxInstancesPerRequest: 0
        maxBodyBytes: [1]
        unknownFields: sometimes
        maxInstances: 10
        """);

    assertThatThrownBy(() -> loader(Map.of()).load(file, Map.of(ConfigKeys.STORE_URI, "")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.errors()).hasSize(7);
          assertThat(e.errors()).anyMatch(m -> m.startsWith("maxInstances: unknown key in " + file));
          assertThat(e.errors()).contains(
              "host: must be a non-empty string, got '' (from " + file + ")",
              "port: must be an integer from 0 to 65535, got 'eighty' (from " + file + ")",
              "storeUri: must be a non-empty string, got '' (from command line)",
              "maxInstancesPerRequest: must be an integer from 1 to 1000000, got 0 (from " + file + ")",
              "maxBodyBytes: must be an integer from 1 to 1073741824, got [1] (from " + file + ")",
              "unknownFields: must be one of [IGNORE, REJECT], got 'sometimes' (from " + file + ")");
          assertThat(e.getMessage()).startsWith("invalid serving configuration:\n  - ");
        });
  }

  @Test
  void missingExplicitFileIsAnError() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> loader(Map.of()).load(missing, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
            .containsExactly("config file " + missing + " does not exist or is not a file"));
  }

  @Test
  void malformedYamlIsAnErrorNotAStackTrace() throws IOException {
    Path file = yaml("port: [8080\n");

    assertThatThrownBy(() -> loader(Map.of()).load(file, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
            .singleElement().asString().startsWith("config file " + file + " is not valid YAML"));
  }

  @Test
  void emptyFileMeansDefaultsAndAListIsRefused() throws IOException {
    assertThat(loader(Map.of()).load(yaml("# nothing set\n"), Map.of())).isEqualTo(ServingConfig.defaults());

    Path list = yaml("- port\n");
    assertThatThrownBy(() -> loader(Map.of()).load(list, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("must be a mapping");
  }

  /** The documented file states the defaults, so the documentation cannot drift from the code. */
  @Test
  void projectConfigFileStatesTheDefaults() {
    // Surefire runs in the module directory; the project's conf/ is one level up.
    Path documented = Path.of("..", "conf", "serving.yaml");
    assumeTrue(Files.isRegularFile(documented), "no conf/serving.yaml next to this module");

    assertThat(loader(Map.of()).load(documented, Map.of())).isEqualTo(ServingConfig.defaults());
  }

  private ConfigLoader loader(Map<String, String> env) {
    return new ConfigLoader(env, dir.resolve("absent.yaml"));
  }

  private Path yaml(String text) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "serving", ".yaml"), text);
  }
}
