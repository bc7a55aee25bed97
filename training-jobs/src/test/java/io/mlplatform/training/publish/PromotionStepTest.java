package io.mlplatform.training.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecLoader;
import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.training.SparkTest;
import io.mlplatform.training.TrainJob;
import io.mlplatform.training.data.LoadPhase;
import io.mlplatform.training.data.SplitPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The promotion step run on its own, against versions two real training runs published. */
class PromotionStepTest extends SparkTest {

  @TempDir Path dir;

  @Test
  void anOperatorWhoMovesProductionWhileTheGateRunsWins() throws Exception {
    String yaml =
        Files.readString(root().resolve("conf/models/penguins.yaml"))
            .replace("data/penguins.json", root().resolve("data/penguins.json").toString());
    ModelSpec spec = SpecLoader.parse(yaml, "penguins.yaml");
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    TrainJob.run(spark, spec, store);
    TrainJob.Result second = TrainJob.run(spark, spec, store);
    assertThat(store.alias("penguins", Layout.PRODUCTION))
        .as(second.promotion().reason())
        .contains(2);
    // The operator rolls back to v1 while the gate scores production (v2) on the held-out rows.
    PromotionStep step =
        new PromotionStep(
            store,
            spec,
            line -> {
              if (line.startsWith("scoring production")) {
                store.setAlias("penguins", Layout.PRODUCTION, 1, "operator: back to v1");
              }
            });

    PromotionStep.Outcome outcome;
    try (LoadPhase.Loaded data = new LoadPhase(spark, spec, line -> {}).run()) {
      SplitPhase splitter = new SplitPhase(spec, line -> {});
      SplitPhase.Split split = splitter.split(splitter.label(data));
      outcome =
          step.run(
              PromotionStep.rules(spec, split.task()),
              new PromotionStep.Candidate(2, split.task(), second.metrics(), split.test()));
    }

    assertThat(outcome.promoted()).isFalse();
    assertThat(outcome.production()).isEqualTo(2);
    assertThat(outcome.productionMetrics()).isNotNull();
    assertThat(outcome.reason())
        .isEqualTo("production moved from v2 to v1 while the gate ran; leaving it there");
    assertThat(store.alias("penguins", Layout.PRODUCTION)).contains(1);
    assertThat(store.history("penguins"))
        .last()
        .satisfies(
            event -> {
              assertThat(event.action()).isEqualTo(HistoryEvent.Action.GATE_FAILED);
              assertThat(event.reason()).isEqualTo(outcome.reason());
            });
  }
}
