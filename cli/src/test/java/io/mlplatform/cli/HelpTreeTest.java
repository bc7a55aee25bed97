package io.mlplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/** One help tree: the top-level help lists every command, and every command answers --help. */
class HelpTreeTest {

  static final List<String> COMMANDS =
      List.of(
          "train",
          "serve",
          "batch-score",
          "monitor",
          "registry",
          "registry list",
          "registry show",
          "registry promote",
          "registry rollback",
          "registry delete",
          "registry history",
          "retrain",
          "scheduler",
          "cluster",
          "cluster start",
          "cluster stop",
          "cluster status",
          "bench",
          "bench serving",
          "bench training",
          "bench capacity",
          "quickstart",
          "completion");

  /** Every command of the model, as "registry promote", except the generated help commands. */
  static List<String> commandsOfTheModel() {
    List<String> names = new ArrayList<>();
    CommandLine root =
        Mlplatform.commandLine(
            Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    Mlplatform.forEach(
        root,
        command -> {
          if (command != root && !command.getCommandSpec().helpCommand()) {
            names.add(command.getCommandSpec().qualifiedName(" ").replaceFirst("^mlplatform ", ""));
          }
        });
    return names;
  }

  @Test
  void theModelHasExactlyTheCommandsTheDocsName() {
    assertThat(commandsOfTheModel()).containsExactlyInAnyOrderElementsOf(COMMANDS);
  }

  @Test
  void topLevelHelpShowsTheWholeTreeWithDescriptions() {
    Run run = Run.of("--help");

    assertThat(run.code()).isZero();
    String commands =
        run.out().substring(run.out().indexOf("Commands:"), run.out().indexOf("Exit codes:"));
    for (String command : COMMANDS) {
      String[] words = command.split(" ");
      String indent = "  ".repeat(words.length);
      assertThat(commands)
          .as(command)
          .containsPattern("(?m)^" + indent + words[words.length - 1] + " {2,}\\S");
    }
    // Subcommands come right under their group: promote is listed inside registry, not at the top.
    assertThat(commands).containsPattern("(?s)\n  registry .*\n    promote .*\n  retrain ");
    assertThat(commands).contains("Points an alias (default: production) at a version");
  }

  @Test
  void topLevelHelpHasTheExitCodeTableAndTheEnvironment() {
    String help = Run.of("--help").out();

    ExitCodes.TABLE.forEach(
        (code, meaning) ->
            assertThat(help.replaceAll("\\s+", " "))
                .contains(code + " " + meaning.replaceAll("\\s+", " ")));
    assertThat(help)
        .contains(
            "MLPLATFORM_STORE", "MLPLATFORM_PORT", "MLPLATFORM_API_KEYS", "mlplatform completion");
  }

  @TestFactory
  Stream<DynamicTest> everyCommandAnswersHelpWithItsOptionsAndTheExitCodes() {
    return commandsOfTheModel().stream()
        .map(
            command ->
                DynamicTest.dynamicTest(
                    command,
                    () -> {
                      List<String> args = new ArrayList<>(List.of(command.split(" ")));
                      args.add("--help");

                      Run run = Run.of(args.toArray(String[]::new));

                      assertThat(run.code()).as(run.err()).isZero();
                      assertThat(run.out())
                          .startsWith("Usage: mlplatform " + command + " ")
                          .contains("-h, --help")
                          .contains("Exit codes:")
                          .contains("usage or configuration error");
                      assertThat(run.err()).isEmpty();
                    }));
  }

  @Test
  void helpCommandShowsACommandsHelp() {
    Run run = Run.of("help", "train");

    assertThat(run.code()).isZero();
    assertThat(run.out()).startsWith("Usage: mlplatform train ").contains("--spark-conf=KEY=VALUE");
  }

  @Test
  void withoutACommandItListsThemAndExitsWithTwo() {
    Run run = Run.of();

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("which command?").contains("Usage: mlplatform");
    assertThat(Run.of("cluster").code()).isEqualTo(2);
    assertThat(Run.of("bench").err()).contains("One of serving, training, capacity.");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    Run run = Run.of("deploy");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("Unmatched argument at index 0: 'deploy'")
        .contains("Try 'mlplatform --help'.");
  }

  @Test
  void versionNamesTheBuild() {
    Run run = Run.of("--version");

    assertThat(run.code()).isZero();
    assertThat(run.out()).matches("mlplatform \\d+\\.\\d+\\.\\d+.*\\R");
  }
}
