package io.mlplatform.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The text, bucketizing and tuning keys, and the model types added with them: read, and refused by
 * key.
 */
class FeatureAndTuningSpecTest {

  private static final String VALID =
      """
      name: demo
      data: {path: data/x.csv}
      target: y
      features:
        numeric: [a, b]
        categorical: [c]
        text: [t]
        textVectorizer: count
        textFeatures: 64
        bucketize: {a: [1, 2.5, 10], b: 4}
      model:
        type: logistic_regression
        params: {maxIter: 20}
      tuning:
        method: cross_validation
        folds: 2
        parallelism: 2
        metric: f1_weighted
        grid: {regParam: [0.01, 0.1], elasticNetParam: [0.0, 0.5]}
      """;

  @Test
  void readsTextBucketsAndTuning() {
    ModelSpec spec = SpecLoader.parse(VALID, "test");

    assertThat(spec.features().text())
        .isEqualTo(new TextFeatures(List.of("t"), TextVectorizer.COUNT, 64));
    assertThat(spec.features().all()).containsExactly("a", "b", "c", "t");
    assertThat(spec.features().bucketize())
        .containsEntry("a", new Bucketing(List.of(1.0, 2.5, 10.0), 0))
        .containsEntry("b", new Bucketing(List.of(), 4));
    Tuning tuning = spec.tuning();
    assertThat(tuning.method()).isEqualTo(Tuning.Method.CROSS_VALIDATION);
    assertThat(tuning.folds()).isEqualTo(2);
    assertThat(tuning.parallelism()).isEqualTo(2);
    assertThat(tuning.metric()).isEqualTo(TuningMetric.F1_WEIGHTED);
    assertThat(tuning.grid()).containsOnlyKeys("regParam", "elasticNetParam");
    assertThat(tuning.candidates()).isEqualTo(4);
  }

  @Test
  void defaultsWithoutTheNewKeys() {
    ModelSpec spec =
        SpecLoader.parse(
            """
        name: demo
        data: {path: x.csv}
        target: y
        features: {text: [t]}
        model: {type: linear_regression}
        tuning: {method: train_validation_split, grid: {regParam: [0.1]}}
        """,
            "test");

    assertThat(spec.features().text().vectorizer()).isEqualTo(TextVectorizer.COUNT);
    assertThat(spec.features().text().size()).isEqualTo(TextFeatures.DEFAULT_SIZE);
    assertThat(spec.tuning().trainRatio()).isEqualTo(0.8);
    assertThat(spec.tuning().parallelism()).isEqualTo(1);
    assertThat(spec.tuning().metric()).isEqualTo(TuningMetric.RMSE);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
      hashing refused          | textVectorizer: count     | textVectorizer: hashing      | features.textVectorizer: 'hashing' cannot be exported here
      unknown vectorizer       | textVectorizer: count     | textVectorizer: bag          | features.textVectorizer: unknown value 'bag'
      tiny vocabulary          | textFeatures: 64          | textFeatures: 1              | features.textFeatures: must be a whole number between 2
      text key without text    | text: [t]                  | text: []                      | features.textVectorizer: set, but features.text lists no column
      text column twice        | text: [t]                  | text: [c]                     | features: column 'c' is listed more than once
      bucket of no numeric     | b: 4}                      | c: 4}                         | features.bucketize.c: column is not listed in features.numeric
      splits not increasing    | [1, 2.5, 10]               | [1, 10, 2.5]                  | features.bucketize.a: split points must increase strictly
      one bucket               | b: 4}                      | b: 1}                         | features.bucketize.b: a bucket count must be between 2 and 1000
      bucket of text           | b: 4}                      | b: many}                      | features.bucketize.b: must be a list of increasing split points
      unknown method           | method: cross_validation   | method: grid_search           | tuning.method: unknown value 'grid_search'
      unknown tuning key       | folds: 2                   | fold: 2                       | tuning.fold: unknown key
      one fold                 | folds: 2                   | folds: 1                      | tuning.folds: must be a whole number between 2 and 20
      ratio with folds         | folds: 2                   | folds: 2\\n  trainRatio: 0.7 | tuning.trainRatio: only used by train_validation_split
      regression metric        | metric: f1_weighted        | metric: rmse                  | tuning.metric: 'rmse' is not a metric of logistic_regression
      unknown grid param       | elasticNetParam: [0.0, 0.5] | elasticNet: [0.0, 0.5]       | tuning.grid.elasticNet: unknown parameter of LogisticRegression
      grid value of wrong kind | [0.0, 0.5]                 | [0.0, high]                   | tuning.grid.elasticNetParam: invalid value high (expected a number)
      grid of no list          | regParam: [0.01, 0.1]      | regParam: 0.01                | tuning.grid.regParam: must be a non-empty list
      grid reserved column     | regParam: [0.01, 0.1]      | labelCol: [a]                 | tuning.grid.labelCol: set by the platform
      perceptron refused       | type: logistic_regression  | type: multilayer_perceptron   | model.type: multilayer_perceptron cannot be exported
      naive Bayes raw numbers  | bucketize: {a: [1, 2.5, 10], b: 4} | bucketize: {a: [1, 2.5, 10]} | features.numeric[1]: naive_bayes needs features that can never be negative
      """)
  void namesTheKeyOfEachProblem(String what, String from, String to, String expected) {
    String base =
        what.startsWith("naive Bayes")
            ? VALID
                .replace("type: logistic_regression", "type: naive_bayes")
                .replace("params: {maxIter: 20}", "params: {}")
                .replace(
                    "grid: {regParam: [0.01, 0.1], elasticNetParam: [0.0, 0.5]}",
                    "grid: {smoothing: [0.5, 1.0]}")
            : VALID;
    String yaml = base.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
    assertThat(yaml).as("test setup").isNotEqualTo(base);

    assertThatThrownBy(() -> SpecLoader.parse(yaml, "test"))
        .isInstanceOf(SpecException.class)
        .satisfies(
            e -> assertThat(((SpecException) e).problems()).anyMatch(p -> p.startsWith(expected)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
      tweedie family              | {family: tweedie}                | model.params.family: 'tweedie' cannot be exported
      link of another family      | {family: poisson, link: logit}   | model.params.link: 'logit' does not go with family poisson
      bernoulli naive Bayes       | {modelType: bernoulli}           | model.params.modelType: 'bernoulli' cannot be exported
      """)
  void refusesSettingsMleapCannotExport(String what, String params, String expected) {
    String type = params.contains("modelType") ? "naive_bayes" : "generalized_linear_regression";
    String yaml =
        """
        name: demo
        data: {path: x.csv}
        target: y
        features: {categorical: [c]}
        model: {type: %s, params: %s}
        """
            .formatted(type, params);

    assertThatThrownBy(() -> SpecLoader.parse(yaml, "test"))
        .isInstanceOf(SpecException.class)
        .satisfies(
            e -> assertThat(((SpecException) e).problems()).anyMatch(p -> p.startsWith(expected)));
  }

  @Test
  void gridValuesAreCheckedForExportToo() {
    String yaml =
        """
        name: demo
        data: {path: x.csv}
        target: y
        features: {numeric: [a]}
        model: {type: generalized_linear_regression}
        tuning: {method: cross_validation, grid: {family: [gaussian, tweedie]}}
        """;

    assertThatThrownBy(() -> SpecLoader.parse(yaml, "test"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("tuning.grid.family: 'tweedie' cannot be exported");
  }
}
