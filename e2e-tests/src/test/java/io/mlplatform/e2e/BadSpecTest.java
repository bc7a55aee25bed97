package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad spec stops the real job under spark-submit with exit code 2, names the key, and leaves the
 * store as it was.
 */
class BadSpecTest {

  private static final String GOOD =
      """
      name: penguins
      data: {path: data/penguins.json, format: json, options: {multiLine: "true"}}
      target: Species
      features:
        numeric: [Beak Length (mm), Body Mass (g)]
        categorical: [Island]
      model: {type: logistic_regression}
      """;

  @TempDir Path dir;

  @Test
  void unknownColumnNamesTheKeyAndPublishesNothing() throws IOException {
    assertRefusedWithoutChange(
        GOOD.replace("Body Mass (g)", "Body Mass (kg)"),
        "features.numeric[1]: column 'Body Mass (kg)' not found");
  }

  @Test
  void unknownModelTypeNamesTheKey() throws IOException {
    assertRefusedWithoutChange(
        GOOD.replace("logistic_regression", "deep_forest"),
        "model.type: unknown model type 'deep_forest'");
  }

  @Test
  void missingLabelNamesTheKey() throws IOException {
    assertRefusedWithoutChange(GOOD.replace("target: Species\n", ""), "target: missing (required)");
  }

  /**
   * The job exits 2 naming the problem, and a store that already has a version is left as it was.
   */
  private void assertRefusedWithoutChange(String spec, String problem) throws IOException {
    Path store = existingStore();
    String before = listing(store);
    TrainingProcess.Outcome outcome = train(spec, store);

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.output()).contains(problem);
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
      return String.join(
          "\n", files.map(p -> store.relativize(p) + " " + p.toFile().length()).sorted().toList());
    }
  }
}
