package io.mlplatform.serving.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.lifecycle.ErrorWindow;
import io.mlplatform.serving.lifecycle.LoadedModel;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.Outputs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a shadow candidate's answer counts as the primary's. */
class AgreementTest {

  @Test
  void regressionAgreesWithinTheToleranceRelativeToTheLargerOfOneAndThePrimary() {
    LoadedModel mass = model(Fixtures.regressorManifest());
    List<Score> primary = scores(4000, 4000, 0.5, 0.5);
    List<Score> candidate = scores(4039.9, 4040.1, 0.509, 0.511);

    // 1 % of 4000 is 40; for |0.5| < 1 the bound is 1 % of 1.
    assertThat(Agreement.agreeing(mass, primary, mass, candidate, 0.01)).isEqualTo(2);
    assertThat(Agreement.agreeing(mass, primary, mass, candidate, 0.0)).isZero();
  }

  @Test
  void classifiersAgreeOnTheLabelEvenWhenTheirClassIndexesDiffer() {
    LoadedModel primary = model(Fixtures.classifierManifest()); // Adelie, Chinstrap, Gentoo
    Manifest m = Fixtures.classifierManifest();
    LoadedModel reordered =
        model(
            Fixtures.manifest(
                m.model(),
                m.task(),
                m.inputs(),
                new Outputs(
                    "prediction", "probability", List.of("Gentoo", "Adelie", "Chinstrap"))));

    int agreed = Agreement.agreeing(primary, scores(0, 1, 2), reordered, scores(1, 2, 1), 0.01);

    assertThat(agreed).isEqualTo(2); // Adelie = Adelie, Chinstrap = Chinstrap, Gentoo != Adelie
  }

  @Test
  void aClassifierNeverAgreesWithARegressor() {
    LoadedModel classifier = model(Fixtures.classifierManifest());
    LoadedModel regressor = model(Fixtures.regressorManifest());

    assertThat(Agreement.agreeing(classifier, scores(1), regressor, scores(1), 1)).isZero();
  }

  private static LoadedModel model(Manifest manifest) {
    return new LoadedModel(
        manifest, null, null, List.of(), new ErrorWindow(Duration.ofSeconds(1)), m -> {});
  }

  private static List<Score> scores(double... predictions) {
    return java.util.Arrays.stream(predictions).mapToObj(p -> new Score(p, null)).toList();
  }
}
