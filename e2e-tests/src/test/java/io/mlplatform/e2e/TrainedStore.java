package io.mlplatform.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A model store trained once per test JVM by the real job under spark-submit: the penguins model of
 * conf/models/penguins.yaml plus one model per supported family (src/test/resources/families).
 * Every test class of this module shares it: training takes a minute, the tests only read it.
 */
final class TrainedStore {

  private static Path store;

  private TrainedStore() {}

  /** The store; its {@code penguins} model is the quickstart's. */
  static Path penguins() {
    return trained();
  }

  /** Every model in the store, one per family plus penguins. */
  static List<String> models() {
    return io.mlplatform.store.storage.ModelStore.open(trained().toString()).models();
  }

  static synchronized Path trained() {
    if (store == null) {
      Path root = TrainingProcess.projectRoot();
      Path dir = root.resolve("e2e-tests/target/e2e-store");
      deleteRecursively(dir);
      TrainingProcess.Outcome outcome =
          TrainingProcess.run(specs(), dir, root.resolve("e2e-tests/target/e2e-train.log"));
      if (outcome.exitCode() != 0) {
        throw new IllegalStateException(
            "training the test models failed with exit code "
                + outcome.exitCode()
                + ":\n"
                + outcome.output());
      }
      store = dir;
    }
    return store;
  }

  /** The specs the store is trained from: penguins first, then every family fixture. */
  static List<Path> specs() {
    Path root = TrainingProcess.projectRoot();
    List<Path> specs = new ArrayList<>();
    specs.add(root.resolve("conf/models/penguins.yaml"));
    specs.addAll(families(root));
    return specs;
  }

  private static List<Path> families(Path root) {
    try (Stream<Path> files = Files.list(root.resolve("e2e-tests/src/test/resources/families"))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list the family specs", e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new IllegalStateException("cannot clear " + dir, e);
    }
  }
}
