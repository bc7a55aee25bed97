package io.mlplatform.store.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlplatform.store.format.Layout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor job's reports in the store: whole runs, a second run of one second, latest.json. */
class MonitoringReportsTest {

  @TempDir Path dir;

  private static void publish(ModelStore store) {
    Staging staging = store.stage("m");
    staging.putText(Layout.BUNDLE, "a bundle");
    store.publish(staging, ModelStoreContract.manifest("m"));
  }

  @Test
  void aRunIsWrittenWholeUnderItsVersionAndLatestIsReplaced() throws Exception {
    ModelStore store = ModelStore.open(dir.toString());
    publish(store);

    String first = store.publishMonitoring("m", 1, "20261207T150000Z", Map.of("n", 1), "<p>1</p>");
    String second = store.publishMonitoring("m", 1, "20261207T150000Z", Map.of("n", 2), "<p>2</p>");
    store.putMonitoringLatest("m", Map.of("run", "a"));
    store.putMonitoringLatest("m", Map.of("run", "b"));

    assertThat(first).isEqualTo("monitoring/v1/20261207T150000Z");
    assertThat(second).isEqualTo("monitoring/v1/20261207T150000Z-2");
    assertThat(store.monitoringJson("m", "v1/20261207T150000Z-2/" + Layout.MONITORING_SUMMARY))
        .hasValueSatisfying(json -> assertThat(json.get("n").asInt()).isEqualTo(2));
    assertThat(Files.readString(dir.resolve("m").resolve(first).resolve(Layout.MONITORING_REPORT)))
        .isEqualTo("<p>1</p>");
    assertThat(store.monitoringJson("m", Layout.MONITORING_LATEST))
        .hasValueSatisfying(json -> assertThat(json.get("run").asText()).isEqualTo("b"));
    assertThat(store.monitoringJson("m", "v2/none/summary.json")).isEmpty();
    // Nothing is left behind in staging: every run moved into place whole.
    try (var staged = Files.list(dir.resolve("m/.staging"))) {
      assertThat(staged).isEmpty();
    }
  }

  @Test
  void refusesAnUnknownVersionABadRunIdAndAPathOutOfTheModel() {
    ModelStore store = ModelStore.open(dir.toString());
    publish(store);

    assertThatThrownBy(() -> store.publishMonitoring("m", 7, "20261207T150000Z", Map.of(), ""))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
    assertThatThrownBy(() -> store.publishMonitoring("m", 1, "2026-12-07T15:00:00Z", Map.of(), ""))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.INVALID));
    assertThatThrownBy(() -> store.monitoringJson("m", "../versions/1/manifest.json"))
        .isInstanceOf(StoreException.class);
    assertThat(dir.resolve("m").resolve(Layout.MONITORING)).doesNotExist();
  }
}
