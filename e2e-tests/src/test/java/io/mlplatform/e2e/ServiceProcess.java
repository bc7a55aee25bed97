package io.mlplatform.e2e;

import io.mlplatform.e2e.ServingServer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One serving replica as a separate process, started the way {@code scripts/serve} starts it (the
 * packaged serving jar and its classpath, {@code io.mlplatform.serving.Main}), with its own port,
 * log file and the API keys of {@link #KEYS}. Several of them over one store make a fleet; {@link
 * #restart()} stops it with SIGTERM and starts it again on the same port.
 */
final class ServiceProcess implements AutoCloseable {

  /** An admin key named {@code ops} and a predict key named {@code app}. */
  static final String OPS_SECRET = "ops-secret-0123456789abcdef";

  static final String APP_SECRET = "app-secret-0123456789abcdef";
  static final String KEYS = "ops:admin:" + OPS_SECRET + ",app:predict:" + APP_SECRET;
  static final String[] OPS = {"Authorization", "Bearer " + OPS_SECRET};
  static final String[] APP = {"Authorization", "Bearer " + APP_SECRET};

  private final String name;
  private final String storeUri;
  private final Path config;
  private final Path log;
  private final int port;
  private final ServiceClient client;
  private Process process;

  /**
   * @param name names the log file, {@code DIR/NAME.log}
   * @param storeUri the store every replica reads
   * @param settings serving.yaml lines, e.g. {@code pollInterval: 1s}
   */
  ServiceProcess(String name, String storeUri, Path dir, List<String> settings) {
    this.name = name;
    this.storeUri = storeUri;
    this.log = dir.resolve(name + ".log");
    this.port = freePort();
    this.client = new ServiceClient(port);
    try {
      List<String> lines = new ArrayList<>(settings);
      lines.add("");
      this.config = Files.writeString(dir.resolve(name + ".yaml"), String.join("\n", lines));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the process and waits until it is ready (every model serving). */
  ServiceProcess start() {
    Path root = TrainingProcess.projectRoot();
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            servingJar(root) + ":" + read(root.resolve("serving/target/classpath.txt")).trim(),
            "io.mlplatform.serving.Main",
            "--store",
            storeUri,
            "--port",
            Integer.toString(port),
            "--config",
            config.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(Map.of("MLPLATFORM_API_KEYS", KEYS));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await("ready", Duration.ofSeconds(90), c -> c.get("/health/ready").status() == 200);
    return this;
  }

  /** SIGTERM, then waits for the process to end (its shutdown delay and grace included). */
  void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  ServiceProcess restart() {
    stop();
    return start();
  }

  ServiceClient client() {
    return client;
  }

  String name() {
    return name;
  }

  Reply put(String path, String body, String... headers) {
    return client.send(
        client
            .request(path, headers)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  Reply delete(String path, String... headers) {
    return client.send(client.request(path, headers).DELETE().build());
  }

  /**
   * Polls {@code check} every 50 ms until it holds; an AssertionError naming {@code what} and the
   * end of the log when the timeout passes or the process ends first.
   */
  void await(String what, Duration timeout, Predicate<ServiceClient> check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new AssertionError(
            name + " exited with " + process.exitValue() + " before: " + what + "\n" + tail());
      }
      try {
        if (check.test(client)) {
          return;
        }
      } catch (UncheckedIOException e) {
        // not listening yet
      }
      sleep(50);
    }
    throw new AssertionError(name + ": not within " + timeout + ": " + what + "\n" + tail());
  }

  /** The last lines of the log, for failure messages. */
  String tail() {
    List<String> lines = List.of(read(log).split("\n"));
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  @Override
  public void close() {
    stop();
  }

  private static Path servingJar(Path root) {
    try (Stream<Path> files = Files.list(root.resolve("serving/target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("serving-.*-SNAPSHOT\\.jar"))
          .findFirst()
          .orElseThrow(
              () -> new IllegalStateException("serving is not packaged: build from the root"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
