package io.mlplatform.training.export;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecLoader;
import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.training.SparkTest;
import io.mlplatform.training.data.DataLoader;
import io.mlplatform.training.pipeline.Labels;
import io.mlplatform.training.pipeline.MissingValues;
import io.mlplatform.training.pipeline.PipelineFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import ml.combust.mleap.runtime.MleapContext;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The check that guards every publish, on real bundles: MLeap reproduces Spark on held-out rows and
 * on the edge cases (nulls, unseen categories, empty and unknown text) of every feature type, and a
 * bundle that does not reproduce its reference rows is refused with the row and output named.
 */
class ExportCheckTest extends SparkTest {

  private static final String CARS =
      "data: {path: %s, options: {multiLine: \"true\"}}\ntarget: Origin\n";
  private static final String PENGUINS_SEX =
      "data: {path: %s, options: {multiLine: \"true\"},"
          + " where: \"Sex IN ('MALE', 'FEMALE')\"}\ntarget: Sex\n";

  @TempDir Path dir;

  /** One fitted, exported pipeline with everything the check needs. */
  record Exported(
      ModelSpec spec,
      List<InputField> inputs,
      List<ReferenceRow> rows,
      Path bundle,
      String probability) {}

  static String spec(String name) {
    String cars = CARS.formatted(root().resolve("data/cars.json"));
    String penguins = PENGUINS_SEX.formatted(root().resolve("data/penguins.json"));
    return "name: "
        + name
        + "\n"
        + switch (name) {
          // text (count + IDF), numeric nulls, fixed and quantile buckets, min-max scaling, linear
          // model
          case "text-logreg" ->
              cars
                  + "features: {numeric: [Horsepower, Weight_in_lbs, Miles_per_Gallon],"
                  + " bucketize: {Weight_in_lbs: [2500, 3500], Miles_per_Gallon: 3}, text: [Name], textFeatures: 128,"
                  + " scaling: min_max}\nmodel: {type: logistic_regression, params: {maxIter: 30, regParam: 0.05}}\n";
          // naive Bayes: text and buckets only, never a negative feature
          case "text-nb" ->
              cars
                  + "features: {numeric: [Horsepower], bucketize: {Horsepower: 4}, text: [Name]}\n"
                  + "model: {type: naive_bayes}\n";
          // categorical with nulls and unseen values, linear SVC (no probabilities)
          case "svc" ->
              penguins
                  + "features: {numeric: [Beak Length (mm), Body Mass (g)], categorical: [Island],"
                  + " scaling: standard}\nmodel: {type: linear_svc, params: {maxIter: 30}}\n";
          // min-max scaling (Spark's MinMaxScaler) with a column constant in training: Spark gives
          // 0.5
          case "min-max-constant" ->
              "data: {path: %s, options: {multiLine: \"true\"}, where: \"Cylinders = 4\"}\n"
                      .formatted(root().resolve("data/cars.json"))
                  + "target: Origin\n"
                  + "features: {numeric: [Cylinders, Horsepower, Weight_in_lbs], scaling: min_max}\n"
                  + "model: {type: logistic_regression, params: {maxIter: 30}}\n";
          default -> throw new IllegalArgumentException(name);
        };
  }

  Exported export(String name) {
    return export(name, spec(name));
  }

  Exported export(String name, String yaml) {
    ModelSpec spec = SpecLoader.parse(yaml, name);
    Dataset<Row> raw = DataLoader.filter(DataLoader.load(spark, spec.data()), spec.data(), name);
    Labels labels =
        Labels.forClassification(raw.filter(col(spec.target()).isNotNull()), spec.target());
    Dataset<Row>[] split = labels.data().randomSplit(new double[] {0.8, 0.2}, 5);
    Map<String, Object> fills = MissingValues.learn(split[0], spec.features());
    PipelineModel model =
        PipelineFactory.build(spec).fit(MissingValues.apply(split[0], spec.features(), fills));
    List<ReferenceRow> rows = ReferenceRows.collect(model, split[1], spec, fills, 30);
    Path bundle = dir.resolve(name + "-" + yaml.hashCode() + ".zip");
    MleapExporter.export(
        model,
        model.transform(MissingValues.apply(split[0].limit(10), spec.features(), fills)),
        bundle);
    List<InputField> inputs = new ArrayList<>();
    spec.features()
        .numeric()
        .forEach(c -> inputs.add(new InputField(c, FieldType.DOUBLE, true, fills.get(c))));
    spec.features()
        .categorical()
        .forEach(c -> inputs.add(new InputField(c, FieldType.STRING, true, fills.get(c))));
    spec.features()
        .text()
        .columns()
        .forEach(c -> inputs.add(new InputField(c, FieldType.STRING, true, fills.get(c))));
    return new Exported(
        spec,
        inputs,
        rows,
        bundle,
        spec.model().type().hasProbability() ? PipelineFactory.PROBABILITY : null);
  }

  private static ExportCheck.Outcome verify(Exported e, List<ReferenceRow> rows) {
    return ExportCheck.verify(
        e.bundle(), e.inputs(), rows, PipelineFactory.PREDICTION, e.probability());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"text-logreg", "text-nb", "svc", "min-max-constant"})
  void mleapReproducesSparkOnHeldOutRowsAndEdgeCases(String name) {
    Exported exported = export(name);

    ExportCheck.Outcome outcome = verify(exported, exported.rows());

    int edgeCases = ReferenceRows.edgeCaseCount(exported.spec().features());
    assertThat(exported.rows()).hasSizeGreaterThan(edgeCases + 10);
    assertThat(outcome.rows()).isEqualTo(exported.rows().size());
    assertThat(outcome.maxDifference()).isLessThanOrEqualTo(ExportCheck.TOLERANCE);
    List<Map<String, Object>> edges =
        exported.rows().subList(exported.rows().size() - edgeCases, exported.rows().size()).stream()
            .map(ReferenceRow::input)
            .toList();
    for (String column : exported.spec().features().all()) {
      assertThat(edges)
          .as("a row with %s null", column)
          .anySatisfy(r -> assertThat(r.get(column)).isNull());
    }
    exported
        .spec()
        .features()
        .categorical()
        .forEach(
            c ->
                assertThat(edges)
                    .anySatisfy(
                        r -> assertThat(r.get(c)).isEqualTo(ReferenceRows.UNSEEN_CATEGORY)));
    exported
        .spec()
        .features()
        .text()
        .columns()
        .forEach(
            c -> {
              assertThat(edges).anySatisfy(r -> assertThat(r.get(c)).isEqualTo(""));
              assertThat(edges)
                  .anySatisfy(r -> assertThat(r.get(c)).isEqualTo(ReferenceRows.UNSEEN_TEXT));
            });
  }

  @Test
  void theCheckRunsOnServingsMleapRuntimeInAClassLoaderOfItsOwn() throws Exception {
    Exported exported = export("svc");

    ExportCheck.Outcome outcome = verify(exported, exported.rows());

    // Serving's mleap-runtime (the parent pom's mleap.runtime.version), not the 0.16 one of this
    // classpath.
    assertThat(outcome.runtime()).isEqualTo("0.20.0");
    assertThat(MleapContext.class.getPackage().getImplementationVersion()).isEqualTo("0.16.0");
    Function<Map<String, Object>, Map<String, Object>> scorer = IsolatedRuntime.scorer();
    ClassLoader isolated = scorer.getClass().getClassLoader();
    assertThat(isolated.getParent()).isSameAs(ClassLoader.getPlatformClassLoader());
    assertThat(isolated.loadClass(MleapContext.class.getName())).isNotSameAs(MleapContext.class);
    assertThat(isolated.loadClass("scala.Option")).isNotSameAs(scala.Option.class);
    assertThatThrownBy(
            () -> Class.forName(IsolatedRuntime.ENTRY_POINT, false, getClass().getClassLoader()))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void aBundleTheRuntimeCannotReadIsRefused() throws Exception {
    Exported exported = export("svc");
    Path broken = dir.resolve("broken.zip");
    Files.write(broken, new byte[] {'P', 'K', 3, 4});

    assertThatThrownBy(
            () ->
                ExportCheck.verify(
                    broken, exported.inputs(), exported.rows(), PipelineFactory.PREDICTION, null))
        .isInstanceOf(ExportMismatchException.class)
        .hasMessageContaining("the MLeap runtime cannot load the bundle just written")
        .hasCauseInstanceOf(Throwable.class);
  }

  @Test
  void aTamperedProbabilityIsRefusedNamingRowAndOutput() {
    Exported exported = export("text-nb");
    List<ReferenceRow> rows = new ArrayList<>(exported.rows());
    ReferenceRow first = rows.get(3);
    List<Double> probabilities = new ArrayList<>(first.probabilities());
    probabilities.set(1, probabilities.get(1) + 1e-6); // a thousand times the tolerance
    rows.set(3, new ReferenceRow(first.input(), first.prediction(), probabilities));

    assertThatThrownBy(() -> verify(exported, rows))
        .isInstanceOf(ExportMismatchException.class)
        .hasMessageStartingWith("export check failed, nothing was published")
        .hasMessageContaining("1 of " + rows.size() + " reference rows")
        .hasMessageContaining("row 3 probability[1]");
  }

  @Test
  void aTamperedPredictionOfAModelWithoutProbabilitiesIsRefused() {
    Exported exported = export("svc");
    List<ReferenceRow> rows = new ArrayList<>(exported.rows());
    ReferenceRow first = rows.get(0);
    rows.set(0, new ReferenceRow(new LinkedHashMap<>(first.input()), 1 - first.prediction(), null));

    assertThatThrownBy(() -> verify(exported, rows))
        .isInstanceOf(ExportMismatchException.class)
        .hasMessageContaining("row 0 prediction");
  }

  @Test
  void anotherModelsBundleIsRefused() {
    Exported trained = export("text-logreg");
    Exported other =
        export("text-logreg", spec("text-logreg").replace("regParam: 0.05", "regParam: 1.0"));

    assertThatThrownBy(() -> verify(other, trained.rows()))
        .isInstanceOf(ExportMismatchException.class)
        .hasMessageContaining("does not reproduce Spark");
  }
}
