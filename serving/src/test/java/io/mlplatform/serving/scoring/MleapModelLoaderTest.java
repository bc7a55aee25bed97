package io.mlplatform.serving.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mlplatform.serving.Fixtures;
import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.Outputs;
import io.mlplatform.store.format.Task;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the real fixture bundles with MLeap; the loader is shared because MLeap's first load is
 * slow.
 */
class MleapModelLoaderTest {

  private static MleapModelLoader loader;
  @TempDir Path dir;

  @BeforeAll
  static void createLoader() {
    loader = Fixtures.mleap();
  }

  @Test
  void classifierScoresRowsExactlyAsTheFormulaSays() {
    try (ScoringModel model = loader.load(Fixtures.classifierManifest(), classifierZip())) {
      List<Score> scores =
          model.score(
              List.of(
                  new Object[] {"Dream", 39.1},
                  new Object[] {"Biscoe", 50.0},
                  new Object[] {"Atlantis", 45.0}));

      assertThat(scores).hasSize(3);
      assertScore(scores.get(0), Fixtures.expectedProbabilities("Dream", 39.1));
      assertScore(scores.get(1), Fixtures.expectedProbabilities("Biscoe", 50.0));
      assertScore(scores.get(2), Fixtures.expectedProbabilities("Atlantis", 45.0));
    }
  }

  @Test
  void aLargeRequestScoresEveryRowExactlyAsAlone() {
    try (ScoringModel model = loader.load(Fixtures.classifierManifest(), classifierZip())) {
      String[] islands = {"Dream", "Biscoe", "Torgersen", "Atlantis"};
      List<Object[]> rows = new java.util.ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        rows.add(new Object[] {islands[i % islands.length], 30.0 + i * 0.03});
      }

      List<Score> together = model.score(rows);

      assertThat(together).hasSize(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        Score alone = model.score(List.<Object[]>of(rows.get(i))).get(0);
        assertThat(together.get(i).prediction()).as("row %d", i).isEqualTo(alone.prediction());
        assertThat(together.get(i).probabilities())
            .as("row %d", i)
            .isEqualTo(alone.probabilities());
      }
    }
  }

  @Test
  void regressorHasNoProbabilities() {
    Path zip = Fixtures.zipBundle("penguins-mass-linear", dir.resolve("r.zip"));
    try (ScoringModel model = loader.load(Fixtures.regressorManifest(), zip)) {
      Score score = model.score(List.<Object[]>of(new Object[] {40.0, 200.0})).get(0);

      assertThat(score.prediction()).isCloseTo(20.5 * 40.0 + 15.25 * 200.0 - 1234.5, within(1e-9));
      assertThat(score.probabilities()).isNull();
    }
  }

  @Test
  void rejectsBundleWhoseInputsDoNotMatchTheManifest() {
    Manifest wrongType =
        Fixtures.manifest(
            Fixtures.CLASSIFIER,
            Task.MULTICLASS_CLASSIFICATION,
            List.of(
                new InputField("Island", FieldType.DOUBLE, false, null),
                new InputField("Beak Length (mm)", FieldType.DOUBLE, false, null)),
            Fixtures.classifierManifest().outputs());
    Manifest missingInput =
        Fixtures.manifest(
            Fixtures.CLASSIFIER,
            Task.MULTICLASS_CLASSIFICATION,
            List.of(new InputField("Island", FieldType.STRING, false, null)),
            Fixtures.classifierManifest().outputs());

    assertThatThrownBy(() -> loader.load(wrongType, classifierZip()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("input 'Island' is DOUBLE");
    assertThatThrownBy(() -> loader.load(missingInput, classifierZip()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'Beak Length (mm)' is not in the manifest");
  }

  @Test
  void rejectsUnknownOutputColumn() {
    Manifest manifest =
        Fixtures.manifest(
            Fixtures.CLASSIFIER,
            Task.MULTICLASS_CLASSIFICATION,
            Fixtures.classifierManifest().inputs(),
            new Outputs("prediction", "probs", Fixtures.SPECIES));

    assertThatThrownBy(() -> loader.load(manifest, classifierZip()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no output column 'probs'");
  }

  @Test
  void rejectsZipSlipBeforeMleapOpensTheBundle() throws IOException {
    Path evil = dir.resolve("evil.zip");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(classifierZip()));
        OutputStream file = Files.newOutputStream(evil);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.putNextEntry(new ZipEntry(e.getName()));
        in.transferTo(out);
        out.closeEntry();
      }
      out.putNextEntry(new ZipEntry("../../escaped.txt"));
      out.closeEntry();
    }

    assertThatThrownBy(() -> loader.load(Fixtures.classifierManifest(), evil))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("../../escaped.txt");
    assertThat(dir.getParent().resolve("escaped.txt")).doesNotExist();
  }

  @Test
  void explainsUnreadableBundlesWithoutLocalPaths() throws IOException {
    Path zip = dir.resolve("empty.zip");
    try (OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(file)) {
      out.putNextEntry(new ZipEntry("readme.txt"));
      out.closeEntry();
    }

    assertThatThrownBy(() -> loader.load(Fixtures.classifierManifest(), zip))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageStartingWith("MLeap cannot read the bundle")
        .hasMessageNotContaining(dir.toString());
  }

  private Path classifierZip() {
    Path zip = dir.resolve("classifier.zip");
    return Files.exists(zip) ? zip : Fixtures.zipBundle("penguins-logistic", zip);
  }

  private static void assertScore(Score score, double[] expected) {
    int argmax = 0;
    for (int k = 1; k < expected.length; k++) {
      argmax = expected[k] > expected[argmax] ? k : argmax;
    }
    assertThat(score.prediction()).isEqualTo(argmax);
    assertThat(score.probabilities()).hasSize(3);
    for (int k = 0; k < 3; k++) {
      assertThat(score.probabilities()[k]).isCloseTo(expected[k], within(1e-12));
    }
  }
}
