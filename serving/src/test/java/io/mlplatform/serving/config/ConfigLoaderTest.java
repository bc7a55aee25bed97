package io.mlplatform.serving.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlplatform.serving.auth.ApiKey;
import io.mlplatform.serving.auth.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

  @TempDir Path dir;

  private static final String SECRET = "0123456789abcdef0123";
  private static final Map<String, String> KEYS =
      Map.of("MLPLATFORM_API_KEYS", "ops:admin:" + SECRET);

  @Test
  void defaultsWhenNothingButAKeyIsGiven() {
    ServingConfig config = loader(KEYS).load(null, Map.of());

    assertThat(config)
        .isEqualTo(
            ServingConfig.defaults()
                .withAuth(
                    new AuthSection(
                        true, List.of(new ApiKey("ops", Set.of(Scope.ADMIN), SECRET)))));
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.store()).isEqualTo("./model-store");
    assertThat(config.limits())
        .isEqualTo(new LimitsSection(1000, 1_000_000L, Duration.ofSeconds(10), 64, 0));
    assertThat(config.unknownFields()).isEqualTo(UnknownFields.IGNORE);
    assertThat(config.models())
        .isEqualTo(
            new ModelsSection(
                Duration.ofSeconds(30), SelfTestMode.REQUIRED, 1e-9, 1000, 1L << 30, 10_000));
    assertThat(config.fallback()).isEqualTo(new FallbackSection(0.5, Duration.ofSeconds(60), 20));
    assertThat(config.shutdown())
        .isEqualTo(new ShutdownSection(Duration.ofSeconds(2), Duration.ofSeconds(30)));
    assertThat(config.accessLogSampleRate()).isEqualTo(1.0);
    assertThat(config.benchEchoEnabled()).isFalse();
  }

  @Test
  void authWithoutAnyKeyRefusesToStartAndSaysHowToFixIt() {
    assertThatThrownBy(() -> loader(Map.of()).load(null, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .singleElement()
                    .asString()
                    .startsWith("apiKeys: auth is on but no API key is configured")
                    .contains("MLPLATFORM_API_KEYS", "--no-auth", "authEnabled: false"));
  }

  @Test
  void noAuthNeedsNoKeys() {
    ServingConfig fromFlag = loader(Map.of()).load(null, Map.of(ConfigKeys.AUTH_ENABLED, "false"));
    ServingConfig fromEnv = loader(Map.of("MLPLATFORM_AUTH_ENABLED", "false")).load(null, Map.of());

    assertThat(fromFlag.auth()).isEqualTo(AuthSection.DISABLED);
    assertThat(fromEnv).isEqualTo(ServingConfig.local());
  }

  @Test
  void readsEveryKeyFromTheFile() throws IOException {
    Path file =
        yaml(
            """
        host: 0.0.0.0
        port: 9090
        store: hdfs://namenode:8020/models
        maxInstancesPerRequest: 50
        maxBodyBytes: 2_000_000
        requestTimeout: 750ms
        maxConcurrentRequests: 16
        scoringThreads: 3
        inlineScoringMaxInstances: 4
        unknownFields: reject
        authEnabled: true
        apiKeys:
          - {name: app, key: "${APP_KEY}", scopes: [predict]}
          - {name: prometheus, key: abcdefghijklmnopqrst, scopes: [metrics]}
          - {name: ops, key: ops-0123456789abcdef, scopes: [admin, predict]}
        pollInterval: 5s
        selfTest: if_present
        selfTestTolerance: 1e-6
        warmupRows: 10
        maxBundleBytes: 1000000
        maxBundleEntries: 100
        fallbackErrorRate: 0.25
        fallbackWindow: 2m
        fallbackMinRequests: 5
        shutdownDelay: 0
        shutdownGrace: 1h
        accessLogSampleRate: 0.01
        routing:
          penguins: {mode: canary, candidate: staging, share: 0.1}
          mass: {mode: shadow, candidate: v3, tolerance: 0.05}
        shadowThreads: 2
        shadowQueue: 10
        benchEchoEnabled: true
        """);

    ServingConfig config = loader(Map.of("APP_KEY", SECRET)).load(file, Map.of());

    assertThat(config)
        .isEqualTo(
            new ServingConfig(
                "0.0.0.0",
                9090,
                "hdfs://namenode:8020/models",
                new LimitsSection(50, 2_000_000L, Duration.ofMillis(750), 16, 3, 4),
                UnknownFields.REJECT,
                new AuthSection(
                    true,
                    List.of(
                        new ApiKey("app", Set.of(Scope.PREDICT), SECRET),
                        new ApiKey("prometheus", Set.of(Scope.METRICS), "abcdefghijklmnopqrst"),
                        new ApiKey(
                            "ops", Set.of(Scope.ADMIN, Scope.PREDICT), "ops-0123456789abcdef"))),
                new ModelsSection(
                    Duration.ofSeconds(5), SelfTestMode.IF_PRESENT, 1e-6, 10, 1_000_000L, 100),
                new FallbackSection(0.25, Duration.ofMinutes(2), 5),
                new ShutdownSection(Duration.ZERO, Duration.ofHours(1)),
                0.01,
                new RoutingSection(
                    Map.of(
                        "penguins",
                            new RoutingRule(
                                RoutingRule.Mode.CANARY,
                                "staging",
                                0.1,
                                RoutingRule.DEFAULT_TOLERANCE),
                        "mass", new RoutingRule(RoutingRule.Mode.SHADOW, "v3", 1.0, 0.05)),
                    2,
                    10),
                MonitoringSection.DEFAULTS,
                true,
                PredictionLogSection.DEFAULTS));
  }

  @Test
  void everyBadRoutingRuleIsReportedWithItsKey() throws IOException {
    Path file =
        yaml(
            """
        authEnabled: false
        routing:
          penguins: {mode: blue-green, candidate: staging, share: 0.1}
          mass: {mode: canary, candidate: "../x", share: 1.5, color: red}
          weather: {mode: canary, candidate: 2}
        shadowQueue: 0
        """);

    assertThatThrownBy(() -> loader(Map.of()).load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).errors())
                    .containsExactlyInAnyOrder(
                        "routing.penguins.mode: must be canary or shadow (from " + file + ")",
                        "routing.mass.color: is not a routing field (known: candidate, mode, share, tolerance) (from "
                            + file
                            + ")",
                        "routing.mass.candidate: must be a version (3 or v3) or an alias (staging) (from "
                            + file
                            + ")",
                        "routing.mass.share: must be above 0 and at most 1 (from " + file + ")",
                        "routing.weather.share: is required (from " + file + ")",
                        "shadowQueue: must be an integer from 1 to 100000, got 0 (from "
                            + file
                            + ")"));
  }

  @Test
  void apiKeysFromTheEnvironmentAndTheirErrorsNeverShowASecret() {
    ServingConfig config =
        loader(
                Map.of(
                    "MLPLATFORM_API_KEYS",
                    "app:predict:" + SECRET + ", ops:admin+metrics:zyxwvutsrqponmlkjihg"))
            .load(null, Map.of());
    assertThat(config.auth().keys())
        .containsExactly(
            new ApiKey("app", Set.of(Scope.PREDICT), SECRET),
            new ApiKey("ops", Set.of(Scope.ADMIN, Scope.METRICS), "zyxwvutsrqponmlkjihg"));
    assertThat(config.auth().keys().get(0).toString()).doesNotContain(SECRET);

    assertThatThrownBy(
            () ->
                loader(
                        Map.of(
                            "MLPLATFORM_API_KEYS",
                            "app:predict:short, x:root:"
                                + SECRET
                                + ", app:predict:"
                                + SECRET
                                + ", nocolons"))
                    .load(null, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.errors())
                  .containsExactly(
                      "apiKeys[0] (app): the secret must be 16-512 characters of A-Z a-z 0-9 . _ ~ + / = - (try: openssl"
                          + " rand -hex 24) (from environment variable MLPLATFORM_API_KEYS)",
                      "apiKeys[1] (x): unknown scope 'root'; known: predict, metrics, admin (from environment variable"
                          + " MLPLATFORM_API_KEYS)",
                      "apiKeys[3]: must be name:scope+scope:secret (from environment variable MLPLATFORM_API_KEYS)");
              assertThat(e.getMessage()).doesNotContain(SECRET, "short");
            });
  }

  /**
   * Fields in the wrong order put the secret where a name or a scope belongs: it must not be
   * echoed.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "app:SECRET:predict",
        "SECRET:predict:app",
        "SECRET:app:predict",
        "predict:SECRET:app",
        "app:predict+SECRET:x"
      })
  void aSecretInTheWrongPlaceIsNeverInAnErrorMessage(String entry) {
    String keys = entry.replace("SECRET", SECRET);
    assertThatThrownBy(() -> loader(Map.of("MLPLATFORM_API_KEYS", keys)).load(null, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.getMessage()).doesNotContain(SECRET).contains("apiKeys[0]");
            });
    // Nor from the file: the same fields, named.
    assertThatThrownBy(
            () ->
                loader(Map.of())
                    .load(
                        writeKeys("[{name: " + SECRET + ", key: app, scopes: [" + SECRET + "]}]"),
                        Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.getMessage()).doesNotContain(SECRET));
  }

  private Path writeKeys(String list) {
    try {
      return Files.writeString(dir.resolve("keys.yaml"), "apiKeys: " + list + "\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void duplicateKeyNamesAndSecretsAreRefused() {
    assertThatThrownBy(
            () ->
                loader(Map.of("MLPLATFORM_API_KEYS", "a:predict:" + SECRET + ",a:admin:" + SECRET))
                    .load(null, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        "apiKeys: a name is used twice (a)",
                        "apiKeys: two keys have the same secret (a)"));
  }

  @Test
  void aVariableTheFileNamesMustBeSet() throws IOException {
    Path file = yaml("apiKeys: \"${NOT_SET}\"\nauthEnabled: false\n");

    assertThatThrownBy(() -> loader(Map.of()).load(file, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly("apiKeys: environment variable NOT_SET is not set"));
  }

  @Test
  void readsAndChecksTheMonitoringKeys() throws IOException {
    ServingConfig config =
        loader(KEYS)
            .load(
                yaml(
                    "monitoringWindow: 2000\ndriftAlertThreshold: 0.25\n"
                        + "driftMinRows: 300\nfeedbackRetention: 10m\nfeedbackMaxRequests: 0\nfeedbackWindow: 50\n"),
                Map.of());
    assertThat(config.monitoring())
        .isEqualTo(
            new MonitoringSection(
                2000,
                0.25,
                300,
                Duration.ofMinutes(10),
                0,
                50,
                MonitoringSection.DEFAULTS.feedbackMaxBytes(),
                FeedbackSigningKeys.NONE));

    assertThatThrownBy(
            () ->
                loader(KEYS)
                    .load(
                        yaml(
                            "monitoringWindow: 10\ndriftAlertThreshold: 0\n"
                                + "driftMinRows: 20000\nfeedbackRetention: 0\nfeedbackMaxRequests: -1\nfeedbackWindow: 0\n"),
                        Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .hasSize(6)
                    .anySatisfy(m -> assertThat(m).startsWith("monitoringWindow: "))
                    .anySatisfy(m -> assertThat(m).startsWith("driftAlertThreshold: "))
                    .anySatisfy(
                        m ->
                            assertThat(m)
                                .startsWith("driftMinRows: 20000 is more than monitoringWindow"))
                    .anySatisfy(m -> assertThat(m).startsWith("feedbackRetention: "))
                    .anySatisfy(m -> assertThat(m).startsWith("feedbackMaxRequests: "))
                    .anySatisfy(m -> assertThat(m).startsWith("feedbackWindow: ")));
  }

  @Test
  void readsThePredictionLogSection() throws IOException {
    ServingConfig config =
        loader(Map.of("HOSTNAME", "pod-7"))
            .load(
                yaml(
                    """
                    authEnabled: false
                    predictionLog:
                      enabled: true
                      uri: hdfs://namenode:8020/predictions
                      sampleRate: 0.1
                      redact: [email]
                      redactModels: {penguins: [Island, name]}
                      rollBytes: 1_000_000
                      rollInterval: 1m
                      queueInstances: 500
                      replica: "${HOSTNAME}"
                    """),
                Map.of());

    assertThat(config.predictionLog())
        .isEqualTo(
            new PredictionLogSection(
                true,
                "hdfs://namenode:8020/predictions",
                0.1,
                List.of("email"),
                Map.of("penguins", List.of("Island", "name")),
                1_000_000,
                Duration.ofMinutes(1),
                500,
                "pod-7"));
    assertThat(config.predictionLog().redacted("penguins")).containsOnly("email", "Island", "name");
    assertThat(config.predictionLog().redacted("mass")).containsOnly("email");
  }

  @Test
  void everyBadPredictionLogFieldIsReportedWithItsKey() throws IOException {
    Path file =
        yaml(
            """
            predictionLog:
              enabled: yes please
              uri: "nosuchfs://x/y"
              sampleRate: 2
              redact: email
              redactModels: {penguins: [1]}
              rollBytes: 10
              rollInterval: 5
              queueInstances: 0
              replica: "a/b"
              colour: blue
            """);

    assertThatThrownBy(() -> loader(KEYS).load(file, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .extracting(m -> m.substring(0, m.indexOf(':')))
                    .containsExactlyInAnyOrder(
                        "predictionLog.colour",
                        "predictionLog.enabled",
                        "predictionLog.uri",
                        "predictionLog.replica",
                        "predictionLog.sampleRate",
                        "predictionLog.redact",
                        "predictionLog.redactModels.penguins",
                        "predictionLog.rollBytes",
                        "predictionLog.rollInterval",
                        "predictionLog.queueInstances"));
    assertThatThrownBy(() -> loader(KEYS).load(yaml("predictionLog: {enabled: true}\n"), Map.of()))
        .hasMessageContaining("predictionLog.uri: is required when predictionLog.enabled is true");
    assertThatThrownBy(() -> loader(KEYS).load(yaml("predictionLog: [on]\n"), Map.of()))
        .hasMessageContaining("predictionLog: must be a mapping");
  }

  @Test
  void readsTheFeedbackSigningKeysFromTheEnvironmentAndNeverShowsABadOne() throws IOException {
    String key = "a".repeat(64);
    String old = "b".repeat(32);
    Map<String, String> env = new HashMap<>(KEYS);
    env.put("MLPLATFORM_FEEDBACK_SIGNING_KEY", key + "," + old);
    Map<String, String> fileEnv = new HashMap<>(KEYS);
    fileEnv.put("SIGNING", key);

    assertThat(loader(KEYS).load(null, Map.of()).monitoring().feedbackSigningKeys())
        .isEqualTo(FeedbackSigningKeys.NONE);
    assertThat(loader(env).load(null, Map.of()).monitoring().feedbackSigningKeys())
        .isEqualTo(new FeedbackSigningKeys(List.of(key, old)));
    assertThat(
            loader(fileEnv)
                .load(yaml("feedbackSigningKey: \"${SIGNING}\"\nfeedbackMaxBytes: 0\n"), Map.of())
                .monitoring())
        .satisfies(m -> assertThat(m.feedbackSigningKeys().bytes()).hasSize(1))
        .satisfies(m -> assertThat(m.feedbackMaxBytes()).isZero());
    env.put("MLPLATFORM_FEEDBACK_SIGNING_KEY", key + ",short-secret-value");
    assertThatThrownBy(() -> loader(env).load(null, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .singleElement()
                    .satisfies(
                        m ->
                            assertThat(m)
                                .startsWith("feedbackSigningKey: key 2 of 2 has 18 characters")
                                .contains("MLPLATFORM_FEEDBACK_SIGNING_KEY")
                                .doesNotContain("short-secret-value")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10", "5 sec", "-1s", "1.5s", "25h", "s"})
  void durationsNeedAUnitAndARange(String value) throws IOException {
    Path file = yaml("requestTimeout: \"" + value + "\"\n");

    assertThatThrownBy(() -> loader(KEYS).load(file, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .singleElement()
                    .asString()
                    .startsWith(
                        "requestTimeout: must be a duration with a unit (ms, s, m, h) from 1ms to 24h"));
  }

  @Test
  void usesTheDefaultFileOnlyWhenPresent() throws IOException {
    Path defaultFile = dir.resolve("conf/serving.yaml");
    ConfigLoader loader = new ConfigLoader(KEYS, defaultFile);
    assertThat(loader.load(null, Map.of()).port()).isEqualTo(8080);

    Files.createDirectories(defaultFile.getParent());
    Files.writeString(defaultFile, "port: 7070\n");

    assertThat(loader.load(null, Map.of()).port()).isEqualTo(7070);
  }

  @Test
  void environmentOverridesFileAndFlagsOverrideEnvironment() throws IOException {
    Path file = yaml("port: 9090\nhost: 10.0.0.1\nstore: /from/file\n");
    ConfigLoader loader =
        loader(
            Map.of(
                "MLPLATFORM_PORT",
                "9191",
                "MLPLATFORM_STORE",
                "/from/env",
                "MLPLATFORM_HOST",
                " ",
                "MLPLATFORM_API_KEYS",
                KEYS.get("MLPLATFORM_API_KEYS")));

    ServingConfig fromEnv = loader.load(file, Map.of());
    assertThat(fromEnv.port()).isEqualTo(9191);
    assertThat(fromEnv.store()).isEqualTo("/from/env");
    assertThat(fromEnv.host()).isEqualTo("10.0.0.1"); // a blank variable counts as unset

    Map<String, String> flags = new HashMap<>();
    flags.put(ConfigKeys.PORT, "9292");
    flags.put(ConfigKeys.STORE, "/from/flag");
    flags.put(ConfigKeys.HOST, null); // picocli leaves absent options null
    ServingConfig fromFlags = loader.load(file, flags);
    assertThat(fromFlags.port()).isEqualTo(9292);
    assertThat(fromFlags.store()).isEqualTo("/from/flag");
    assertThat(fromFlags.host()).isEqualTo("10.0.0.1");
  }

  @Test
  void mlplatformPortWinsOverThePlainPortOfContainerPlatforms() {
    Map<String, String> env = new HashMap<>(KEYS);
    env.put("PORT", "9191");
    assertThat(loader(env).load(null, Map.of()).port()).isEqualTo(9191);

    env.put("MLPLATFORM_PORT", "9393");
    assertThat(loader(env).load(null, Map.of()).port()).isEqualTo(9393);
  }

  @Test
  void hostIsNoLongerReadBecauseShellsSetItToTheMachineName() {
    Map<String, String> env = new HashMap<>(KEYS);
    env.put("HOST", "build-box-7");
    assertThat(loader(env).load(null, Map.of()).host()).isEqualTo("127.0.0.1");

    env.put("MLPLATFORM_HOST", "0.0.0.0");
    assertThat(loader(env).load(null, Map.of()).host()).isEqualTo("0.0.0.0");
  }

  @ParameterizedTest
  @CsvSource({
    "MODEL_STORE, MLPLATFORM_STORE",
    "SERVING_API_KEYS, MLPLATFORM_API_KEYS",
    "SERVING_AUTH_ENABLED, MLPLATFORM_AUTH_ENABLED"
  })
  void aRenamedVariableIsRefusedNamingItsNewName(String old, String renamed) {
    Map<String, String> env = new HashMap<>(KEYS);
    env.put(old, "false");
    assertThatThrownBy(() -> loader(env).load(null, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        "environment variable "
                            + old
                            + " was renamed to "
                            + renamed
                            + ": set "
                            + renamed
                            + " instead and unset "
                            + old));
  }

  @Test
  void theOldStoreUriKeyIsRefusedNamingStore() throws IOException {
    Path file = yaml("storeUri: /models\n");

    assertThatThrownBy(() -> loader(KEYS).load(file, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        "storeUri: key 'storeUri' was renamed to 'store' (in " + file + ")"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "65536", "80.5", "99999999999999999999"})
  void badPortFromEnvironmentNamesKeyValueAndSource(String port) {
    assertThatThrownBy(
            () ->
                loader(Map.of("MLPLATFORM_PORT", port, "MLPLATFORM_AUTH_ENABLED", "false"))
                    .load(null, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        "port: must be an integer from 0 to 65535, got '"
                            + port
                            + "' (from environment variable MLPLATFORM_PORT)"));
  }

  @Test
  void reportsAllErrorsTogether() throws IOException {
    Path file =
        yaml(
            """
        port: eighty
        host: ""
        maxInstancesPerRequest: 0
        maxBodyBytes: [1]
        unknownFields: sometimes
        maxInstances: 10
        fallbackErrorRate: 0
        accessLogSampleRate: 2
        authEnabled: maybe
        """);

    assertThatThrownBy(() -> loader(KEYS).load(file, Map.of(ConfigKeys.STORE, "")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.errors()).hasSize(10);
              assertThat(e.errors())
                  .anyMatch(m -> m.startsWith("maxInstances: unknown key in " + file));
              assertThat(e.errors())
                  .contains(
                      "host: must be a non-empty string, got '' (from " + file + ")",
                      "port: must be an integer from 0 to 65535, got 'eighty' (from " + file + ")",
                      "store: must be a non-empty string, got '' (from command line)",
                      "maxInstancesPerRequest: must be an integer from 1 to 1000000, got 0 (from "
                          + file
                          + ")",
                      "maxBodyBytes: must be an integer from 1 to 1073741824, got [1] (from "
                          + file
                          + ")",
                      "unknownFields: must be one of [IGNORE, REJECT], got 'sometimes' (from "
                          + file
                          + ")",
                      "fallbackErrorRate: must be a number above 0 and at most 1 (1 turns fallback off), got 0 (from "
                          + file
                          + ")",
                      "accessLogSampleRate: must be a number from 0.0 to 1.0, got 2 (from "
                          + file
                          + ")",
                      "authEnabled: must be true or false, got 'maybe' (from " + file + ")");
              assertThat(e.getMessage()).startsWith("invalid serving configuration:\n  - ");
            });
  }

  @Test
  void missingExplicitFileIsAnError() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> loader(KEYS).load(missing, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        "config file " + missing + " does not exist or is not a file"));
  }

  @Test
  void malformedYamlIsAnErrorNotAStackTrace() throws IOException {
    Path file = yaml("port: [8080\n");

    assertThatThrownBy(() -> loader(KEYS).load(file, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .singleElement()
                    .asString()
                    .startsWith("config file " + file + " is not valid YAML"));
  }

  @Test
  void emptyFileMeansDefaultsAndAListIsRefused() throws IOException {
    assertThat(
            loader(Map.of("MLPLATFORM_AUTH_ENABLED", "false"))
                .load(yaml("# nothing set\n"), Map.of()))
        .isEqualTo(ServingConfig.local());

    Path list = yaml("- port\n");
    assertThatThrownBy(() -> loader(KEYS).load(list, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must be a mapping");
  }

  /** The documented file states the defaults, so the documentation cannot drift from the code. */
  @Test
  void projectConfigFileStatesTheDefaults() {
    // Surefire runs in the module directory; the project's conf/ is one level up.
    Path documented = Path.of("..", "conf", "serving.yaml");
    assumeTrue(Files.isRegularFile(documented), "no conf/serving.yaml next to this module");

    // Auth is on by default and needs a key, which the environment gives.
    ServingConfig loaded = loader(KEYS).load(documented, Map.of());
    assertThat(loaded.withAuth(AuthSection.DEFAULTS)).isEqualTo(ServingConfig.defaults());
    assertThat(loaded.auth().enabled()).isTrue();
  }

  private ConfigLoader loader(Map<String, String> env) {
    return new ConfigLoader(env, dir.resolve("absent.yaml"));
  }

  private Path yaml(String text) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "serving", ".yaml"), text);
  }
}
