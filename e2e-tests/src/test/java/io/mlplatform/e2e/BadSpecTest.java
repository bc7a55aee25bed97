package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad spec stops the real job under spark-submit with exit code 2, names the key, and leaves the store as it was. */
class BadSpecTest {

  private static final String GOOD = """
      name: penguins
      data: {path: data/penguins.json, format: json, options: {multiLine: "true"}}
      label: Species
      features:
        numeric: [Beak Length (mm), Body Mass (g)]
        categorical: [Island]
      model: {type: logistic_regression}
      """;

  @TempDir Path dir;

  @Test
  void unknownColumnNamesTheKeyAndPublishesNothing() throws IOException {
    Path store = existingStore();
    String before = listing(store);
    TrainingProcess.Outcome outcome = train(GOOD.replace("Body Mass (g)", "Body Mass (kg)"), store);

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.output()).contains("features.numeric[1]: column 'Body Mass (kg)' not found");
    assertThat(listing(store)).isEqualTo(before);
  }

  @Test
  void unknownModelTypeNamesTheKey() throws IOException {
    Path store = existingStore();
    String before = listing(store);
    TrainingProcess.Outcome outcome = train(GOOD.replace("logistic_regression", "deep_forest"), store);

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.output()).contains("model.type: unknown model type 'deep_forest'");
    assertThat(listing(store)).isEqualTo(before);
  }

  @Test
  void missingLabelNamesTheKey() throws IOException {
    Path store = existingStore();
    String before = listing(store);
    TrainingProcess.Outcome outcome = train(GOOD.replace("label: Species\n", ""), store);

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.output()).contains("label: missing (required)");
    assertThat(listing(store)).isEqualTo(before);
  }

  /** A copy of the trained store, so "unchanged" is checked against a store that has a version. */
  private Path existingStore() throws IOException {
    Path copy = dir.resolve("store");
    Path source = TrainedStore.penguins();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = copy.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    return copy;
  }

  private TrainingProcess.Outcome train(String spec, Path store) throws IOException {
    Path file = dir.resolve("spec.yaml");
    Files.writeString(file, spec);
    return TrainingProcess.run(file, store, dir.resolve("train.log"));
  }

  private static String listing(Path store) throws IOException {
    try (Stream<Path> files = Files.walk(store)) {
      return String.join("\n", files.map(p -> store.relativize(p) + " " + p.toFile().length()).sorted().toList());
    }
  }
}
