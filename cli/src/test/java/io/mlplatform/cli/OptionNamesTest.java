package io.mlplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The same thing has the same option name in every command: --store URI, --config FILE, --master
 * URL.
 */
class OptionNamesTest {

  /**
   * Canonical spelling and parameter label, and what a stray spelling of the same idea would look
   * like.
   */
  private static final Map<String, String[]> CANONICAL =
      Map.of(
          "--store", new String[] {"URI", "--(model-)?store.*|--store-?uri|--uri"},
          "--config", new String[] {"FILE", "--conf.*|--cfg|--settings"},
          "--master", new String[] {"URL", "--(spark-)?master.*"});

  /** "registry promote" -> its visible options. */
  private static Map<String, List<OptionSpec>> visibleOptions() {
    Map<String, List<OptionSpec>> options = new TreeMap<>();
    CommandLine root =
        Mlplatform.commandLine(
            Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    Mlplatform.forEach(
        root,
        command ->
            options.put(
                command.getCommandSpec().qualifiedName(" "),
                command.getCommandSpec().options().stream().filter(o -> !o.hidden()).toList()));
    return options;
  }

  @Test
  void storeConfigAndMasterAreSpelledTheSameEverywhere() {
    List<String> problems = new ArrayList<>();
    visibleOptions()
        .forEach(
            (command, options) -> {
              for (OptionSpec option : options) {
                for (String name : option.names()) {
                  CANONICAL.forEach(
                      (canonical, rule) -> {
                        if (name.equals(canonical) && !option.paramLabel().equals(rule[0])) {
                          problems.add(
                              command
                                  + " "
                                  + name
                                  + " takes "
                                  + option.paramLabel()
                                  + ", not "
                                  + rule[0]);
                        } else if (!name.equals(canonical) && name.matches(rule[1])) {
                          problems.add(command + " spells " + canonical + " as " + name);
                        }
                      });
                }
              }
            });
    assertThat(problems).isEmpty();
  }

  @Test
  void theCommandsThatNeedThemHaveThem() {
    Map<String, List<OptionSpec>> options = visibleOptions();
    Map<String, TreeSet<String>> names = new TreeMap<>();
    options.forEach(
        (command, specs) ->
            names.put(
                command.replaceFirst("^mlplatform ?", ""),
                new TreeSet<>(specs.stream().flatMap(o -> List.of(o.names()).stream()).toList())));

    for (String command :
        List.of(
            "train",
            "batch-score",
            "monitor",
            "serve",
            "registry",
            "registry list",
            "registry promote",
            "registry rollback",
            "registry delete",
            "registry show",
            "registry history",
            "retrain",
            "scheduler",
            "quickstart")) {
      assertThat(names.get(command)).as(command).contains("--store");
    }
    for (String command : List.of("train", "batch-score", "monitor", "retrain", "bench training")) {
      assertThat(names.get(command)).as(command).contains("--master");
    }
    for (String command : List.of("serve", "scheduler")) {
      assertThat(names.get(command)).as(command).contains("--config");
    }
    for (String command : List.of("registry promote", "registry rollback", "registry delete")) {
      assertThat(
              options.get("mlplatform " + command).stream()
                  .filter(o -> o.longestName().equals("--reason")))
          .as(command + " --reason")
          .singleElement()
          .matches(OptionSpec::required, "required");
    }
  }

  @Test
  void noCommandShowsAConfOption() {
    visibleOptions()
        .forEach(
            (command, options) ->
                assertThat(options.stream().flatMap(o -> List.of(o.names()).stream()))
                    .as(command)
                    .doesNotContain("--conf"));
  }

  /**
   * The old spelling is refused by name, with the new one: never "unknown option", never ignored.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      scheduler --conf conf/retraining.yaml                | option '--conf' was renamed to '--config'
      train conf/models/penguins.yaml --conf a=b           | option '--conf' was renamed to '--spark-conf'
      batch-score penguins in.csv out --conf a=b           | option '--conf' was renamed to '--spark-conf'
      bench training --conf spark.executor.memory=1g       | option '--conf' was renamed to '--spark-conf'
      """)
  void renamedOptionsAreRefusedNamingTheNewSpelling(String args, String message) {
    Run run = Run.of(args.split(" "));

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains(message);
  }

  @Test
  void renamedEnvironmentVariablesAreRefusedNamingTheNewName() {
    Run run = Run.with(Map.of("MODEL_STORE", "/tmp/models"), "registry", "list");
    Run keys =
        Run.with(Map.of("SERVING_API_KEYS", "a:predict:0123456789abcdef"), "serve", "--no-auth");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("MODEL_STORE was renamed to MLPLATFORM_STORE");
    assertThat(keys.code()).isEqualTo(2);
    assertThat(keys.err()).contains("SERVING_API_KEYS was renamed to MLPLATFORM_API_KEYS");
    // Help still answers: it is how the operator finds the new name.
    assertThat(Run.with(Map.of("MODEL_STORE", "/tmp/models"), "registry", "--help").code())
        .isZero();
  }
}
