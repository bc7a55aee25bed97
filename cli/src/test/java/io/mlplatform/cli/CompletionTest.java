package io.mlplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionTest {

  @TempDir Path dir;

  @Test
  void theCompletionScriptCoversEveryCommandAndOption() {
    Run run = Run.of("completion");

    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains("complete -F _complete_mlplatform", "--spark-conf", "--reason", "--config")
        .doesNotContain("'--conf'", " --conf ");
    for (String command : HelpTreeTest.COMMANDS) {
      String[] words = command.split(" ");
      assertThat(run.out()).as(command).contains(words[words.length - 1]);
    }
  }

  /** bash itself loads it and completes the first word: the script is real, not just text. */
  @Test
  void bashCompletesTheCommandsWithIt() throws Exception {
    Path script = Files.writeString(dir.resolve("mlplatform.bash"), Run.of("completion").out());
    Process bash =
        new ProcessBuilder(
                "bash",
                "-c",
                "source "
                    + script
                    + " && COMP_WORDS=(mlplatform reg) "
                    + "&& COMP_CWORD=1 && COMP_LINE='mlplatform reg' && COMP_POINT=14 && _complete_mlplatform "
                    + "&& printf '%s\\n' \"${COMPREPLY[@]}\"")
            .redirectErrorStream(true)
            .start();
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(bash.getInputStream().readAllBytes());

    assertThat(bash.exitValue()).as(output).isZero();
    assertThat(output.lines()).contains("registry");
  }
}
