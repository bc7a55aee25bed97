package io.mlplatform.retraining;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SchedulerCommandTest {

  @TempDir Path dir;

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new SchedulerCommand());
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void theOldConfSpellingIsRefusedNamingConfig() {
    int code = run("--conf", dir.resolve("retraining.yaml").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("option '--conf' was renamed to '--config'");
  }

  @Test
  void configNamesTheScheduleFile() {
    CommandLine cli = new CommandLine(new SchedulerCommand());

    cli.parseArgs("--config", "conf/other.yaml", "--store", "/tmp/models");

    SchedulerCommand command = cli.getCommand();
    assertThat(command.config).isEqualTo(Path.of("conf/other.yaml"));
    assertThat(command.store).isEqualTo("/tmp/models");
  }
}
