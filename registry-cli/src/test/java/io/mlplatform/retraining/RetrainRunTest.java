package io.mlplatform.retraining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Lineage;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.Outputs;
import io.mlplatform.store.format.StoreJson;
import io.mlplatform.store.format.Task;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.Staging;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's semantics with real processes standing in for scripts/train (shell commands that sleep,
 * fail or succeed) and a real store: timeout, retries, locks, skipping unchanged data, the record.
 * Real training is exercised end to end in e2e-tests (RetrainingTest).
 */
class RetrainRunTest {

  @TempDir Path dir;
  private ModelStore store;
  private Path spec;
  private Path data;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws IOException {
    store = ModelStore.open(dir.resolve("store").toString());
    data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("day-1.json"), "{}\n");
    spec =
        Files.writeString(
            dir.resolve("spec.yaml"),
            "name: penguins\ndata: {path: "
                + data
                + ", latestFiles: 2}\n"
                + "target: y\nfeatures: {numeric: [a]}\nmodel: {type: logistic_regression}\n");
  }

  @Test
  void anAttemptPastTheTimeoutIsKilledAndTheRunFailsWithoutTouchingProduction() throws Exception {
    int production = publish(List.of());
    store.setAlias("penguins", Layout.PRODUCTION, production, "first");
    long start = System.nanoTime();

    Outcome outcome =
        run(policy(List.of("sh", "-c", "sleep 60"), Duration.ofMillis(500), 1, false));

    assertThat(outcome).isEqualTo(Outcome.FAILED);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    HistoryEvent event = lastEvent();
    assertThat(event.action()).isEqualTo(HistoryEvent.Action.RETRAIN);
    assertThat(event.from()).isEqualTo(production);
    assertThat(event.to()).isNull();
    assertThat(event.reason()).contains("failed after 1 attempt", "production unchanged (v1)");
    assertThat(attempts(event))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.get("timedOut")).isEqualTo(true);
              assertThat(Path.of((String) a.get("log")))
                  .content()
                  .contains("killed after the timeout");
            });
    assertThat(store.alias("penguins", Layout.PRODUCTION)).contains(production);
  }

  @Test
  void failingAttemptsAreRetriedPerPolicyAndEachIsRecorded() throws Exception {
    Outcome outcome =
        run(policy(List.of("sh", "-c", "echo boom; exit 1"), Duration.ofSeconds(30), 3, false));

    assertThat(outcome).isEqualTo(Outcome.FAILED);
    assertThat(attempts(lastEvent()))
        .hasSize(3)
        .allSatisfy(a -> assertThat(a.get("exitCode")).isEqualTo(1));
    assertThat(Path.of((String) attempts(lastEvent()).get(0).get("log")))
        .content()
        .contains("boom");
  }

  @Test
  void aBadSpecIsNotRetried() throws Exception {
    run(policy(List.of("sh", "-c", "exit 2"), Duration.ofSeconds(30), 3, false));

    assertThat(attempts(lastEvent())).hasSize(1);
  }

  /**
   * A spec broken after the scheduler started fails that run before any training or lock, naming
   * the key.
   */
  @Test
  void aSpecTheLoaderRefusesStartsNoTraining() throws Exception {
    Files.writeString(spec, Files.readString(spec).replace("target: y", "label: y"));
    Path marker = dir.resolve("trained");

    assertThatThrownBy(
            () ->
                run(policy(List.of("touch", marker.toString()), Duration.ofSeconds(30), 3, false)))
        .isInstanceOf(RetrainException.class)
        .hasMessageContaining("invalid spec " + spec)
        .hasMessageContaining("key 'label' was renamed to 'target'");
    assertThat(marker).doesNotExist();
    assertThat(store.history("penguins")).isEmpty();
  }

  @Test
  void aRunWhileAnotherIsGoingIsSkippedAndSaysSo() throws Exception {
    Path started = dir.resolve("started");
    CompletableFuture<Outcome> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return run(
                    policy(
                        List.of("sh", "-c", "touch " + started + "; sleep 3"),
                        Duration.ofSeconds(30),
                        1,
                        false));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    waitFor(started);

    Outcome second = run(policy(List.of("sh", "-c", "exit 0"), Duration.ofSeconds(30), 1, false));

    assertThat(second).isEqualTo(Outcome.SKIPPED_RUNNING);
    assertThat(output.toString(StandardCharsets.UTF_8))
        .contains("skipped: a run of penguins is still going");
    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(Outcome.FAILED);
  }

  @Test
  void aTrainingProcessLeftByAKilledSchedulerKeepsTheLock() throws Exception {
    // What a SIGKILLed scheduler leaves: its lock, and its run's training process carrying the
    // token.
    Process orphan = new ProcessBuilder("sh", "-c", "sleep 30", "retrain-orphan-token").start();
    try {
      Path lock = Files.createDirectories(dir.resolve("runs/penguins")).resolve("lock");
      Files.writeString(lock, "999999999 retrain-orphan-token");

      assertThat(run(policy(List.of("true"), Duration.ofSeconds(30), 1, false)))
          .isEqualTo(Outcome.SKIPPED_RUNNING);
      assertThat(output.toString(StandardCharsets.UTF_8))
          .contains("training process " + orphan.pid());
    } finally {
      orphan.destroyForcibly().waitFor();
    }
    // Once it is gone the lock is stale and the next run takes it over.
    assertThat(run(policy(List.of("true"), Duration.ofSeconds(30), 1, false)))
        .isEqualTo(Outcome.FAILED);
  }

  @Test
  void theRunTokenIsOnTheTrainingCommandLineFromItsFirstInstant() throws Exception {
    Path args = dir.resolve("args");
    run(
        policy(
            List.of("sh", "-c", "echo \"$@\" > " + args, "train"),
            Duration.ofSeconds(30),
            1,
            false));

    assertThat(Files.readString(args))
        .contains("--store")
        .containsPattern("--spark-conf spark.mlplatform.retrainRun=retrain-");
  }

  @Test
  void unchangedDataIsSkippedAndRecordedAndNewDataIsNot() throws Exception {
    List<String> files =
        List.of(new org.apache.hadoop.fs.Path(data.resolve("day-1.json").toUri()).toString());
    int latest = publish(files);

    assertThat(run(policy(List.of("sh", "-c", "exit 1"), Duration.ofSeconds(30), 1, true)))
        .isEqualTo(Outcome.SKIPPED_NO_NEW_DATA);
    assertThat(lastEvent().reason()).contains("no new data since v" + latest);
    assertThat(store.versions("penguins")).containsExactly(latest);
    int events = store.history("penguins").size();
    run(policy(List.of("sh", "-c", "exit 1"), Duration.ofSeconds(30), 1, true));
    assertThat(store.history("penguins")).as("the same skip is recorded once").hasSize(events);

    Files.writeString(data.resolve("day-2.json"), "{}\n");
    assertThat(run(policy(List.of("sh", "-c", "exit 1"), Duration.ofSeconds(30), 1, true)))
        .isEqualTo(Outcome.FAILED);
    assertThat(dataFiles(lastEvent())).hasSize(2).last().asString().endsWith("day-2.json");
  }

  /**
   * Issue 16 item 9: a file appended while the model trains. The version's createdAt comes after
   * the append (it is set after fitting), so comparing modification times with it called the data
   * unchanged for ever; the sizes and times the run saw before training tell that it changed.
   */
  @Test
  void dataAppendedDuringTrainingIsTrainedOnByTheNextRun() throws Exception {
    List<String> files =
        List.of(new org.apache.hadoop.fs.Path(data.resolve("day-1.json").toUri()).toString());
    publish(files);
    Path started = dir.resolve("started");
    Path published = dir.resolve("published");
    // Training: the data grows while it runs; the test publishes the version it "trained"
    // meanwhile.
    String training =
        "echo '{}' >> "
            + data.resolve("day-1.json")
            + "; touch "
            + started
            + "; while [ ! -f "
            + published
            + " ]; do sleep 0.05; done";
    CompletableFuture<Outcome> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return run(policy(List.of("sh", "-c", training), Duration.ofSeconds(30), 1, true));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Files.writeString(data.resolve("day-2.json"), "{}\n");
    waitFor(started);
    int trained =
        publish(
            List.of(
                files.get(0),
                new org.apache.hadoop.fs.Path(data.resolve("day-2.json").toUri()).toString()));
    Files.writeString(published, "");
    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(Outcome.NOT_PROMOTED);
    assertThat(store.latestVersion("penguins")).contains(trained);

    Outcome next = run(policy(List.of("sh", "-c", "exit 1"), Duration.ofSeconds(30), 1, true));

    assertThat(next)
        .as("day-1.json grew after the run looked at it: %s", output)
        .isEqualTo(Outcome.FAILED);
  }

  @Test
  void sizesAndTimesTheTrainingJobRecordedDecideWhetherDataChanged() throws Exception {
    List<org.apache.hadoop.fs.FileStatus> listed =
        io.mlplatform.store.storage.DataFiles.list(
            data.toString(), 2, new org.apache.hadoop.conf.Configuration());
    List<String> files = listed.stream().map(f -> f.getPath().toString()).toList();
    // createdAt comes after the append below: only the recorded stamps can tell that the file
    // changed.
    publish(
        new Lineage(
            data.toUri().toString(),
            1,
            "sha256:x",
            null,
            null,
            files,
            io.mlplatform.store.storage.DataFiles.stamps(listed)));

    assertThat(run(policy(List.of("sh", "-c", "exit 1"), Duration.ofSeconds(30), 1, true)))
        .isEqualTo(Outcome.SKIPPED_NO_NEW_DATA);

    Files.writeString(data.resolve("day-1.json"), "{}\n{}\n");
    assertThat(run(policy(List.of("sh", "-c", "exit 1"), Duration.ofSeconds(30), 1, true)))
        .isEqualTo(Outcome.FAILED);
  }

  private Outcome run(RunPolicy policy) throws Exception {
    return new RetrainRun(
            store,
            store.uri().toString(),
            policy,
            new PrintStream(output, true, StandardCharsets.UTF_8))
        .run(spec);
  }

  private RunPolicy policy(
      List<String> command, Duration timeout, int attempts, boolean skipUnchanged) {
    return new RunPolicy(
        command,
        null,
        timeout,
        attempts,
        Duration.ofMillis(50),
        skipUnchanged,
        dir.resolve("runs"));
  }

  private HistoryEvent lastEvent() {
    List<HistoryEvent> events = store.history("penguins");
    return events.get(events.size() - 1);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> attempts(HistoryEvent event) {
    return (List<Map<String, Object>>) event.run().get("attempts");
  }

  @SuppressWarnings("unchecked")
  private static List<String> dataFiles(HistoryEvent event) {
    return (List<String>) event.run().get("dataFiles");
  }

  private int publish(List<String> files) throws IOException {
    return publish(new Lineage(data.toUri().toString(), 1, "sha256:x", null, null, files));
  }

  private int publish(Lineage lineage) throws IOException {
    Path bundle = Files.writeString(dir.resolve("bundle-" + System.nanoTime() + ".zip"), "bundle");
    Staging staging = store.stage("penguins");
    staging.putFile(Layout.BUNDLE, bundle);
    staging.putJsonLines(Layout.REFERENCE_ROWS, List.of());
    return store.publish(
        staging,
        new Manifest(
            Manifest.FORMAT_VERSION,
            "penguins",
            0,
            Instant.now().plusSeconds(5).toString(),
            Task.MULTICLASS_CLASSIFICATION,
            List.of(new InputField("x", FieldType.DOUBLE, true, 0.0)),
            new Outputs("prediction", "probability", List.of("a", "b")),
            Map.of("accuracy", 0.9),
            StoreJson.mapper().createObjectNode(),
            "3.5.7",
            "0.16.0",
            lineage));
  }

  private static void waitFor(Path file) throws InterruptedException {
    for (int i = 0; i < 300 && !Files.exists(file); i++) {
      Thread.sleep(50);
    }
    assertThat(file).exists();
  }
}
