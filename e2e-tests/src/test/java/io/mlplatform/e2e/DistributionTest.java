package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution tarball, unpacked into an empty directory and run there as a user runs it: with
 * HOME pointing at an empty directory and a PATH that holds a Java runtime and a few POSIX tools,
 * but no Maven (and so no local Maven repository and no source tree to build from).
 */
@Tag("slow")
class DistributionTest {

  /**
   * Everything the launcher and the JVMs it starts run, besides java: bash (the launcher), the
   * coreutils the launcher uses, and chmod, which Hadoop's local file system runs for every file
   * the store writes.
   */
  private static final List<String> TOOLS =
      List.of("bash", "dirname", "readlink", "sed", "paste", "cat", "mktemp", "rm", "chmod");

  private static final String PENGUIN =
      """
      {"instances": [{"Island": "Biscoe", "Beak Length (mm)": 48.6, "Beak Depth (mm)": 16.0,
        "Flipper Length (mm)": 230, "Body Mass (g)": 5800, "Sex": "MALE"}]}""";

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static Path install;
  private static Path home;
  private static Path tools;
  private static Properties build;

  record Result(int exitCode, String output) {}

  @BeforeAll
  static void unpack() throws Exception {
    install = Distribution.unpack(Files.createDirectory(dir.resolve("unpacked"))).toRealPath();
    home = Files.createDirectory(dir.resolve("home"));
    tools = Files.createDirectory(dir.resolve("bin"));
    Files.createSymbolicLink(
        tools.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
    for (String tool : TOOLS) {
      Files.createSymbolicLink(tools.resolve(tool), onPath(tool));
    }
    build = new Properties();
    try (InputStream in = Files.newInputStream(install.resolve("lib/build.properties"))) {
      build.load(in);
    }
  }

  /** The links to this machine's tools go before the temporary directory (which warns of each). */
  @AfterAll
  static void removeToolLinks() throws IOException {
    if (tools != null) {
      try (Stream<Path> links = Files.list(tools)) {
        for (Path link : links.toList()) {
          Files.delete(link);
        }
      }
    }
  }

  @Test
  void unpacksToTheDocumentedLayoutWithEveryJarOnce() throws IOException {
    String version = build.getProperty("version");
    assertThat(install.getFileName()).hasToString("mlplatform-" + version);
    assertThat(install.resolve("bin/mlplatform")).isExecutable();
    for (String file :
        List.of(
            "README",
            "conf/serving.yaml",
            "conf/retraining.yaml",
            "conf/log4j2.properties",
            "conf/models/penguins.yaml",
            "data/penguins.json",
            "lib/training-jobs-app.jar",
            "lib/sh/common.sh",
            "lib/sh/quickstart.sh")) {
      assertThat(install.resolve(file)).as(file).isRegularFile();
    }
    assertThat(build.getProperty("commit")).as("lib/build.properties commit").isNotNull();
    assertThat(build.getProperty("java17.opens")).contains("--add-opens=java.base/java.nio=");

    List<String> cli = Files.readAllLines(install.resolve("lib/classpath/cli.txt"));
    List<String> spark = Files.readAllLines(install.resolve("lib/classpath/spark.txt"));
    assertThat(cli.get(0)).as("the cli module's jar comes first").matches("cli-.*\\.jar");
    assertThat(cli).as("serving has no Spark").noneMatch(jar -> jar.startsWith("spark-core"));
    assertThat(spark)
        .contains("spark-core_2.12-3.5.7.jar", "spark-kubernetes_2.12-3.5.6.jar")
        .noneMatch(jar -> jar.matches("spark-(core|sql|catalyst)_2\\.12-3\\.5\\.6\\.jar"));
    Set<String> listed = new HashSet<>(cli);
    listed.addAll(spark);
    Set<String> present = new HashSet<>();
    try (Stream<Path> jars = Files.list(install.resolve("lib/jars"))) {
      jars.forEach(jar -> present.add(jar.getFileName().toString()));
    }
    assertThat(present).as("lib/jars holds exactly the jars the classpaths name").isEqualTo(listed);
  }

  @Test
  void theEnvironmentHasNeitherMavenNorAMavenRepository() throws Exception {
    Result mvn = run(Duration.ofSeconds(30), Map.of(), "bash", "-c", "command -v mvn");
    assertThat(mvn.exitCode()).as("command -v mvn: %s", mvn.output()).isNotZero();
    Result java = run(Duration.ofSeconds(30), Map.of(), "bash", "-c", "command -v java");
    assertThat(java.exitCode()).as(java.output()).isZero();
  }

  @Test
  void answersHelpAndVersion() throws Exception {
    Result help = run(Duration.ofMinutes(1), Map.of(), "bin/mlplatform", "--help");
    assertThat(help.exitCode()).as(help.output()).isZero();
    assertThat(help.output()).startsWith("Usage: mlplatform ").contains("  train ", "  serve ");

    Result version = run(Duration.ofMinutes(1), Map.of(), "bin/mlplatform", "--version");
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(version.output().trim()).isEqualTo("mlplatform " + build.getProperty("version"));
  }

  @Test
  void benchIsRefusedWithAReason() throws Exception {
    Result bench =
        run(Duration.ofMinutes(1), Map.of(), "bin/mlplatform", "bench", "training", "--rows", "10");
    assertThat(bench.exitCode()).as(bench.output()).isEqualTo(2);
    assertThat(bench.output()).contains("bench runs from a source checkout");
  }

  @Test
  void trainsServesAndScoresTheSample() throws Exception {
    Path store = dir.resolve("store");
    Result train =
        run(
            Duration.ofMinutes(10),
            Map.of(),
            "bin/mlplatform",
            "train",
            "conf/models/penguins.yaml",
            "--store",
            store.toString());
    assertThat(train.exitCode()).as(train.output()).isZero();
    JsonNode manifest = JSON.readTree(store.resolve("penguins/versions/1/manifest.json").toFile());
    String commit = build.getProperty("commit");
    if (!commit.isEmpty()) {
      // No git here: the commit comes from lib/build.properties.
      assertThat(manifest.path("lineage").path("gitCommit").asText()).isEqualTo(commit);
    }

    int port = freePort();
    Path log = dir.resolve("serve.log");
    Process serve =
        start(
            log,
            Map.of(
                "MLPLATFORM_SERVING_JAVA_OPTS", "-Dmlplatform.test=serving-opts",
                "MLPLATFORM_JAVA_OPTS", "-Xmx512m"),
            "bin/mlplatform",
            "serve",
            "--store",
            store.toString(),
            "--port",
            Integer.toString(port),
            "--host",
            "127.0.0.1",
            "--no-auth");
    try {
      HttpClient http = HttpClient.newHttpClient();
      awaitReady(http, port, serve, log);

      // bin/mlplatform exec'd the JVM (in a container it is PID 1), with the serving role's flags.
      assertThat(serve.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("java"));
      // From /proc: ProcessHandle.Info has no arguments for a command line this long (the
      // classpath).
      List<String> arguments =
          List.of(
              Files.readString(Path.of("/proc", Long.toString(serve.pid()), "cmdline"))
                  .split("\0"));
      assertThat(arguments)
          .contains("-Dmlplatform.test=serving-opts", "-Xmx512m")
          .as("MLPLATFORM_SERVING_JAVA_OPTS replaces the launcher's defaults")
          .doesNotContain("-XX:+UseG1GC");

      HttpResponse<String> reply =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/v1/models/penguins:predict"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(PENGUIN))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
      JsonNode prediction = JSON.readTree(reply.body()).path("predictions").path(0);
      assertThat(prediction.path("label").asText()).as(reply.body()).isEqualTo("Gentoo");
      assertThat(prediction.path("probabilities").path("Gentoo").asDouble()).isGreaterThan(0.9);
    } finally {
      serve.destroy();
      assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("serve exits on SIGTERM").isTrue();
    }
    assertThat(home).as("nothing wrote into HOME (no ~/.m2)").isEmptyDirectory();
  }

  /**
   * Spark's Kubernetes cluster manager (spark-kubernetes 3.5.6 next to Spark 3.5.7) loads from the
   * distribution's Spark classpath: spark-submit in cluster mode asks a Kubernetes API server (this
   * test's, which refuses) to create the driver pod, with the image and the image's app jar.
   */
  @Test
  void trainSubmitsTheDriverPodToKubernetes() throws Exception {
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + "\n" + body);
          byte[] status =
              """
              {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,\
              "message":"a test server: nothing is created"}"""
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(403, status.length);
          exchange.getResponseBody().write(status);
          exchange.close();
        });
    api.start();
    String image = "localhost/mlplatform-spark:" + build.getProperty("version");
    Result submit;
    try {
      submit =
          run(
              Duration.ofMinutes(3),
              Map.of(),
              "bin/mlplatform",
              "train",
              "conf/models/penguins.yaml",
              "--store",
              "/var/lib/mlplatform/model-store",
              "--master",
              "k8s://http://127.0.0.1:" + api.getAddress().getPort(),
              "--spark-conf",
              "spark.submit.deployMode=cluster",
              "--spark-conf",
              "spark.kubernetes.container.image=" + image);
    } finally {
      api.stop(0);
    }

    assertThat(submit.output()).doesNotContain("Could not parse Master URL");
    assertThat(submit.exitCode()).as("the API server refused the pod").isNotZero();
    String create =
        requests.stream()
            .filter(r -> r.startsWith("POST /api/v1/namespaces/default/pods\n"))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError("no pod creation in " + requests + "\n" + submit.output()));
    JsonNode pod = JSON.readTree(create.substring(create.indexOf('\n') + 1));
    assertThat(pod.path("metadata").path("labels").path("spark-role").asText()).isEqualTo("driver");
    assertThat(pod.path("metadata").path("labels").path("spark-version").asText())
        .isEqualTo("3.5.7");
    JsonNode container = pod.path("spec").path("containers").path(0);
    assertThat(container.path("image").asText()).isEqualTo(image);
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    assertThat(args)
        .contains(
            "driver",
            "io.mlplatform.training.TrainCommand",
            "local://" + install.resolve("lib/training-jobs-app.jar"),
            "conf/models/penguins.yaml");
  }

  /** A command in the install directory, with only HOME and PATH (plus {@code env}) set. */
  private static Result run(Duration timeout, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "run", ".log");
    Process process = start(log, env, command);
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          String.join(" ", command) + " did not finish in " + timeout + ":\n" + read(log));
    }
    return new Result(process.exitValue(), read(log));
  }

  private static Process start(Path log, Map<String, String> env, String... command)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(install.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().put("HOME", home.toString());
    builder.environment().put("PATH", tools.toString());
    builder.environment().putAll(env);
    return builder.start();
  }

  private static void awaitReady(HttpClient http, int port, Process serve, Path log)
      throws IOException, InterruptedException {
    URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      if (!serve.isAlive()) {
        throw new AssertionError("serve exited with " + serve.exitValue() + ":\n" + read(log));
      }
      try {
        if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // The JVM is still starting.
      }
      Thread.sleep(250);
    }
    throw new AssertionError("serve was not ready within 2 min:\n" + read(log));
  }

  private static Path onPath(String tool) {
    for (String entry : System.getenv("PATH").split(":")) {
      Path candidate = Path.of(entry, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(tool + " is not on this machine's PATH");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file);
  }
}
