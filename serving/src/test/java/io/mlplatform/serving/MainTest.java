package io.mlplatform.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.config.ShutdownSection;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line up to the point where a server would start. */
class MainTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void theShutdownWatchdogAllowsForEveryDrainItWaitsFor() {
    ServingConfig config =
        Fixtures.config()
            .withShutdown(new ShutdownSection(Duration.ofSeconds(2), Duration.ofSeconds(30)));
    // After the delay and Jetty's grace: the scoring lanes' drain (10 s) and the shadow scorer's (5
    // s).
    long drains = 2_000 + 30_000 + 10_000 + 5_000;

    assertThat(Main.watchdogMillis(config)).isGreaterThan(drains);
  }

  @Test
  void helpListsEveryFlag() {
    int code = run("--help");

    assertThat(code).isZero();
    assertThat(out.toString())
        .contains(
            "--config",
            "--port",
            "--host",
            "--store",
            "--no-auth",
            "MLPLATFORM_STORE",
            "MLPLATFORM_API_KEYS",
            "MLPLATFORM_AUTH_ENABLED",
            "MLPLATFORM_PORT",
            "MLPLATFORM_HOST")
        .doesNotContain("MODEL_STORE", "SERVING_");
  }

  @Test
  void badFlagsFailWithEveryErrorAndNoStackTrace() {
    int code = run("--port", "http", "--host", " ");

    assertThat(code).isEqualTo(Main.EXIT_CONFIG);
    assertThat(err.toString())
        .contains("port: must be an integer from 0 to 65535, got 'http' (from command line)")
        .contains("host: must be a non-empty string")
        .doesNotContain("Exception", "\tat ");
  }

  @Test
  void refusesToStartWithAuthOnAndNoKey() {
    int code = run("--port", "0", "--store", "target/no-such-store-for-main-test");

    assertThat(code).isEqualTo(Main.EXIT_CONFIG);
    assertThat(err.toString())
        .contains("apiKeys: auth is on but no API key is configured", "--no-auth");
  }

  @Test
  void aRenamedConfigKeyExitsWithTheConfigCode(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("serving.yaml"), "storeUri: /models\n");

    int code = run("--config", file.toString(), "--no-auth");

    assertThat(code).isEqualTo(Main.EXIT_CONFIG);
    assertThat(err.toString()).contains("key 'storeUri' was renamed to 'store'");
  }

  private int run(String... args) {
    CommandLine command = new CommandLine(new Main());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }
}
