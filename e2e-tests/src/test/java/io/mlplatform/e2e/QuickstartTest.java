package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command: bin/mlplatform quickstart trains the penguins model, serves it and
 * prints a curl that works; stopping the script stops the service.
 */
@Tag("slow")
class QuickstartTest {

  @TempDir Path dir;

  @Test
  void servesThePenguinsModelAndThePrintedCurlWorks() throws Exception {
    int port = freePort();
    Path log = dir.resolve("quickstart.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                TrainingProcess.projectRoot().resolve("bin/mlplatform").toString(),
                "quickstart",
                "--port",
                Integer.toString(port),
                "--store",
                dir.resolve("store").toString())
            .directory(TrainingProcess.projectRoot().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("MLPLATFORM_NO_BUILD", "1");
    Process quickstart = builder.start();
    try {
      String output = awaitLine(log, "Press Ctrl-C to stop.", quickstart, Duration.ofMinutes(6));
      Matcher curl =
          Pattern.compile("-d '(\\{\"instances\".*?\\]\\})'", Pattern.DOTALL).matcher(output);
      assertThat(curl.find()).as(output).isTrue();
      HttpResponse<String> reply =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/v1/models/penguins:predict"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(curl.group(1)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
      assertThat(reply.body()).contains("\"name\":\"penguins\"").contains("\"label\":\"Gentoo\"");
    } finally {
      quickstart.destroy();
      assertThat(quickstart.waitFor(30, TimeUnit.SECONDS))
          .as("quickstart exits on SIGTERM")
          .isTrue();
    }
    try (ServerSocket socket = new ServerSocket(port)) {
      assertThat(socket.getLocalPort()).as("the service released its port").isEqualTo(port);
    }
  }

  private static String awaitLine(Path log, String line, Process process, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String output = Files.exists(log) ? Files.readString(log) : "";
      if (output.contains(line)) {
        return output;
      }
      if (!process.isAlive()) {
        throw new AssertionError("quickstart exited with " + process.exitValue() + ":\n" + output);
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "quickstart printed no '" + line + "' within " + timeout + ":\n" + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
