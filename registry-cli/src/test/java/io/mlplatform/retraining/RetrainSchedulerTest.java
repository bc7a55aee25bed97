package io.mlplatform.retraining;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.store.HistoryEvent;
import io.mlplatform.store.ModelStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler firing every second while each run takes three: overlapping triggers skip. */
class RetrainSchedulerTest {

  @TempDir Path dir;

  @Test
  void overlappingTriggersNeverStartASecondRun() throws Exception {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("a.json"), "{}\n");
    Path spec = Files.writeString(dir.resolve("spec.yaml"), "name: m\ndata: {path: " + data + "}\n");
    Path running = dir.resolve("running");
    // Fails loudly (exit 9) if it ever finds another run inside.
    String body = "mkdir " + running + " || exit 9; sleep 3; rmdir " + running + "; exit 1";
    ScheduleConfig.Entry entry = new ScheduleConfig.Entry(spec, ScheduleConfig.CRON.parse("* * * * * ?"),
        "* * * * * ?", ZoneId.of("UTC"), Duration.ofSeconds(30), 1, Duration.ZERO, false);
    ScheduleConfig config = new ScheduleConfig(store.uri().toString(), null, dir.resolve("runs"), List.of(entry));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);

    try (RetrainScheduler scheduler = new RetrainScheduler(config, e -> new RetrainRun(store,
        store.uri().toString(), new RunPolicy(List.of("sh", "-c", body), null, e.timeout(), 1, e.retryDelay(),
            false, config.runsDir()), log), log)) {
      scheduler.start();
      for (int i = 0; i < 200 && store.history("m").size() < 2; i++) {
        Thread.sleep(100);
      }
    }

    List<HistoryEvent> runs = store.history("m");
    assertThat(runs).hasSizeGreaterThanOrEqualTo(2).allSatisfy(e -> {
      assertThat(e.action()).isEqualTo(HistoryEvent.Action.RETRAIN);
      assertThat(e.reason()).as("no run found another one inside").doesNotContain("exit code 9");
      assertThat(e.run().toString()).doesNotContain("exitCode=9");
    });
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("trigger skipped, the previous run is still going");
  }
}
