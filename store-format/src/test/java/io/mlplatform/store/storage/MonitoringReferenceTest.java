package io.mlplatform.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlplatform.store.format.Distribution;
import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.MonitoringReference;
import io.mlplatform.store.format.Outputs;
import io.mlplatform.store.format.StoreJson;
import io.mlplatform.store.format.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optional monitoring section of the manifest and the one binning rule both sides use. */
class MonitoringReferenceTest {

  private static final Distribution BEAK =
      new Distribution(
          "beak",
          Distribution.Kind.NUMERIC,
          List.of(40.0, 45.0),
          List.of(),
          List.of(0.3, 0.3, 0.3, 0.1),
          10);
  private static final Distribution ISLAND =
      new Distribution(
          "island",
          Distribution.Kind.CATEGORICAL,
          List.of(),
          List.of("Biscoe", "Dream"),
          List.of(0.5, 0.4, 0.0, 0.1),
          10);

  @Test
  void aManifestWrittenBeforeMonitoringExistedStillLoads() throws Exception {
    ObjectNode json =
        StoreJson.mapper()
            .valueToTree(manifest().withMonitoring(new MonitoringReference(List.of(BEAK), ISLAND)));
    json.remove("monitoring");

    Manifest old = StoreJson.mapper().treeToValue(json, Manifest.class);

    assertThat(old.monitoring()).isNull();
    assertThat(old.model()).isEqualTo("m");
  }

  @Test
  void theSectionSurvivesTheStoreJsonRoundTrip() throws Exception {
    Manifest m = manifest().withMonitoring(new MonitoringReference(List.of(BEAK, ISLAND), ISLAND));

    Manifest back =
        StoreJson.mapper().readValue(StoreJson.mapper().writeValueAsBytes(m), Manifest.class);

    assertThat(back.monitoring()).isEqualTo(m.monitoring());
    assertThat(back.withVersion(3).monitoring()).isEqualTo(m.monitoring());
  }

  @Test
  void binsAreUpperInclusiveWithOtherAndNullAtTheEnd() {
    assertThat(BEAK.binOf(39.9)).isZero();
    assertThat(BEAK.binOf(40.0)).isZero();
    assertThat(BEAK.binOf(40.1)).isEqualTo(1);
    assertThat(BEAK.binOf(1e9)).isEqualTo(2);
    assertThat(BEAK.binOf(null)).isEqualTo(3);
    assertThat(BEAK.binOf(Double.NaN)).isEqualTo(3);
    assertThat(BEAK.labels()).containsExactly("<=40.0", "(40.0, 45.0]", ">45.0", "(null)");
    assertThat(ISLAND.binOf("Dream")).isEqualTo(1);
    assertThat(ISLAND.binOf("Atlantis")).isEqualTo(2);
    assertThat(ISLAND.binOf(null)).isEqualTo(3);
    assertThat(ISLAND.labels()).containsExactly("Biscoe", "Dream", "(other)", "(null)");
  }

  @Test
  void refusesSharesThatDoNotMatchTheBinsAndEdgesOutOfOrder() {
    assertThatThrownBy(
            () ->
                new Distribution(
                    "x", Distribution.Kind.NUMERIC, List.of(1.0), List.of(), List.of(1.0), 1))
        .hasMessageContaining("1 shares for 3 bins");
    assertThatThrownBy(
            () ->
                new Distribution(
                    "x",
                    Distribution.Kind.NUMERIC,
                    List.of(2.0, 1.0),
                    List.of(),
                    List.of(0.25, 0.25, 0.25, 0.25),
                    1))
        .hasMessageContaining("strictly ascending");
  }

  private static Manifest manifest() {
    return new Manifest(
        Manifest.FORMAT_VERSION,
        "m",
        1,
        "2026-01-01T00:00:00Z",
        Task.REGRESSION,
        List.of(new InputField("beak", FieldType.DOUBLE, true, 40.0)),
        new Outputs("prediction", null, List.of()),
        Map.of("rmse", 1.0),
        null,
        "3.5.7",
        "0.16.0",
        null);
  }
}
