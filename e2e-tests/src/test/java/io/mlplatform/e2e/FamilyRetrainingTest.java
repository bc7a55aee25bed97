package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.storage.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled retraining of the families whose MLeap bundle Spark cannot read back: a random forest
 * and a text model (count vectors + IDF, naive Bayes). One scheduler runs both; day 1 has two
 * classes swapped, day 2 is clean, and each model's v2 is promoted by the gate by itself, having
 * scored production v1 (its Spark-native model) on the same held-out rows.
 */
@Tag("slow")
class FamilyRetrainingTest {

  @TempDir Path dir;

  @Test
  void aTreeModelAndATextModelEachPromoteTheirBetterRetrainByThemselves() throws Exception {
    Path store = dir.resolve("store");
    ModelStore models = ModelStore.open(store.toString());
    Path penguins = Files.createDirectories(dir.resolve("penguins"));
    Path cars = Files.createDirectories(dir.resolve("cars"));
    Path forest = spec("species-rf.yaml", penguins);
    Path text = spec("origin-nb.yaml", cars);
    Path conf =
        Files.writeString(
            dir.resolve("retraining.yaml"),
            "store: "
                + store
                + "\nrunsDir: "
                + dir.resolve("runs")
                + "\nmodels:\n"
                + "  - {spec: "
                + forest
                + ", cron: \"*/3 * * * * ?\", timeZone: UTC, timeout: 10m}\n"
                + "  - {spec: "
                + text
                + ", cron: \"*/3 * * * * ?\", timeZone: UTC, timeout: 10m}\n");
    var penguinRows = RetrainingTest.records("data/penguins.json");
    var carRows = RetrainingTest.records("data/cars.json");

    RetrainingTest.writeDay(
        penguins,
        "2026-01-01.json",
        RetrainingTest.relabel(
            penguinRows, "Species", Map.of("Adelie", "Chinstrap", "Chinstrap", "Adelie")));
    RetrainingTest.writeDay(
        cars,
        "2026-01-01.json",
        RetrainingTest.relabel(carRows, "Origin", Map.of("Europe", "Japan", "Japan", "Europe")));
    Process scheduler = RetrainingTest.startScheduler(conf, dir.resolve("scheduler.log"));
    try {
      for (String model : new String[] {"species-rf", "origin-nb"}) {
        HistoryEvent first =
            RetrainingTest.awaitEvent(
                models, model, e -> e.action() == HistoryEvent.Action.RETRAIN && e.to() != null);
        assertThat(first.to()).as(model).isEqualTo(1);
        assertThat(first.run()).as(model).containsEntry("outcome", "promoted");
      }

      RetrainingTest.writeDay(penguins, "2026-01-02.json", penguinRows);
      RetrainingTest.writeDay(cars, "2026-01-02.json", carRows);
      for (String model : new String[] {"species-rf", "origin-nb"}) {
        HistoryEvent second =
            RetrainingTest.awaitEvent(
                models,
                model,
                e -> e.action() == HistoryEvent.Action.RETRAIN && e.to() != null && e.to() == 2);
        assertThat(second.run())
            .as(model + ": " + second.reason())
            .containsEntry("outcome", "promoted")
            .containsEntry("promoted", true);
        assertThat(second.from()).isEqualTo(1);
        assertThat(second.reason())
            .as(model)
            .contains("v2 promoted")
            .contains("better than production's");
        assertThat(models.alias(model, Layout.PRODUCTION)).as(model).contains(2);
      }
    } finally {
      scheduler.destroy();
      assertThat(scheduler.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * A family fixture reading the newest JSON-lines file of {@code data} (a directory: say the
   * format).
   */
  private Path spec(String fixture, Path data) throws java.io.IOException {
    String yaml =
        Files.readString(
            TrainingProcess.projectRoot()
                .resolve("e2e-tests/src/test/resources/families/" + fixture));
    String changed =
        yaml.replaceAll(
                "  path: data/[a-z.-]+\\n",
                "  path: " + data + "\n  format: json\n  latestFiles: 1\n")
            .replace("  options: {multiLine: \"true\"}\n", "");
    assertThat(changed).contains("latestFiles: 1").doesNotContain("multiLine");
    return Files.writeString(dir.resolve(fixture), changed);
  }
}
