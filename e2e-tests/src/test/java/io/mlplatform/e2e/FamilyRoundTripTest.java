package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.spec.DataFormat;
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
import java.util.LinkedHashMap;
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
 * fixture's data answers exactly what the REST service answers for the same rows (the models of one
 * data file scored by one batch-score run that names them all).
 */
@Tag("slow")
class FamilyRoundTripTest {

  private static Path store;
  private static TrainingProcess.Outcome secondRun;
  private static ServingServer server;
  private static Map<String, Scored> scored;

  @TempDir static Path scoredDir;

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
    Scored scored = batchScored().get(model);
    assertThat(scored).as("no batch-score run named " + model).isNotNull();

    assertThat(scored.outcome().exitCode()).as(scored.outcome().output()).isZero();
    assertThat(scored.outcome().output())
        .contains("with " + model + " v" + production + " into " + scored.output());
    List<JsonNode> rows = BatchScoreTest.readJsonLines(scored.output().toUri().toString());
    // Every row of the file, also those the spec's data.where left out of training.
    assertThat((long) rows.size()).isGreaterThanOrEqualTo(manifest.lineage().rows());
    BatchScoreTest.assertMatchesService(server, manifest, rows);
  }

  /** One model's batch-score output and what its bin/mlplatform batch-score run printed. */
  private record Scored(Scripts.Outcome outcome, Path output) {}

  /**
   * One bin/mlplatform batch-score per data file, naming every model trained on that file: the
   * sample and the fixtures share three files, so three Spark applications score all of them
   * instead of one per model (each costs a JVM and a Spark start).
   */
  private static synchronized Map<String, Scored> batchScored() {
    if (scored != null) {
      return scored;
    }
    ModelStore modelStore = ModelStore.open(store.toString());
    Map<List<String>, List<String>> modelsByData = new LinkedHashMap<>();
    for (String model : models()) {
      int production = modelStore.alias(model, Layout.PRODUCTION).orElseThrow();
      JsonNode data = modelStore.manifest(model, production).spec().get("data");
      modelsByData.computeIfAbsent(readerArgs(data), key -> new ArrayList<>()).add(model);
    }
    Map<String, Scored> byModel = new LinkedHashMap<>();
    int run = 0;
    for (Map.Entry<List<String>, List<String>> group : modelsByData.entrySet()) {
      run++;
      Path output = scoredDir.resolve("scored-" + run);
      List<String> args = new ArrayList<>();
      args.add(String.join(",", group.getValue()));
      args.add(group.getKey().get(0));
      args.add(output.toString());
      args.addAll(group.getKey().subList(1, group.getKey().size()));
      args.addAll(
          List.of("--store", store.toString(), "--output-format", "json", "--master", "local[2]"));
      Scripts.Outcome outcome =
          Scripts.run(
              scoredDir.resolve("batch-" + run + ".log"),
              10,
              "batch-score",
              args.toArray(String[]::new));
      for (String model : group.getValue()) {
        // With several models, OUTPUT holds one directory per model.
        Path into = group.getValue().size() == 1 ? output : output.resolve(model);
        byModel.put(model, new Scored(outcome, into));
      }
    }
    scored = byModel;
    return scored;
  }

  /** INPUT and its reader options as batch-score takes them, from a spec's data section. */
  private static List<String> readerArgs(JsonNode data) {
    String path = data.get("path").asText();
    // Named even where the spec leaves it to the extension, so that the sample (format: json)
    // and the fixtures on the same file share a run.
    String format =
        data.hasNonNull("format")
            ? data.get("format").asText()
            : DataFormat.fromPath(path).sparkName();
    List<String> args = new ArrayList<>(List.of(path, "--input-format", format));
    for (Iterator<Map.Entry<String, JsonNode>> options = data.path("options").fields();
        options.hasNext(); ) {
      Map.Entry<String, JsonNode> option = options.next();
      args.addAll(List.of("--option", option.getKey() + "=" + option.getValue().asText()));
    }
    return args;
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
