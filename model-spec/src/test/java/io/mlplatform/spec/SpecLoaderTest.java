package io.mlplatform.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecLoaderTest {

  private static final String VALID =
      """
      name: demo
      data: {path: data/x.csv, options: {header: "true"}}
      target: y
      features:
        numeric: [a, b]
        categorical: [c]
        scaling: min_max
      model:
        type: random_forest_classifier
        params: {numTrees: 5, maxDepth: 3}
      split: {testFraction: 0.25, seed: 7}
      """;

  @Test
  void readsTheBundledPenguinsSpec() {
    ModelSpec spec = SpecLoader.load(Path.of("..", "conf", "models", "penguins.yaml"));

    assertThat(spec.name()).isEqualTo("penguins");
    assertThat(spec.data().format()).isEqualTo(DataFormat.JSON);
    assertThat(spec.features().numeric()).contains("Beak Length (mm)");
    assertThat(spec.model().type()).isEqualTo(ModelType.LOGISTIC_REGRESSION);
  }

  @Test
  void readsEveryKeyWithDefaults() {
    ModelSpec spec = SpecLoader.parse(VALID, "test");

    assertThat(spec.data().format()).isEqualTo(DataFormat.CSV);
    assertThat(spec.data().options()).containsEntry("header", "true");
    assertThat(spec.features().all()).containsExactly("a", "b", "c");
    assertThat(spec.features().scaling()).isEqualTo(Scaling.MIN_MAX);
    assertThat(spec.model().params()).containsEntry("numTrees", 5);
    assertThat(spec.split()).isEqualTo(new ModelSpec.Split(0.25, 7));
    assertThat(spec.referenceRows()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
      missing target           | target: y\\n                                 |                       | target: missing (required)
      unknown model type       | random_forest_classifier                   | forest                | model.type: unknown model type 'forest'
      unknown param            | numTrees: 5                                | numTree: 5            | model.params.numTree: unknown parameter of RandomForestClassifier
      param of wrong type      | numTrees: 5                                | numTrees: many        | model.params.numTrees: invalid value many
      fractional int param     | numTrees: 5                                | numTrees: 2.5         | model.params.numTrees: invalid value 2.5 (expected a whole number)
      reserved param           | numTrees: 5                                | labelCol: z           | model.params.labelCol: set by the platform
      unknown top-level key    | target: y                                   | target: y\\nlabels: z  | labels: unknown key
      bad scaling              | min_max                                    | zscore                | features.scaling: unknown value 'zscore'
      bad format               | path: data/x.csv                           | path: data/x.csv, format: xml | data.format: unknown value 'xml'
      bad fraction             | testFraction: 0.25                        | testFraction: 1.5    | split.testFraction: must be between 0 and 1
      dotted column            | numeric: [a, b]                            | numeric: [a.b, b]     | features.numeric[0]: column 'a.b' contains '.'
      target as feature        | numeric: [a, b]                            | numeric: [a, y]       | features: the target column 'y' cannot also be a feature
      duplicate column         | categorical: [c]                           | categorical: [a]      | features: column 'a' is listed more than once
      bad model name           | name: demo                                 | name: ../demo         | name: '../demo' is not a valid model name
      zero latest files        | path: data/x.csv,                          | path: data/x.csv, latestFiles: 0, | data.latestFiles: must be a whole number >= 1
      fractional latest files  | path: data/x.csv,                          | path: data/x.csv, latestFiles: 1.5, | data.latestFiles: must be a whole number >= 1
      """)
  void namesTheKeyOfEachProblem(String what, String from, String to, String expected) {
    String yaml =
        VALID.replace(from.replace("\\n", "\n"), to == null ? "" : to.replace("\\n", "\n"));
    assertThat(yaml).as("test setup").isNotEqualTo(VALID);

    assertThatThrownBy(() -> SpecLoader.parse(yaml, "test"))
        .isInstanceOf(SpecException.class)
        .satisfies(
            e -> assertThat(((SpecException) e).problems()).anyMatch(p -> p.startsWith(expected)));
  }

  /** Specs written for earlier releases fail with the fix in the message, never read half-way. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      label                    | target: y                    | label: y                      | key 'label' was renamed to 'target'
      split.test_fraction      | testFraction: 0.25           | test_fraction: 0.25           | key 'split.test_fraction' was renamed to 'split.testFraction'
      export.reference_rows    | seed: 7}                     | seed: 7}\\nexport: {reference_rows: 50} | key 'export.reference_rows' was renamed to 'export.referenceRows'
      features.text_vectorizer | scaling: min_max             | scaling: min_max\\n  text_vectorizer: count | key 'features.text_vectorizer' was renamed to 'features.textVectorizer'
      features.text_features   | scaling: min_max             | scaling: min_max\\n  text_features: 64 | key 'features.text_features' was renamed to 'features.textFeatures'
      data.latest_files        | path: data/x.csv,            | path: data/x.csv, latest_files: 3, | key 'data.latest_files' was renamed to 'data.latestFiles'
      tuning.train_ratio       | seed: 7}                     | seed: 7}\\ntuning: {method: train_validation_split, train_ratio: 0.7, grid: {maxDepth: [2]}} | key 'tuning.train_ratio' was renamed to 'tuning.trainRatio'
      promotion.max_regression | seed: 7}                     | seed: 7}\\npromotion: {max_regression: 0.01} | key 'promotion.max_regression' was renamed to 'promotion.maxRegression'
      """)
  void refusesEveryOldSpellingNamingTheNewKey(
      String what, String from, String to, String expected) {
    String yaml = VALID.replace(from, to.replace("\\n", "\n"));
    assertThat(yaml).as("test setup").isNotEqualTo(VALID);

    assertThatThrownBy(() -> SpecLoader.parse(yaml, "test"))
        .isInstanceOf(SpecException.class)
        .satisfies(e -> assertThat(((SpecException) e).problems()).contains(expected));
  }

  @Test
  void everyRenamedKeyPointsAtAKnownKey() {
    SpecKeys.RENAMED
        .renames()
        .forEach(
            (old, renamed) -> {
              int dot = renamed.lastIndexOf('.');
              String section = dot < 0 ? "" : renamed.substring(0, dot);
              assertThat(SpecKeys.KNOWN.get(section)).as(old).contains(renamed.substring(dot + 1));
            });
  }

  @Test
  void anUnknownParameterIsRefusedWithoutSparkNamingItsKeyAndTheKnownOnes() {
    assertThatThrownBy(() -> SpecLoader.parse(VALID.replace("numTrees: 5", "numTree: 5"), "test"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining(
            "model.params.numTree: unknown parameter of RandomForestClassifier (known: bootstrap,")
        .hasMessageContaining("numTrees");
  }

  @Test
  void aMatrixParameterIsRefusedBecauseYamlCannotExpressIt() {
    String yaml =
        VALID
            .replace("random_forest_classifier", "logistic_regression")
            .replace("{numTrees: 5, maxDepth: 3}", "{lowerBoundsOnCoefficients: [[0.0]]}");

    assertThatThrownBy(() -> SpecLoader.parse(yaml, "test"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining(
            "model.params.lowerBoundsOnCoefficients: invalid value [[0.0]] (a matrix parameter"
                + " cannot be set from a spec)");
  }

  @Test
  void everyModelTypeNamesItsEstimatorAndParameters() {
    for (ModelType type : ModelType.values()) {
      assertThat(EstimatorParams.estimator(type)).as(type.key()).isNotBlank();
      assertThat(EstimatorParams.of(type))
          .as(type.key())
          .isNotEmpty()
          .doesNotContainKeys(EstimatorParams.RESERVED.toArray(String[]::new));
    }
    assertThat(EstimatorParams.of(ModelType.GBT_CLASSIFIER))
        .containsEntry("maxIter", ParamKind.INT)
        .containsEntry("seed", ParamKind.LONG)
        .containsEntry("lossType", ParamKind.STRING);
  }

  @Test
  void readsASlidingWindowOverTheNewestFiles() {
    ModelSpec spec =
        SpecLoader.parse(
            VALID.replace("path: data/x.csv,", "path: data/days/*.csv, latestFiles: 7,"), "test");

    assertThat(spec.data().latestFiles()).isEqualTo(7);
    assertThat(SpecLoader.parse(VALID, "test").data().latestFiles()).isNull();
  }

  @Test
  void reportsEveryProblemAtOnce() {
    String yaml =
        VALID
            .replace("forest_classifier", "forest_x")
            .replace("target: y\n", "")
            .replace("0.25", "2");

    assertThatThrownBy(() -> SpecLoader.parse(yaml, "test"))
        .isInstanceOf(SpecException.class)
        .satisfies(e -> assertThat(((SpecException) e).problems()).hasSize(3))
        .hasMessageContaining("model.type")
        .hasMessageContaining("target")
        .hasMessageContaining("split.testFraction");
  }

  @Test
  void rejectsTextThatIsNotYaml() {
    assertThatThrownBy(() -> SpecLoader.parse("name: [unclosed", "test"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("not valid YAML");
  }
}
