package io.mlplatform.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.registry.Cli.Run;
import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.StoreJson;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The registry command in-process against a store in a temp directory: output, exit codes, and no
 * change on refusal.
 */
class RegistryCommandTest {

  @TempDir Path dir;

  private Path storeDir;
  private String location;
  private ModelStore store;

  @BeforeEach
  void threeVersionsWithTheFirstInProduction() {
    storeDir = dir.resolve("store");
    location = storeDir.toString();
    store = ModelStore.open(location);
    Cli.publish(store, "penguins", 0.95, dir);
    Cli.publish(store, "penguins", 0.97, dir);
    Cli.publish(store, "penguins", 0.93, dir);
    Cli.publish(store, "weather", 0.81, dir);
    store.setAlias("penguins", Layout.PRODUCTION, 1, "first release");
  }

  private Run registry(String... args) {
    return Cli.run(
        Stream.concat(Stream.of("--store", location), Stream.of(args)).toArray(String[]::new));
  }

  @ParameterizedTest
  @ValueSource(strings = {"list", "show", "promote", "rollback", "delete", "history"})
  void everySubcommandAnswersHelp(String subcommand) {
    Run run = Cli.run(subcommand, "--help");

    assertThat(run.code()).isZero();
    assertThat(run.out())
        .startsWith("Usage: registry " + subcommand)
        .contains("--store=URI")
        .contains("-h, --help");
  }

  @Test
  void helpListsTheSubcommandsAndExitCodes() {
    Run run = Cli.run("--help");

    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains(
            "list",
            "show",
            "promote",
            "rollback",
            "delete",
            "history",
            "$MLPLATFORM_STORE",
            "Exit codes");
  }

  @Test
  void withoutASubcommandItShowsUsageAndExitsWithTwo() {
    Run run = Cli.run();

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Usage: registry");
  }

  @Test
  void listShowsModelsWithTheirAliases() {
    Run run = registry("list");

    assertThat(run.code()).isZero();
    assertThat(run.out().lines())
        .containsExactly(
            "MODEL     VERSIONS  LATEST  ALIASES",
            "penguins  3         v3      production=v1",
            "weather   1         v1      -");
  }

  @Test
  void listOfAModelShowsItsVersionsAliasesAndMetrics() {
    store.setAlias("penguins", "staging", 2, "try");

    Run run = registry("list", "penguins");

    assertThat(run.code()).isZero();
    assertThat(run.out().lines())
        .containsExactly(
            "VERSION  CREATED               ALIASES     METRICS",
            "v1       2024-05-01T12:00:00Z  production  accuracy=0.9500 f1_weighted=0.9400",
            "v2       2024-05-01T12:00:00Z  staging     accuracy=0.9700 f1_weighted=0.9600",
            "v3       2024-05-01T12:00:00Z  -           accuracy=0.9300 f1_weighted=0.9200");
  }

  @Test
  void theStoreOptionWorksAfterTheSubcommandToo() {
    Run run = Cli.run("list", "--store", location);

    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("penguins");
  }

  @Test
  void anEmptyStoreSaysSo() {
    Run run = Cli.run("--store", dir.resolve("empty").toString(), "list");

    assertThat(run.code()).isZero();
    assertThat(run.out()).startsWith("no models in file:");
  }

  @ParameterizedTest
  @CsvSource({"2, 2", "v2, 2", "production, 1"})
  void showPrintsTheManifestOfAVersionOrAlias(String reference, int version) throws IOException {
    Run run = registry("show", "penguins", reference);

    assertThat(run.code()).isZero();
    JsonNode manifest = StoreJson.mapper().readTree(run.out());
    assertThat(manifest.get("model").asText()).isEqualTo("penguins");
    assertThat(manifest.get("version").asInt()).isEqualTo(version);
    assertThat(manifest.get("lineage").get("fingerprint").asText()).isEqualTo("sha256:abc");
  }

  @Test
  void promoteMovesTheAliasAndRecordsWhy() {
    Run run = registry("promote", "penguins", "v2", "--reason", "better accuracy");

    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo("penguins production: v1 -> v2\n");
    assertThat(store.alias("penguins", Layout.PRODUCTION)).contains(2);
    HistoryEvent last = lastEvent("penguins");
    assertThat(last.action()).isEqualTo(HistoryEvent.Action.PROMOTE);
    assertThat(last.from()).isEqualTo(1);
    assertThat(last.to()).isEqualTo(2);
    assertThat(last.reason()).isEqualTo("better accuracy");
    assertThat(last.by()).isNotBlank();
  }

  @Test
  void promoteToAnotherAliasAndAgainToTheSameVersion() {
    assertThat(
            registry("promote", "penguins", "3", "--alias", "staging", "--reason", "canary").out())
        .isEqualTo("penguins staging: (none) -> v3\n");
    assertThat(registry("promote", "penguins", "staging", "--reason", "copy staging").out())
        .isEqualTo("penguins production: v1 -> v3\n");
    assertThat(registry("promote", "penguins", "3", "--reason", "again").out())
        .isEqualTo("penguins production is already v3; nothing changed\n");
  }

  @Test
  void rollbackRestoresThePreviousProduction() {
    registry("promote", "penguins", "2", "--reason", "better");

    Run run = registry("rollback", "penguins", "--reason", "latency regression");

    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo("penguins production rolled back: v2 -> v1\n");
    assertThat(store.alias("penguins", Layout.PRODUCTION)).contains(1);
    assertThat(lastEvent("penguins").reason()).isEqualTo("latency regression");
  }

  @Test
  void deleteRemovesAnUnaliasedVersion() {
    Run run = registry("delete", "penguins", "3", "--reason", "bad data");

    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo("deleted penguins v3\n");
    assertThat(store.versions("penguins")).containsExactly(1, 2);
  }

  /**
   * One rule for every change the history records: it says why, or it is refused before anything
   * changes.
   */
  @ParameterizedTest
  @ValueSource(strings = {"promote penguins 2", "rollback penguins", "delete penguins 3"})
  void everyChangeNeedsAReason(String command) {
    Run run = registry(command.split(" "));

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required option: '--reason=TEXT'");
    assertThat(store.alias("penguins", Layout.PRODUCTION)).contains(1);
    assertThat(store.versions("penguins")).containsExactly(1, 2, 3);
    assertThat(lastEvent("penguins").reason()).isEqualTo("first release");
  }

  @Test
  void historyShowsPinsAndRoutingMadeThroughServingWithTheKeyName() {
    io.mlplatform.store.storage.ModelStore ops = store.as("ops");
    ops.pin("penguins", 2, "hold v2");
    ops.setRouting(
        "penguins",
        new io.mlplatform.store.format.RoutingDoc.Rule("canary", "staging", 0.1, 0.01),
        null);
    ops.unpin("penguins", null);
    ops.setRouting("penguins", null, null);

    Run run = registry("history", "penguins");

    assertThat(run.code()).isZero();
    assertThat(run.out().lines().skip(5).map(l -> l.replaceAll("\\s+", " ")))
        .satisfiesExactly(
            l -> assertThat(l).contains(" ops pin pinned v2 (was (none)) hold v2"),
            l -> assertThat(l).contains(" ops routing_set canary to staging on 10% routing set"),
            l -> assertThat(l).contains(" ops unpin unpinned v2 unpinned"),
            l -> assertThat(l).contains(" ops routing_removed no routing rule routing removed"));
  }

  @Test
  void historyListsEveryChangeInOrder() {
    registry("promote", "penguins", "2", "--reason", "better");
    registry("rollback", "penguins", "--reason", "latency");
    registry("delete", "penguins", "3", "--reason", "bad data");

    Run run = registry("history", "penguins");

    assertThat(run.code()).isZero();
    assertThat(run.out().lines().map(l -> l.replaceAll("\\s+", " ")))
        .satisfiesExactly(
            l -> assertThat(l).startsWith("# WHEN WHO ACTION CHANGE WHY"),
            l ->
                assertThat(l)
                    .startsWith("1 ")
                    .contains(" publish v1 trained on file:///data/penguins.json"),
            l -> assertThat(l).startsWith("2 ").contains(" publish v2 "),
            l -> assertThat(l).startsWith("3 ").contains(" publish v3 "),
            l ->
                assertThat(l)
                    .startsWith("4 ")
                    .contains(" promote production: (none) -> v1 first release"),
            l -> assertThat(l).startsWith("5 ").contains(" promote production: v1 -> v2 better"),
            l -> assertThat(l).startsWith("6 ").contains(" rollback production: v2 -> v1 latency"),
            l -> assertThat(l).startsWith("7 ").contains(" delete v3 bad data"));
  }

  /**
   * A refused command: exit code, one line on stderr naming the problem, no stack trace, no change.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      unknown model (list)            | 2 | model ghost not found           | list ghost
      unknown model (show)            | 2 | model ghost not found           | show ghost 1
      unknown version (show)          | 2 | has no version 9 (versions: v1, v2, v3) | show penguins 9
      unknown alias (show)            | 2 | has no alias 'staging' (aliases: production) | show penguins staging
      not a version or alias          | 2 | neither a version               | show penguins 1.5
      promote to a missing version    | 2 | has no version 7                | promote penguins 7 --reason x
      promote an unknown model        | 2 | model ghost not found           | promote ghost 1 --reason x
      promote with a bad alias name   | 2 | alias name 'v2' is invalid      | promote penguins 2 --alias v2 --reason x
      promote with a blank reason     | 2 | a reason is required            | promote penguins 2 --reason ' '
      rollback without an earlier one | 2 | cannot roll back penguins production | rollback penguins --reason x
      rollback an unknown alias       | 2 | has no staging alias  | rollback penguins --alias staging --reason x
      rollback with a blank reason    | 2 | a reason is required            | rollback penguins --reason ' '
      delete the production version   | 2 | production points at it | delete penguins 1 --reason x
      delete an unknown version       | 2 | has no version 8                | delete penguins 8 --reason x
      delete by alias                 | 2 | VERSION must be a version number | delete penguins production --reason x
      delete with a blank reason      | 2 | a reason is required            | delete penguins 3 --reason ' '
      """)
  void refusedCommandsExplainThemselvesAndChangeNothing(
      String what, int code, String message, String args) throws IOException {
    Map<String, String> before = snapshot();

    Run run = registry(split(args));

    assertThat(run.code()).as(what).isEqualTo(code);
    assertThat(run.err())
        .as(what)
        .startsWith("registry: ")
        .contains(message)
        .doesNotContain("\tat ");
    assertThat(run.err().lines()).as(what).hasSize(1);
    assertThat(run.out()).as(what).isEmpty();
    assertThat(snapshot()).as(what + ": files of the store").isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      promote without a reason | Missing required option: '--reason=TEXT' | promote penguins 2
      unknown subcommand       | Unmatched arguments from index 2: 'publish' | publish penguins
      unknown option           | Unknown option: '--force'                | delete penguins 3 --force --reason x
      missing version          | Missing required parameter: 'VERSION'    | promote penguins --reason x
      """)
  void usageErrorsExitWithTwoAndPointAtHelp(String what, String message, String args)
      throws IOException {
    Map<String, String> before = snapshot();

    Run run = registry(split(args));

    assertThat(run.code()).as(what).isEqualTo(2);
    assertThat(run.err()).as(what).contains(message).contains("--help'.");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aMalformedManifestIsAStoreFailureAndPromotingItChangesNothing() throws IOException {
    Files.writeString(
        storeDir.resolve("penguins/versions/2/manifest.json"),
        "{\"formatVersion\": 1, \"model\": ");
    Map<String, String> before = snapshot();

    Run show = registry("show", "penguins", "2");
    Run promote = registry("promote", "penguins", "2", "--reason", "x");
    Run list = registry("list", "penguins");

    assertThat(show.code()).isEqualTo(1);
    assertThat(show.err())
        .startsWith("registry: manifest of penguins v2 is malformed")
        .hasLineCount(1);
    assertThat(promote.code()).isEqualTo(1);
    assertThat(promote.err()).contains("manifest of penguins v2 is malformed");
    assertThat(list.code()).as("list shows the others, then fails").isEqualTo(1);
    assertThat(list.out()).contains("v1", "v3").contains("MALFORMED MANIFEST");
    assertThat(snapshot()).isEqualTo(before);
    assertThat(store.alias("penguins", Layout.PRODUCTION)).contains(1);
  }

  @Test
  void aStoreThatCannotBeOpenedIsAFailure() {
    Run run = Cli.run("--store", "nosuchfs://nowhere/store", "list");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("registry: cannot open model store nosuchfs://nowhere/store")
        .hasLineCount(1);
  }

  private HistoryEvent lastEvent(String model) {
    var history = store.history(model);
    return history.get(history.size() - 1);
  }

  /** Splits on spaces, keeping a single-quoted argument whole. */
  private static String[] split(String args) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("'([^']*)'|(\\S+)").matcher(args);
    while (m.find()) {
      parts.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return parts.toArray(String[]::new);
  }

  /** Every file of the store outside .staging, with its content. */
  private Map<String, String> snapshot() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(storeDir)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        String relative = storeDir.relativize(p).toString();
        if (!relative.contains(".staging")) {
          files.put(relative, java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
        }
      }
    }
    return files;
  }
}
