package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every notebooks/*.ipynb, executed headless against the real service over the shared trained
 * store, as a data scientist would run it after the quickstart. A notebook fails the build when one
 * of its cells raises. Without Jupyter the test fails and says what to install, unless {@code
 * -Dnotebooks.skip=true} opts out.
 */
class NotebooksTest {

  static final String SKIP_PROPERTY = "notebooks.skip";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ServingServer server;

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyNotebookExecutesAgainstTheRunningService() throws IOException {
    Path work = TrainingProcess.projectRoot().resolve("e2e-tests/target/notebooks");
    Jupyter jupyter = jupyter(work);
    Path root = TrainingProcess.projectRoot();
    server = new ServingServer(TrainedStore.penguins().toString());
    Map<String, String> env =
        Map.of(
            "MLPLATFORM_URL",
            "http://127.0.0.1:" + server.uri("/").getPort(),
            "MLPLATFORM_STORE",
            TrainedStore.penguins().toString(),
            "MLPLATFORM_MODEL",
            "penguins",
            "MLPLATFORM_DATA",
            root.resolve("data/penguins.json").toString());
    return notebooks().stream()
        .map(
            notebook ->
                DynamicTest.dynamicTest(
                    notebook.getFileName().toString(),
                    () -> {
                      Jupyter.Outcome outcome = jupyter.execute(notebook, env);
                      if (outcome.exitCode() != 0) {
                        fail(
                            "notebook "
                                + notebook.getFileName()
                                + " failed (exit "
                                + outcome.exitCode()
                                + "; executed copy in "
                                + work.resolve("executed")
                                + "):\n"
                                + Jupyter.failure(outcome.output()));
                      }
                      assertThat(work.resolve("executed").resolve(notebook.getFileName()))
                          .isRegularFile();
                    }));
  }

  /**
   * The runner itself: a cell that raises fails the test with the notebook, the cell and the error.
   */
  @Test
  void aRaisingCellIsReportedWithItsSourceAndError(@TempDir Path dir) throws IOException {
    Jupyter jupyter = jupyter(dir.resolve("work"));
    Path notebook =
        Files.writeString(
            dir.resolve("99-broken.ipynb"),
            """
        {"cells": [
          {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": ["x = 1"]},
          {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
           "source": ["assert x == 2, 'serving and training diverge'"]}],
         "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
         "nbformat": 4, "nbformat_minor": 5}
        """);

    Jupyter.Outcome outcome = jupyter.execute(notebook, Map.of());

    assertThat(outcome.exitCode()).isNotZero();
    assertThat(Jupyter.failure(outcome.output()))
        .startsWith("An error occurred while executing the following cell")
        .contains("assert x == 2")
        .contains("AssertionError: serving and training diverge");
  }

  /**
   * What the build says instead of silently passing when the kernel's Python cannot run notebooks.
   */
  @Test
  void aPythonWithoutThePackagesIsReportedNotIgnored(@TempDir Path dir) {
    String missing = new Jupyter(dir.resolve("no-such-python").toString(), dir).missing();

    assertThat(missing)
        .isNotNull()
        .containsAnyOf(
            "no-such-python lacks the notebooks' packages", "jupyter-nbconvert is not installed");
  }

  /** Outputs are produced by running a notebook, never committed: they go stale and bloat diffs. */
  @Test
  void committedNotebooksAreNamedByNumberAndCarryNoOutputs() throws IOException {
    List<Path> notebooks = notebooks();
    assertThat(notebooks).isNotEmpty();
    List<String> problems = new ArrayList<>();
    for (Path notebook : notebooks) {
      String name = notebook.getFileName().toString();
      if (!name.matches("\\d\\d-[a-z0-9-]+\\.ipynb")) {
        problems.add(name + ": not named NN-topic.ipynb");
      }
      JsonNode cells = JSON.readTree(notebook.toFile()).path("cells");
      for (int i = 0; i < cells.size(); i++) {
        JsonNode cell = cells.get(i);
        if (cell.path("outputs").size() > 0
            || !cell.path("execution_count").isMissingNode()
                && !cell.path("execution_count").isNull()) {
          problems.add(
              name
                  + ": cell "
                  + (i + 1)
                  + " has outputs; clear them with `jupyter nbconvert"
                  + " --clear-output --inplace notebooks/"
                  + name
                  + "`");
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  /** The runtime, or the test fails saying what to install; skipped only when asked to. */
  private static Jupyter jupyter(Path work) {
    Assumptions.assumeFalse(
        Boolean.getBoolean(SKIP_PROPERTY), "notebooks skipped with -D" + SKIP_PROPERTY + "=true");
    Jupyter jupyter = new Jupyter(Jupyter.defaultPython(), work);
    String missing = jupyter.missing();
    if (missing != null) {
      fail(
          "cannot execute the notebooks: "
              + missing
              + ". Install them with\n  "
              + Jupyter.INSTALL
              + "\nor skip the notebooks with -D"
              + SKIP_PROPERTY
              + "=true (a Python with ipykernel, pandas,"
              + " matplotlib and requests can be named with -Dnotebooks.python=PATH)");
    }
    return jupyter;
  }

  static List<Path> notebooks() throws IOException {
    try (Stream<Path> files = Files.list(TrainingProcess.projectRoot().resolve("notebooks"))) {
      return files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
  }
}
