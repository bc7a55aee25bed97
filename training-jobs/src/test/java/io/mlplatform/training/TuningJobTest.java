package io.mlplatform.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlplatform.spec.SpecException;
import io.mlplatform.spec.SpecLoader;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tuned run end to end: every candidate's score and the chosen parameters go into the manifest,
 * the exported model is the best pipeline refitted on the whole training split, and the version
 * carries metrics.json and report.html.
 */
class TuningJobTest extends SparkTest {

  private static final String SPEC =
      """
      name: species-tuned
      data: {path: %s, options: {multiLine: "true"}}
      target: Species
      features:
        numeric: [Beak Length (mm), Beak Depth (mm), Flipper Length (mm), Body Mass (g)]
        categorical: [Island, Sex]
        scaling: standard
      model: {type: logistic_regression, params: {maxIter: 30}}
      tuning:
        method: cross_validation
        folds: 2
        parallelism: 2
        metric: accuracy
        grid: {regParam: [0.3, 3.0], elasticNetParam: [0.0, 1.0]}
      """;

  @TempDir Path dir;

  private String spec() {
    return SPEC.formatted(root().resolve("data/penguins.json"));
  }

  @Test
  void recordsEveryCandidateAndExportsTheBestPipeline() throws Exception {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());

    TrainJob.Result tuned = TrainJob.run(spark, SpecLoader.parse(spec(), "tuned"), store);

    Manifest manifest = store.manifest("species-tuned", tuned.version());
    JsonNode training = manifest.training();
    assertThat(training.get("method").asText()).isEqualTo("cross_validation");
    assertThat(training.get("folds").asInt()).isEqualTo(2);
    assertThat(training.get("metric").asText()).isEqualTo("accuracy");
    assertThat(training.get("candidates")).hasSize(4);
    List<Double> scores = new ArrayList<>();
    training
        .get("candidates")
        .forEach(
            c -> {
              assertThat(c.get("params").fieldNames())
                  .toIterable()
                  .containsExactly("regParam", "elasticNetParam");
              scores.add(c.get("score").asDouble());
            });
    int chosen = training.get("chosen").asInt();
    assertThat(scores.get(chosen))
        .isEqualTo(scores.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
    assertThat(scores.indexOf(scores.get(chosen)))
        .as("ties keep the first candidate")
        .isEqualTo(chosen);
    JsonNode best = training.get("candidates").get(chosen).get("params");
    assertThat(training.get("params").get("regParam").asDouble())
        .isEqualTo(best.get("regParam").asDouble());
    assertThat(training.get("params").get("maxIter").asInt()).isEqualTo(30);

    // The exported model is the chosen candidate refitted on the whole training split.
    String fixed =
        spec()
            .replace(
                "maxIter: 30}",
                "maxIter: 30, regParam: "
                    + best.get("regParam").asDouble()
                    + ", elasticNetParam: "
                    + best.get("elasticNetParam").asDouble()
                    + "}")
            .replaceAll("(?s)tuning:.*", "");
    TrainJob.Result direct = TrainJob.run(spark, SpecLoader.parse(fixed, "fixed"), store);
    assertThat(direct.metrics()).isEqualTo(tuned.metrics());
    assertThat(store.manifest("species-tuned", direct.version()).training().get("method").asText())
        .isEqualTo("none");

    Path version = dir.resolve("store/species-tuned/versions/" + tuned.version());
    String report = Files.readString(version.resolve("report.html"));
    assertThat(report)
        .contains("id=\"tuning\"", "id=\"confusion-matrix\"", "<tr class=\"chosen\">");
    JsonNode metrics = new ObjectMapper().readTree(version.resolve("metrics.json").toFile());
    assertThat(metrics.at("/confusion_matrix/labels")).hasSize(3);
    assertThat(metrics.at("/confusion_matrix/matrix")).hasSize(3);
    assertThat(metrics.get("per_class")).hasSize(3);
    assertThat(metrics.get("testRows").asLong()).isPositive();
  }

  @Test
  void aBinaryOnlyMetricOnThreeClassesIsASpecError() {
    ModelStore store = ModelStore.open(dir.resolve("bad").toString());
    String yaml = spec().replace("metric: accuracy", "metric: auc_roc");

    assertThatThrownBy(() -> TrainJob.run(spark, SpecLoader.parse(yaml, "bad"), store))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("tuning.metric: auc_roc needs two classes; 'Species' has 3");
    assertThat(store.models()).isEmpty();
  }
}
