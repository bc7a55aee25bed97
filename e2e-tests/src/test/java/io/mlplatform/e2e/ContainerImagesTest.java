package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container images as docs/containers.md builds and runs them: deploy/images/build makes the
 * Debian base image (when missing) and both images from the distribution tarball; the spark image
 * trains the sample in Spark local mode into a store on a volume, through bin/mlplatform train and
 * through the driver entrypoint Spark on Kubernetes uses; the serving image serves that store with
 * a read-only root file system, as uid 10001, java being PID 1, and drains the requests in flight
 * on SIGTERM. The images stay cached between runs (the build reuses their layers); the containers
 * are removed.
 */
@Tag("slow")
class ContainerImagesTest {

  private static final String TRAIN_CONTAINER = "mlplatform-test-train";
  private static final String SERVING_CONTAINER = "mlplatform-test-serving";
  private static final String STORE_MOUNT = "/var/lib/mlplatform/model-store";
  private static final String SECRET = "container-test-secret-0123456789";
  private static final String PENGUIN =
      "{\"Island\": \"Biscoe\", \"Beak Length (mm)\": 48.6, \"Beak Depth (mm)\": 16.0,"
          + " \"Flipper Length (mm)\": 230, \"Body Mass (g)\": 5800, \"Sex\": \"MALE\"}";
  // The largest batch serving.yaml allows (maxInstancesPerRequest): ~0.2 s of scoring each, so
  // that SIGTERM finds requests in flight.
  private static final int BATCH = 1000;
  private static final int CLIENTS = 8;

  @TempDir Path dir;

  @Test
  void buildsBothImagesTrainsWithSparkAndServesReadOnlyAsNonRootDrainingOnSigterm()
      throws Exception {
    assertThat(Podman.installed())
        .as("podman is needed: apt-get install podman runc mmdebstrap (.ci/run does)")
        .isTrue();
    Path dist = distribution();
    String version = dist.getFileName().toString().replaceAll("^mlplatform-|\\.tar\\.gz$", "");
    String serving = "localhost/mlplatform-serving:" + version;
    String spark = "localhost/mlplatform-spark:" + version;

    long start = System.nanoTime();
    buildImages(dist);
    System.out.printf(
        "containers: base image and both images ready in %d s; sizes: base-jre %d MB,"
            + " mlplatform-serving %d MB, mlplatform-spark %d MB%n",
        seconds(start),
        Podman.imageSize("localhost/base-jre:17") / 1_000_000,
        Podman.imageSize(serving) / 1_000_000,
        Podman.imageSize(spark) / 1_000_000);

    Path store = Files.createDirectory(dir.resolve("store"));
    // The images run as uid 10001, which owns nothing on this host.
    Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxrwxrwx"));
    Podman.remove(TRAIN_CONTAINER);
    Podman.remove(SERVING_CONTAINER);
    try {
      train(spark, store);
      trainThroughDriverEntrypoint(spark, store);
      serveAndDrain(serving, store);
    } finally {
      Podman.remove(TRAIN_CONTAINER);
      Podman.remove(SERVING_CONTAINER);
    }
  }

  private static Path distribution() throws IOException {
    Path target = TrainingProcess.projectRoot().resolve("distribution/target");
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(target)) {
      try (DirectoryStream<Path> tarballs =
          Files.newDirectoryStream(target, "mlplatform-*.tar.gz")) {
        tarballs.forEach(found::add);
      }
    }
    assertThat(found).as("the distribution tarball (mvn package builds it)").hasSize(1);
    return found.get(0);
  }

  private void buildImages(Path dist) throws Exception {
    Path log = dir.resolve("build.log");
    Process build =
        new ProcessBuilder(
                TrainingProcess.projectRoot().resolve("deploy/images/build").toString(),
                "--build-base",
                "--dist",
                dist.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean done = build.waitFor(20, TimeUnit.MINUTES);
    if (!done) {
      build.destroyForcibly();
    }
    String output = Files.readString(log);
    // The build's progress lines: what was built, how big, how long.
    output.lines().filter(line -> line.startsWith("==>")).forEach(System.out::println);
    assertThat(done && build.exitValue() == 0).as("deploy/images/build:%n%s", output).isTrue();
  }

  /** The spark image's own spark-submit, in local mode, publishes the sample into the store. */
  private static void train(String image, Path store) {
    long start = System.nanoTime();
    Podman.Outcome training =
        Podman.run(
            Duration.ofMinutes(15),
            podmanRun(
                List.of("--rm", "--name", TRAIN_CONTAINER, "-v", store + ":" + STORE_MOUNT),
                image,
                "train",
                "--master",
                "local[2]",
                "conf/models/penguins.yaml"));
    assertThat(training.exitCode()).as(training.output()).isZero();
    assertThat(training.output()).contains("Published penguins v1");
    assertThat(store.resolve("penguins/versions/1/manifest.json")).exists();
    assertThat(store.resolve("penguins/versions/1/bundle.zip")).exists();
    System.out.printf("containers: trained penguins in the spark image in %d s%n", seconds(start));
  }

  /**
   * The entrypoint's driver path, which Spark on Kubernetes takes in the driver pod: spark-submit
   * in client mode, bound to SPARK_DRIVER_BIND_ADDRESS, with the app jar as Kubernetes names it;
   * here with a local master.
   */
  private static void trainThroughDriverEntrypoint(String image, Path store) {
    long start = System.nanoTime();
    Podman.Outcome training =
        Podman.run(
            Duration.ofMinutes(15),
            podmanRun(
                List.of(
                    "--rm",
                    "--name",
                    TRAIN_CONTAINER,
                    "-v",
                    store + ":" + STORE_MOUNT,
                    "-e",
                    "SPARK_DRIVER_BIND_ADDRESS=127.0.0.1",
                    "-e",
                    "SPARK_LOCAL_IP=127.0.0.1"),
                image,
                "driver",
                "--master",
                "local[2]",
                "--conf",
                "spark.ui.enabled=false",
                "--class",
                "io.mlplatform.training.TrainCommand",
                "local:///opt/mlplatform/lib/training-jobs-app.jar",
                "conf/models/penguins.yaml",
                "--store",
                STORE_MOUNT));
    assertThat(training.exitCode()).as(training.output()).isZero();
    assertThat(training.output()).contains("Published penguins v2");
    assertThat(store.resolve("penguins/versions/2/manifest.json")).exists();
    System.out.printf(
        "containers: trained penguins through the driver entrypoint in %d s%n", seconds(start));
  }

  private static void serveAndDrain(String image, Path store) throws Exception {
    int port = freePort();
    long start = System.nanoTime();
    Podman.run(
            Duration.ofMinutes(2),
            podmanRun(
                List.of(
                    "--detach",
                    "--name",
                    SERVING_CONTAINER,
                    "--read-only",
                    // The paths the image declares writable (VOLUME): /tmp as a tmpfs, the store
                    // read-only, since serving never writes to it.
                    "--tmpfs",
                    "/tmp",
                    "-v",
                    store + ":" + STORE_MOUNT + ":ro",
                    "-e",
                    "MLPLATFORM_PORT=" + port,
                    "-e",
                    "MLPLATFORM_API_KEYS=test:predict:" + SECRET),
                image))
        .orFail("podman run " + image);
    awaitReady(port);
    System.out.printf(
        "containers: cold start of the serving container to /health/ready: %d ms%n",
        (System.nanoTime() - start) / 1_000_000);

    Reply scored = predict(port, "{\"instances\": [" + PENGUIN + "]}");
    assertThat(scored.status()).as(scored.body()).isEqualTo(200);
    assertThat(scored.body()).contains("\"name\":\"penguins\"").contains("\"label\":\"Gentoo\"");

    assertThat(exec("id", "-u")).isEqualTo("10001");
    assertThat(exec("cat", "/proc/1/comm")).as("PID 1 of the container").isEqualTo("java");
    assertThat(exec("sh", "-c", "grep '^Uid:' /proc/1/status | cut -f2"))
        .as("PID 1's user")
        .isEqualTo("10001");
    Podman.Outcome write =
        Podman.run(
            Duration.ofSeconds(30), "exec", SERVING_CONTAINER, "touch", "/opt/mlplatform/probe");
    assertThat(write.exitCode()).as("writing to the root file system").isNotZero();
    assertThat(write.output()).contains("Read-only file system");

    drainsOnSigterm(port);
  }

  /**
   * CLIENTS clients send the largest batches back to back; SIGTERM arrives while they do. Every
   * request sent before SIGTERM must be answered 200, every later one 200 or the designed 503
   * "unavailable" until the listener closes (then a connection is refused: nothing was sent), and
   * the JVM exits through its shutdown hook.
   */
  private static void drainsOnSigterm(int port) throws Exception {
    String batch =
        IntStream.range(0, BATCH)
            .mapToObj(i -> PENGUIN)
            .collect(Collectors.joining(",", "{\"instances\": [", "]}"));
    List<Timed> answered = Collections.synchronizedList(new ArrayList<>());
    List<String> lost = Collections.synchronizedList(new ArrayList<>());
    AtomicLong termAt = new AtomicLong(Long.MAX_VALUE);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
      clients.submit(
          () -> {
            while (!stop.get()) {
              long sent = System.nanoTime();
              try {
                Reply reply = predict(port, batch);
                answered.add(new Timed(sent, System.nanoTime(), reply.status(), reply.body()));
              } catch (ConnectException e) {
                if (sent < termAt.get()) {
                  lost.add("refused before SIGTERM: " + e);
                }
                return; // the listener closed
              } catch (IOException e) {
                lost.add(e.toString());
                return;
              }
            }
          });
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (answered.size() < 4 * CLIENTS && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    termAt.set(System.nanoTime());
    Podman.run(Duration.ofSeconds(30), "kill", "--signal", "TERM", SERVING_CONTAINER)
        .orFail("podman kill --signal TERM");
    clients.shutdown();
    boolean clientsDone = clients.awaitTermination(2, TimeUnit.MINUTES);
    stop.set(true);
    String exitCode =
        Podman.run(Duration.ofMinutes(1), "wait", SERVING_CONTAINER)
            .orFail("podman wait")
            .output()
            .trim();
    String logs = Podman.run(Duration.ofSeconds(30), "logs", SERVING_CONTAINER).output();

    long term = termAt.get();
    List<Timed> inFlight =
        answered.stream().filter(t -> t.sent() < term && t.done() > term).toList();
    long afterTerm = answered.stream().filter(t -> t.sent() > term).count();
    long unavailable = answered.stream().filter(t -> t.status() == 503).count();
    System.out.printf(
        "containers: SIGTERM with %d requests of %d rows in flight; %d requests answered in all,"
            + " %d of them sent after SIGTERM (%d answered 503 unavailable); the container exited"
            + " with %s%n",
        inFlight.size(), BATCH, answered.size(), afterTerm, unavailable, exitCode);
    assertThat(clientsDone).as("the listener closed after SIGTERM").isTrue();
    assertThat(lost).as("requests without an answer").isEmpty();
    assertThat(inFlight).as("requests in flight at SIGTERM").isNotEmpty();
    assertThat(answered.stream().filter(t -> t.sent() < term))
        .as("requests sent before SIGTERM")
        .allSatisfy(t -> assertThat(t.status()).as(t.body()).isEqualTo(200));
    assertThat(answered.stream().filter(t -> t.sent() > term))
        .as("requests sent after SIGTERM (docs/serving.md: 200, or 503 unavailable)")
        .allSatisfy(t -> assertThat(t.answeredWhileClosing()).as(t.body()).isTrue());
    // 143 = 128 + SIGTERM: the JVM ran its shutdown hook (the drain) and exited. The drain's
    // watchdog would exit with 1, a SIGKILL after podman's timeout with 137.
    assertThat(exitCode)
        .as("exit code of the serving container; its log:%n%s", logs)
        .isEqualTo("143");
  }

  private record Timed(long sent, long done, int status, String body) {

    /** A 200, or the 503 a request that arrives while the listener closes is designed to get. */
    boolean answeredWhileClosing() {
      return status == 200 || (status == 503 && body.contains("\"error\":\"unavailable\""));
    }

    @Override
    public String toString() {
      // A 200's body holds 1000 predictions: the status and an error's body say enough.
      return status + (status == 200 ? "" : " " + body);
    }
  }

  private record Reply(int status, String body) {}

  /** One request on a connection of its own, closed after the answer (no keep-alive to reuse). */
  private static Reply predict(int port, String body) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + port + "/v1/models/penguins:predict")
                .toURL()
                .openConnection();
    connection.setConnectTimeout(5_000);
    connection.setReadTimeout(60_000);
    connection.setDoOutput(true);
    connection.setRequestMethod("POST");
    connection.setRequestProperty("Connection", "close");
    connection.setRequestProperty("Content-Type", "application/json");
    connection.setRequestProperty("Authorization", "Bearer " + SECRET);
    try {
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      }
      int status = connection.getResponseCode();
      try (InputStream in =
          status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
        return new Reply(
            status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } finally {
      connection.disconnect();
    }
  }

  private static void awaitReady(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      try {
        HttpURLConnection connection =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + "/health/ready").toURL().openConnection();
        connection.setConnectTimeout(1_000);
        if (connection.getResponseCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      String running =
          Podman.run(
                  Duration.ofSeconds(30),
                  "inspect",
                  "--format",
                  "{{.State.Running}}",
                  SERVING_CONTAINER)
              .output()
              .trim();
      assertThat(running)
          .as(
              "the serving container runs; its log:%n%s",
              Podman.run(Duration.ofSeconds(30), "logs", SERVING_CONTAINER).output())
          .isEqualTo("true");
      Thread.sleep(200);
    }
    throw new AssertionError(
        "the serving container was not ready in 3 min; its log:\n"
            + Podman.run(Duration.ofSeconds(30), "logs", SERVING_CONTAINER).output());
  }

  private static String exec(String... command) {
    List<String> args = new ArrayList<>(List.of("exec", SERVING_CONTAINER));
    args.addAll(List.of(command));
    return Podman.run(Duration.ofSeconds(30), args.toArray(String[]::new))
        .orFail("podman exec " + String.join(" ", command))
        .output()
        .trim();
  }

  /** podman run with this machine's flags and the host's network (no port mapping needed). */
  private static String[] podmanRun(List<String> options, String image, String... args) {
    List<String> command = new ArrayList<>(List.of("run", "--network", "host"));
    command.addAll(Podman.ULIMITS);
    command.addAll(options);
    command.add(image);
    command.addAll(List.of(args));
    return command.toArray(String[]::new);
  }

  private static long seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000_000;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
