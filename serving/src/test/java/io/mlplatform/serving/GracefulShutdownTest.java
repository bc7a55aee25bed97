package io.mlplatform.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlplatform.store.storage.ModelStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@link Main} in a JVM of its own, stopped with SIGTERM (what {@link Process#destroy()}
 * sends on Linux; sent here through its ProcessHandle) while requests are in flight: readiness
 * turns 503 first, every request in flight completes, and the process exits within its grace
 * period.
 */
class GracefulShutdownTest {

  // Padded so that a slow client has a byte to send every 100 ms for a minute.
  private static final String VALID =
      "{\"instances\": [{\"Island\": \"Dream\", \"Beak Length (mm)\": 39.1}]}" + " ".repeat(2000);
  private static final Pattern LISTENING = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)");
  @TempDir Path dir;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final StringBuffer output = new StringBuffer();
  private Process process;
  private Thread reader;

  @AfterEach
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  void sigtermTurnsReadinessOffThenDrainsEveryRequestInFlightAndExits() throws Exception {
    int port = start("shutdownDelay: 1500ms\nshutdownGrace: 20s\n");
    assertThat(status(port, "/health/ready")).isEqualTo(200);
    List<SlowRequest> inFlight = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      inFlight.add(SlowRequest.start(port, "/v1/models/penguins:predict", VALID));
    }
    // Their headers are in; their bodies are not, so they hold no permit (the in-flight gauge stays
    // 0) but Jetty is handling them: give the headers time to arrive.
    Thread.sleep(1000);

    long sigterm = System.nanoTime();
    sigterm();

    awaitStatus(port, "/health/ready", 503);
    assertThat(millisSince(sigterm)).isLessThan(1500);
    assertThat(status(port, "/health/live")).isEqualTo(200);
    // The clients are slow: their bodies keep arriving for 4 s, past the moment the listener
    // closes.
    ExecutorService clients = Executors.newFixedThreadPool(inFlight.size());
    List<Future<String>> responses = new ArrayList<>();
    for (SlowRequest request : inFlight) {
      responses.add(clients.submit(() -> request.finishOver(Duration.ofSeconds(4))));
    }
    Thread.sleep(2500);
    assertThat(process.isAlive()).isTrue();
    HttpClient fresh = HttpClient.newHttpClient(); // no pooled connection: a new one is refused
    assertThatThrownBy(
            () ->
                fresh.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
    for (Future<String> future : responses) {
      String response = future.get(30, TimeUnit.SECONDS);
      assertThat(SlowRequest.status(response)).as(response).isEqualTo(200);
      assertThat(response).contains("\"predictions\":[{\"prediction\":");
    }
    clients.shutdown();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(millisSince(sigterm)).isLessThan(1500 + 20_000);
    reader.join(5000);
    assertThat(output.toString()).contains("shutting down: readiness is 503", "stopped in");
  }

  @Test
  void aRequestThatOutlastsTheGracePeriodDoesNotKeepTheProcessAlive() throws Exception {
    int port = start("shutdownDelay: 0ms\nshutdownGrace: 2s\n");
    SlowRequest endless = SlowRequest.start(port, "/v1/models/penguins:predict", VALID);
    Thread.sleep(1000); // its headers are in: Jetty is handling it (its body never ends)
    // Never idle, never done: a byte every 100 ms for a minute.
    Thread client =
        new Thread(
            () -> {
              try {
                endless.finishOver(Duration.ofSeconds(60));
              } catch (RuntimeException e) {
                // cut off by the server, as expected
              }
            });
    client.setDaemon(true);
    client.start();

    long sigterm = System.nanoTime();
    sigterm();

    assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(millisSince(sigterm)).isBetween(1900L, 6000L);
    reader.join(5000);
    assertThat(output.toString())
        .contains("requests still in flight after the 2000 ms grace period were cut off");
    endless.close();
  }

  /** Starts Main on a free port over a store with the classifier fixture; returns the port. */
  private int start(String settings) throws Exception {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    Fixtures.publishClassifier(store, "penguins", dir);
    Path config =
        Files.writeString(
            dir.resolve("serving.yaml"), settings + "pollInterval: 0s\nwarmupRows: 10\n");
    String classpath =
        Path.of("target", "classes").toAbsolutePath()
            + java.io.File.pathSeparator
            + Files.readString(Path.of("target", "classpath.txt")).trim();
    process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                Main.class.getName(),
                "--config",
                config.toString(),
                "--store",
                store.uri().toString(),
                "--port",
                "0",
                "--no-auth")
            .redirectErrorStream(true)
            .start();
    reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  output.append(line).append('\n');
                }
              } catch (IOException e) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline && process.isAlive()) {
      Matcher m = LISTENING.matcher(output);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the service did not start:\n" + output);
  }

  /**
   * SIGTERM. Through the handle: {@link Process#destroy()} would also close our end of its output.
   */
  private void sigterm() {
    assertThat(process.toHandle().destroy()).isTrue();
  }

  private int status(int port, String path) throws IOException, InterruptedException {
    return client
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private void awaitStatus(int port, String path, int expected) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (status(port, path) == expected) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(path + " never answered " + expected);
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
