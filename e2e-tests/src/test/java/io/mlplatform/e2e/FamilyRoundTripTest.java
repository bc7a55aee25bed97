package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every family through the way back into Spark, not only the export: a second run of every spec
 * into a store that already serves it exits 0 and its promotion gate decides with production's
 * metrics measured on the new held-out rows, and scripts/batch-score over every row of the
 * fixture's data answers exactly what the REST service answers for the same rows.
 */
@Tag("slow")
class FamilyRoundTripTest {

  private static Path store;
  private static TrainingProcess.Outcome secondRun;
  private static ServingServer server;

  @TempDir Path dir;

  @BeforeAll
  static void trainEverySpecASecondTime() {
    Path root = TrainingProcess.projectRoot();
    store = root.resolve("e2e-tests/target/e2e-roundtrip-store");
    TrainedStore.deleteRecursively(store);
    copyTree(TrainedStore.trained(), store);
    secondRun =
        TrainingProcess.run(
            TrainedStore.specs(), store, root.resolve("e2e-tests/target/e2e-retrain.log"));
    server = new ServingServer(store.toString());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static List<String> models() {
    return TrainedStore.models();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void aSecondRunPublishesAndItsGateMeasuresProduction(String model) {
    assertThat(secondRun.exitCode()).as(secondRun.output()).isZero();
    ModelStore modelStore = ModelStore.open(store.toString());
    assertThat(modelStore.versions(model)).containsExactly(1, 2);

    HistoryEvent gate =
        modelStore.history(model).stream()
            .filter(
                e ->
                    e.action() == HistoryEvent.Action.GATE_PASSED
                        || e.action() == HistoryEvent.Action.GATE_FAILED)
            .filter(e -> Integer.valueOf(2).equals(e.to()))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no gate decision recorded for " + model + " v2"));
    assertThat(gate.from()).isEqualTo(1);
    // Both numbers, the candidate's and production's on the same held-out rows, are in the
    // record...
    assertThat(gate.reason())
        .matches(
            ".* -?[0-9.]+(E-?[0-9]+)? .*production's -?[0-9.]+(E-?[0-9]+)? on the same"
                + " held-out rows.*");
    // ...and in what the job printed.
    assertThat(secondRun.output())
        .contains("scoring production v1 on this run's held-out rows")
        .contains(gate.reason());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void batchScoringEveryRowOfTheDataEqualsTheService(String model) {
    ModelStore modelStore = ModelStore.open(store.toString());
    int production = modelStore.alias(model, Layout.PRODUCTION).orElseThrow();
    Manifest manifest = modelStore.manifest(model, production);
    JsonNode data = manifest.spec().get("data");
    Path output = dir.resolve("scored");
    List<String> args =
        new ArrayList<>(
            List.of(
                model,
                data.get("path").asText(),
                output.toString(),
                "--store",
                store.toString(),
                "--output-format",
                "json",
                "--master",
                "local[2]"));
    if (data.hasNonNull("format")) {
      args.addAll(List.of("--input-format", data.get("format").asText()));
    }
    for (Iterator<Map.Entry<String, JsonNode>> options = data.path("options").fields();
        options.hasNext(); ) {
      Map.Entry<String, JsonNode> option = options.next();
      args.addAll(List.of("--option", option.getKey() + "=" + option.getValue().asText()));
    }

    Scripts.Outcome outcome =
        Scripts.run(dir.resolve("batch.log"), 5, "batch-score", args.toArray(String[]::new));

    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    assertThat(outcome.output()).contains("with " + model + " v" + production + " into");
    List<JsonNode> rows = BatchScoreTest.readJsonLines(output.toUri().toString());
    // Every row of the file, also those the spec's data.where left out of training.
    assertThat((long) rows.size()).isGreaterThanOrEqualTo(manifest.lineage().rows());
    BatchScoreTest.assertMatchesService(server, manifest, rows);
  }

  private static void copyTree(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
