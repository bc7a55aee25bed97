package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.e2e.ServingServer.Reply;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's chaos run: the real service, started as a separate process the way {@code
 * scripts/serve} starts it (the same {@code java -cp} line, plus a directory holding {@link
 * ChaosFileSystem} and a {@code core-site.xml} registering it), reads its store through {@code
 * chaos://} and is kept under open-loop load by the benchmark's generator ({@link ChaosTraffic})
 * while, one after another:
 *
 * <ol>
 *   <li>the store becomes unreadable for 10 s (first only the versions' files past their manifests,
 *       until the version published at that moment has been tried and failed halfway through its
 *       load, then every call), then comes back;
 *   <li>a corrupt version appears;
 *   <li>the serving version is deleted from the store;
 *   <li>a version whose self-test fails is promoted ({@code production} set to it);
 *   <li>SIGTERM arrives ({@link Process#destroy()}).
 * </ol>
 *
 * <p>Every answer must be a 200 from a complete version (v1 or v2, never the corrupt v3 or the
 * refused v4) or, during shutdown, a designed 503; every request sent gets an answer (none lost to
 * a reset or an empty reply; after SIGTERM the traffic goes on until the listener closes, and a
 * connection refused from then on is not a lost request: nothing was sent); the version that was
 * only unreadable serves once the store is back (nothing refused forever); readiness and {@code GET
 * /v1/models} tell the truth after each step. The counts per step, status and error kind are
 * printed to standard output. One phase, one process: the fault is a file the test writes, which
 * the service's file system reads.
 */
@Tag("slow")
class ChaosTest {

  private static final String MODEL = "penguins";
  private static final String PREDICT = "/v1/models/" + MODEL + ":predict";

  @TempDir Path dir;

  @Test
  void everyRequestIsAnsweredByACompleteVersionOrADesigned503() throws Exception {
    ModelStore trained = ModelStore.open(TrainedStore.trained().toString());
    Path storeDir = dir.resolve("store");
    ModelStore store =
        ModelStore.open(storeDir.toString()); // the writer: the plain local file system
    assertThat(StoreCopies.copy(trained, MODEL, store, MODEL, dir)).isEqualTo(1);
    Path fault = dir.resolve("fault");
    int port = freePort();
    Process service = start(storeDir, fault, port);
    ServiceClient client = new ServiceClient(port);
    ChaosTraffic traffic = null;
    try {
      awaitTrue(
          "the service is ready with v1",
          Duration.ofSeconds(90),
          service,
          () -> client.get("/health/ready").status() == 200 && servingVersion(client) == 1);
      String body =
          ServingServer.JSON.writeValueAsString(
              Map.of("instances", List.of(trained.referenceRows(MODEL, 1).get(0).input())));
      traffic = new ChaosTraffic(port, PREDICT, body, List.of(1, 2));
      traffic.start("0 steady");
      Thread.sleep(2_000);
      assertReady(client, 1);

      // 1. The store becomes unreadable for 10 s; v2 appears as it goes.
      traffic.step("1 store unreadable 10s");
      long outageStart = System.nanoTime();
      Files.writeString(fault, "versions");
      assertThat(StoreCopies.copy(trained, MODEL, store, MODEL, dir)).isEqualTo(2);
      JsonNode tried =
          awaitVersion(
              client, 2, v -> !v.get("state").asText().equals("AVAILABLE"), Duration.ofSeconds(5));
      System.out.println(
          "chaos: v2 while its files were unreadable: "
              + (tried == null ? "not tried in 5 s" : tried));
      Files.writeString(fault, "all");
      while (System.nanoTime() - outageStart < TimeUnit.SECONDS.toNanos(10)) {
        assertThat(client.get("/health/ready").status())
            .as("readiness during the outage (v1 serves)")
            .isEqualTo(200);
        Thread.sleep(500);
      }
      JsonNode models = client.get("/v1/models").json();
      assertThat(models.at("/store/reachable").asBoolean())
          .as("GET /v1/models during the outage: %s", models)
          .isFalse();
      assertThat(servingVersion(client)).as("v1 keeps serving during the outage").isEqualTo(1);
      Files.delete(fault);
      traffic.step("1b store back");
      JsonNode back =
          awaitVersion(
              client, 2, v -> v.get("state").asText().equals("SERVING"), Duration.ofSeconds(20));
      assertThat(back)
          .as(
              "v2 was only unreadable while the store was down, and must serve once it is back"
                  + " (a transient store read error must not refuse a version for good; needs the serving fix for"
                  + " transient I/O errors): %s",
              client.get("/v1/models/" + MODEL + "/versions/2").body())
          .isNotNull();
      assertThat(client.get("/v1/models").json().at("/store/reachable").asBoolean()).isTrue();
      assertReady(client, 2);

      // 2. A corrupt version appears.
      traffic.step("2 corrupt version");
      int corrupt =
          StoreCopies.copy(
              trained, MODEL, store, MODEL, dir, ChaosTest::corrupt, UnaryOperator.identity());
      assertRefused(client, corrupt, "archive");
      assertReady(client, 2);

      // 3. The serving version is deleted from the store: what is loaded keeps serving.
      traffic.step("3 serving version deleted");
      store.deleteVersion(MODEL, 2, "chaos test");
      Thread.sleep(2_000); // ten polls
      System.out.println(
          "chaos: after v2 was deleted: " + client.get("/v1/models/" + MODEL).body());
      assertReady(client, servingVersion(client));

      // 4. A version whose self-test fails is promoted.
      traffic.step("4 self-test failure promoted");
      int failing =
          StoreCopies.copy(
              trained,
              MODEL,
              store,
              MODEL,
              dir,
              UnaryOperator.identity(),
              rows ->
                  rows.stream()
                      .map(
                          r ->
                              new ReferenceRow(
                                  r.input(), (r.prediction() + 1) % 3, r.probabilities()))
                      .toList());
      store.setAlias(MODEL, "production", failing, "chaos test");
      assertRefused(client, failing, "self_test");
      assertReady(client, servingVersion(client));

      // 5. SIGTERM: readiness says so at once; requests keep being answered while the service
      // drains.
      traffic.step("5 SIGTERM");
      traffic
          .syncGenerator(); // the generator's slice in flight at SIGTERM is counted under this step
      traffic.expectShutdown();
      long term = System.nanoTime();
      service.destroy();
      awaitTrue(
          "readiness answers 503 after SIGTERM",
          Duration.ofSeconds(2),
          null,
          () -> client.get("/health/ready").status() == 503);
      System.out.printf(
          "chaos: readiness 503 %d ms after SIGTERM%n", (System.nanoTime() - term) / 1_000_000);
      // Traffic goes on through shutdownDelay (3 s) until the listener closes (a new connection is
      // refused); every request sent until then, in flight at the close included, must be answered.
      ChaosTraffic draining = traffic;
      awaitTrue(
          "the listener closed after shutdownDelay",
          Duration.ofSeconds(15),
          null,
          () -> draining.refusedAtConnect() > 0 || !service.isAlive());
      System.out.printf(
          "chaos: listener closed %d ms after SIGTERM%n", (System.nanoTime() - term) / 1_000_000);
      traffic.stop();
      assertThat(service.waitFor(30, TimeUnit.SECONDS))
          .as("the service exits after SIGTERM")
          .isTrue();
      System.out.printf(
          "chaos: the service exited with %d, %d ms after SIGTERM%n",
          service.exitValue(), (System.nanoTime() - term) / 1_000_000);
    } finally {
      if (traffic != null) {
        traffic.stop();
        traffic.print();
      }
      service.destroyForcibly();
      service.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(traffic.problems())
        .as(
            "answers other than a 200 from a complete version or a designed 503,"
                + " and requests without an answer")
        .isEmpty();
    assertThat(traffic.total("2 corrupt version")).isPositive();
    for (String step :
        List.of(
            "0 steady",
            "1 store unreadable 10s",
            "1b store back",
            "2 corrupt version",
            "3 serving version deleted",
            "4 self-test failure promoted")) {
      assertThat(traffic.non200(step)).as("answers other than 200 while %s", step).isZero();
      assertThat(traffic.generatorErrors(step))
          .as("the generator's non-200 answers while %s", step)
          .isZero();
    }
  }

  /** One version's state has been decided as the predicate wants, or null after the timeout. */
  private static JsonNode awaitVersion(
      ServiceClient client, int version, Predicate<JsonNode> decided, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Reply reply = client.get("/v1/models/" + MODEL + "/versions/" + version);
      if (reply.status() == 200 && decided.test(reply.json())) {
        return reply.json();
      }
      Thread.sleep(100);
    }
    return null;
  }

  private static void assertRefused(ServiceClient client, int version, String check)
      throws InterruptedException {
    JsonNode state =
        awaitVersion(
            client,
            version,
            v -> !v.get("state").asText().equals("AVAILABLE"),
            Duration.ofSeconds(30));
    assertThat(state).as("v%d was never tried", version).isNotNull();
    assertThat(state.get("state").asText()).as("v%d: %s", version, state).isEqualTo("REFUSED");
    assertThat(state.get("check").asText()).as("v%d: %s", version, state).isEqualTo(check);
  }

  /** Readiness is 200 and the model view agrees: the model is served by a complete version. */
  private static void assertReady(ServiceClient client, int version) {
    assertThat(client.get("/health/ready").status()).as("readiness").isEqualTo(200);
    JsonNode model = client.get("/v1/models/" + MODEL).json();
    assertThat(model.get("loadedVersion").asInt()).as("%s", model).isEqualTo(version);
    assertThat(version).as("the serving version is a complete one").isIn(1, 2);
  }

  private static int servingVersion(ServiceClient client) {
    JsonNode model = client.get("/v1/models/" + MODEL).json();
    return model == null || model.get("loadedVersion").isNull()
        ? 0
        : model.get("loadedVersion").asInt();
  }

  private static Path corrupt(Path zip) {
    try {
      byte[] bytes = Files.readAllBytes(zip);
      for (int i = 0; i < bytes.length; i += 5) {
        bytes[i] = (byte) ~bytes[i];
      }
      return Files.write(zip, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The service as scripts/serve execs it, with the chaos file system's directory on its classpath.
   */
  private Process start(Path storeDir, Path fault, int port)
      throws IOException, URISyntaxException {
    Path root = TrainingProcess.projectRoot();
    Path chaos = chaosClasspath(fault);
    Path config =
        Files.writeString(
            dir.resolve("serving.yaml"),
            String.join(
                "\n",
                "pollInterval: 200ms",
                "warmupRows: 50",
                "shutdownDelay: 3s",
                "shutdownGrace: 10s",
                ""));
    String classpath =
        servingJar(root)
            + ":"
            + Files.readString(root.resolve("serving/target/classpath.txt")).trim()
            + ":"
            + chaos;
    Path log = dir.resolve("service.log");
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            classpath,
            "io.mlplatform.serving.Main",
            "--store",
            ChaosFileSystem.SCHEME + "://" + storeDir.toAbsolutePath(),
            "--port",
            Integer.toString(port),
            "--no-auth",
            "--config",
            config.toString())
        .directory(root.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static Path servingJar(Path root) throws IOException {
    try (Stream<Path> files = Files.list(root.resolve("serving/target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("serving-.*-SNAPSHOT\\.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "serving is not packaged: build from the project root"));
    }
  }

  /**
   * A directory holding only the chaos file system's classes and the core-site.xml registering it.
   */
  private Path chaosClasspath(Path fault) throws IOException, URISyntaxException {
    Path out = dir.resolve("chaos-classpath");
    Path pkg = out.resolve("io/mlplatform/e2e");
    Files.createDirectories(pkg);
    Path classes =
        Path.of(ChaosFileSystem.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve("io/mlplatform/e2e");
    List<Path> copied = new ArrayList<>();
    try (Stream<Path> files = Files.list(classes)) {
      for (Path p :
          files.filter(p -> p.getFileName().toString().startsWith("ChaosFileSystem")).toList()) {
        copied.add(Files.copy(p, pkg.resolve(p.getFileName())));
      }
    }
    assertThat(copied).hasSize(3);
    Files.writeString(
        out.resolve("core-site.xml"),
        """
        <?xml version="1.0"?>
        <configuration>
          <property><name>fs.chaos.impl</name><value>io.mlplatform.e2e.ChaosFileSystem</value></property>
          <property><name>fs.AbstractFileSystem.chaos.impl</name><value>io.mlplatform.e2e.ChaosFileSystem$Fs</value></property>
          <property><name>%s</name><value>%s</value></property>
        </configuration>
        """
            .formatted(ChaosFileSystem.FAULT_FILE_KEY, fault.toAbsolutePath()));
    return out;
  }

  interface Check {
    boolean holds() throws Exception;
  }

  private static void awaitTrue(String what, Duration timeout, Process process, Check check)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (check.holds()) {
          return;
        }
      } catch (UncheckedIOException e) {
        // not listening yet
      }
      if (process != null && !process.isAlive()) {
        throw new AssertionError(
            "the service exited with " + process.exitValue() + " before: " + what);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not within " + timeout + ": " + what);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
