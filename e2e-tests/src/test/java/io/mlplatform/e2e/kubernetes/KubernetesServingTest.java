package io.mlplatform.e2e.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlplatform.config.RenamedVariables;
import io.mlplatform.serving.Main;
import io.mlplatform.serving.Service;
import io.mlplatform.serving.config.ConfigKeys;
import io.mlplatform.serving.config.ConfigLoader;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.http.ServingApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The serving Deployment of every overlay against the real service: its serving.yaml loads with the
 * service's own config loader and the container's environment, the service started with that
 * configuration answers the probes' paths (without credentials) and the scrape path (with the
 * metrics key) on the port the probes name, the grace period covers the drain, and every variable
 * of every container is one something really reads.
 */
class KubernetesServingTest {

  private static final Pattern YAML_VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  /**
   * Variables that libraries read, not the project: each with the reader. Checked where the
   * classpath allows (HADOOP_USER_NAME); the others are the documented names of Spark and the AWS
   * SDK.
   */
  static final Map<String, String> LIBRARY_VARIABLES =
      Map.of(
          "SPARK_CONF_DIR",
          "Spark's spark-submit: the directory of spark-defaults.conf",
          hadoopUserVariable(),
          "Hadoop's UserGroupInformation (simple auth)",
          "AWS_ACCESS_KEY_ID",
          "S3A's EnvironmentVariableCredentialsProvider (AWS SDK)",
          "AWS_SECRET_ACCESS_KEY",
          "S3A's EnvironmentVariableCredentialsProvider (AWS SDK)");

  @TempDir Path dir;

  /** The variable Hadoop's login reads, from Hadoop itself (the constant is package-private). */
  private static String hadoopUserVariable() {
    try {
      java.lang.reflect.Field field =
          UserGroupInformation.class.getDeclaredField("HADOOP_USER_NAME");
      field.setAccessible(true);
      return (String) field.get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Hadoop no longer names HADOOP_USER_NAME there", e);
    }
  }

  @TestFactory
  Stream<DynamicTest> theServiceAnswersTheProbesAndTheScrapePathOfEachOverlay() {
    return Deployables.each(
        Deployables.overlays(),
        k -> {
          ServingPod pod = ServingPod.of(Kustomize.build(k));
          ServingConfig config = load(pod, Map.of());
          assertThat(config.port())
              .as("serving.yaml's port is the container's port named http")
              .isEqualTo(containerPort(pod.container(), "http"));
          assertThat(config.host()).isEqualTo("0.0.0.0");
          assertThat(config.auth().enabled()).isTrue();
          probeAndScrape(pod);
        });
  }

  /** The service, configured as in the pod but on loopback, port 0 and an empty store. */
  private void probeAndScrape(ServingPod pod) throws Exception {
    Path store = Files.createTempDirectory(dir, "store");
    ServingConfig config =
        load(
            pod,
            Map.of(
                ConfigKeys.PORT,
                "0",
                ConfigKeys.HOST,
                "127.0.0.1",
                ConfigKeys.STORE,
                store.toString()));
    Service service = Service.start(config);
    try {
      HttpClient http = HttpClient.newHttpClient();
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        String path = pod.container().at("/" + probe + "/httpGet/path").asText();
        HttpResponse<String> answer = get(http, service.port(), path, null);
        assertThat(answer.statusCode())
            .as("%s %s, without credentials: %s", probe, path, answer.body())
            .isEqualTo(200);
      }
      JsonNode annotations = pod.deployment().at("/spec/template/metadata/annotations");
      String metricsPath = annotations.path("prometheus.io/path").asText();
      assertThat(annotations.path("prometheus.io/port").asText())
          .isEqualTo(String.valueOf(containerPort(pod.container(), "http")));
      assertThat(get(http, service.port(), metricsPath, null).statusCode())
          .as("the scrape path wants a key")
          .isEqualTo(401);
      HttpResponse<String> metrics =
          get(http, service.port(), metricsPath, pod.env().get("PROMETHEUS_KEY"));
      assertThat(metrics.statusCode()).as("%s with the prometheus key", metricsPath).isEqualTo(200);
      assertThat(metrics.body()).contains("# TYPE ");
    } finally {
      service.shutdown();
    }
  }

  @TestFactory
  Stream<DynamicTest> theGracePeriodCoversTheDrainTheConfigMapSets() {
    return Deployables.each(
        Deployables.overlays(),
        k -> {
          ServingPod pod = ServingPod.of(Kustomize.build(k));
          ServingConfig config = load(pod, Map.of());
          long drainMillis =
              config.shutdown().delay().toMillis()
                  + config.shutdown().grace().toMillis()
                  + ServingApp.DRAINS_AFTER_STOP_MILLIS;
          long graceSeconds =
              Deployables.podSpec(pod.deployment()).path("terminationGracePeriodSeconds").asLong();
          assertThat(graceSeconds * 1000)
              .as(
                  "terminationGracePeriodSeconds vs shutdownDelay %s + shutdownGrace %s"
                      + " + drains after stop %d ms",
                  config.shutdown().delay(),
                  config.shutdown().grace(),
                  ServingApp.DRAINS_AFTER_STOP_MILLIS)
              .isGreaterThanOrEqualTo(drainMillis);
        });
  }

  @Test
  void theServingCommandLineParsesAsServeAndNamesTheMountedConfig() {
    for (Path k : Deployables.overlays()) {
      ServingPod pod = ServingPod.of(Kustomize.build(k));
      assertThat(ServingPod.strings(pod.container().path("command")))
          .containsExactly("/opt/mlplatform/bin/mlplatform");
      assertThat(pod.args().get(0)).isEqualTo("serve");
      CommandLine.ParseResult parsed =
          new CommandLine(new Main())
              .parseArgs(pod.args().subList(1, pod.args().size()).toArray(String[]::new));
      assertThat(parsed.<Path>matchedOptionValue("--config", null)).isEqualTo(pod.configPath());
    }
  }

  @TestFactory
  Stream<DynamicTest> everyVariableOfEveryContainerIsReadBySomething() {
    return Deployables.applied().stream()
        .filter(k -> Deployables.overlays().contains(k))
        .map(
            k ->
                DynamicTest.dynamicTest(
                    Deployables.label(k),
                    () -> {
                      List<ObjectNode> resources = Kustomize.build(k);
                      Set<String> yamlVariables = yamlVariables(ServingPod.of(resources));
                      List<String> unread = new ArrayList<>();
                      for (ObjectNode w : Deployables.workloads(resources)) {
                        for (ObjectNode c : Kustomize.containers(w)) {
                          unread.addAll(
                              unread(KubernetesManifestsTest.id(w), c, yamlVariables, launcher()));
                        }
                      }
                      assertThat(unread).isEmpty();
                    }));
  }

  @Test
  void aVariableNothingReadsIsCaught() {
    ObjectNode container = Kustomize.object();
    container.putArray("args").add("train").add("--spark-conf").add("spark.driver.host=$(POD_IP)");
    var env = container.putArray("env");
    env.addObject().put("name", "POD_IP").put("value", "x");
    env.addObject().put("name", "MLPLATFORM_STORE").put("value", "/s");
    env.addObject().put("name", "MLPLATFORM_STOER").put("value", "/s");
    env.addObject().put("name", "MODEL_STORE").put("value", "/s");
    env.addObject().put("name", "SCORING_KEY").put("value", "x");
    container.withArray("args").add("$(UNDEFINED)");
    assertThat(unread("Job/x", container, Set.of(), ""))
        .containsExactlyInAnyOrder(
            "Job/x: MLPLATFORM_STOER: nothing reads it",
            "Job/x: MODEL_STORE: renamed to MLPLATFORM_STORE",
            "Job/x: SCORING_KEY: nothing reads it",
            "Job/x: $(UNDEFINED) in the command line is no variable of the container");
  }

  /**
   * Each variable must be read: by the service's config loader, by the project's code or launcher
   * (MLPLATFORM_*), by serving.yaml as ${NAME}, by Kubernetes in the command line as $(NAME), or by
   * a library ({@link #LIBRARY_VARIABLES}). A $(NAME) with no such variable stays as it is in the
   * command line, silently, so that is an error too.
   */
  static List<String> unread(
      String where, JsonNode container, Set<String> yamlVariables, String launcher) {
    List<String> problems = new ArrayList<>();
    String commandLine =
        String.join(" ", ServingPod.strings(container.path("command")))
            + " "
            + String.join(" ", ServingPod.strings(container.path("args")));
    Set<String> defined = new java.util.HashSet<>();
    for (JsonNode e : container.path("env")) {
      String name = e.path("name").asText();
      defined.add(name);
      boolean inCommandLine = commandLine.contains("$(" + name + ")");
      if (RenamedVariables.RENAMED.containsKey(name)) {
        problems.add(where + ": " + name + ": renamed to " + RenamedVariables.RENAMED.get(name));
      } else if (name.startsWith("MLPLATFORM_")) {
        if (!readByProject(name, launcher)) {
          problems.add(where + ": " + name + ": nothing reads it");
        }
      } else if (!inCommandLine
          && !yamlVariables.contains(name)
          && !LIBRARY_VARIABLES.containsKey(name)) {
        problems.add(where + ": " + name + ": nothing reads it");
      }
    }
    Matcher m = Deployables.ARG_VARIABLE.matcher(commandLine);
    while (m.find()) {
      if (!defined.contains(m.group(1))) {
        problems.add(
            where + ": $(" + m.group(1) + ") in the command line is no variable of the container");
      }
    }
    return problems;
  }

  /** The service's environment keys, the Java code's ("NAME", env:NAME) and the launcher's. */
  static boolean readByProject(String name, String launcher) {
    if (ConfigLoader.ENVIRONMENT.stream().anyMatch(e -> e.getKey().equals(name))) {
      return true;
    }
    if (launcher.contains("$" + name) || launcher.contains("${" + name)) {
      return true;
    }
    return javaSources().stream()
        .anyMatch(text -> text.contains("\"" + name + "\"") || text.contains("env:" + name));
  }

  private static List<String> sources;

  private static synchronized List<String> javaSources() {
    if (sources == null) {
      List<String> texts = new ArrayList<>();
      try (Stream<Path> files = Files.walk(Deployables.root())) {
        for (Path file :
            files
                .filter(p -> p.toString().endsWith(".java"))
                .filter(p -> p.toString().contains("/src/main/java/"))
                .toList()) {
          texts.add(Files.readString(file));
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      sources = texts;
    }
    return sources;
  }

  /** bin/mlplatform and the shell library it sources (the distribution ships the same files). */
  static String launcher() throws IOException {
    StringBuilder text =
        new StringBuilder(Files.readString(Deployables.root().resolve("bin/mlplatform")));
    try (Stream<Path> files = Files.list(Deployables.root().resolve("scripts/lib"))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".sh")).sorted().toList()) {
        text.append('\n').append(Files.readString(file));
      }
    }
    return text.toString();
  }

  private static Set<String> yamlVariables(ServingPod pod) {
    Set<String> names = new java.util.HashSet<>();
    Matcher m = YAML_VARIABLE.matcher(pod.servingYaml());
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** serving.yaml as mounted, loaded by the service's loader with the container's environment. */
  private ServingConfig load(ServingPod pod, Map<String, String> overrides) throws IOException {
    Path file = Files.createTempFile(dir, "serving", ".yaml");
    Files.writeString(file, pod.servingYaml());
    Map<String, String> cli = new HashMap<>(overrides);
    return new ConfigLoader(pod.env(), dir.resolve("no-default-file")).load(file, cli);
  }

  private static int containerPort(JsonNode container, String name) {
    for (JsonNode port : container.path("ports")) {
      if (port.path("name").asText().equals(name)) {
        return port.path("containerPort").asInt();
      }
    }
    throw new AssertionError("no container port named " + name);
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path, String key)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static Map<String, String> copy(Map<String, String> map) {
    return new LinkedHashMap<>(map);
  }
}
