package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlplatform.serving.Service;
import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retraining loop end to end: scripts/retrain-scheduler on a 3-second cron, daily data files
 * arriving in a directory the spec reads with a one-file window, the real training job, and a
 * running service that picks up promoted versions by itself.
 *
 * <ol>
 *   <li>day 1 has Adelie and Chinstrap labels swapped: v1 is consistent with its own data, so it is
 *       promoted as the first version, but wrong about the real world;
 *   <li>day 2 is clean: v2 is scored against v1 on the same held-out rows, wins and is promoted,
 *       and the service switches to it under load without a failed request;
 *   <li>day 3 has shuffled labels, and the scheduler is killed (SIGKILL) while it trains: the
 *       orphaned training still finishes, v3 fails the gate and production stays v2; the restarted
 *       scheduler waits for the orphan, then skips the unchanged data, so no version is trained
 *       twice.
 * </ol>
 */
@Tag("slow")
class RetrainingTest {

  private static final String MODEL = "penguins";

  @TempDir Path dir;

  @Test
  void newDataIsTrainedGatedPromotedAndServedWithoutARestart() throws Exception {
    Path data = Files.createDirectories(dir.resolve("incoming"));
    Path store = dir.resolve("store");
    ModelStore models = ModelStore.open(store.toString());
    Path spec = writeSpec(data);
    Path conf =
        Files.writeString(
            dir.resolve("retraining.yaml"),
            "store: "
                + store
                + "\nrunsDir: "
                + dir.resolve("runs")
                + "\nmodels:\n  - {spec: "
                + spec
                + ", cron: \"*/3 * * * * ?\", timeZone: UTC, timeout: 10m}\n");
    List<ObjectNode> rows = penguins();

    writeDay(
        data,
        "2026-01-01.json",
        relabel(rows, Map.of("Adelie", "Chinstrap", "Chinstrap", "Adelie")));
    Process scheduler = startScheduler(conf, "first");
    try {
      HistoryEvent first =
          awaitEvent(models, e -> e.action() == HistoryEvent.Action.RETRAIN && e.to() != null);
      assertThat(first.to()).isEqualTo(1);
      assertThat(first.run()).containsEntry("outcome", "promoted").containsEntry("promoted", true);
      assertThat(first.run().get("dataFiles").toString()).contains("2026-01-01.json");
      assertThat(models.manifest(MODEL, 1).lineage().files())
          .singleElement()
          .asString()
          .endsWith("2026-01-01.json");

      Service service = StoreCopies.serve(models);
      Load load = new Load(service.port(), rows.get(0));
      try {
        writeDay(data, "2026-01-02.json", rows);
        HistoryEvent second =
            awaitEvent(
                models,
                e -> e.action() == HistoryEvent.Action.RETRAIN && e.to() != null && e.to() == 2);
        assertThat(second.run()).containsEntry("outcome", "promoted");
        assertThat(second.from()).isEqualTo(1);
        assertThat(second.reason()).contains("v2 promoted").contains("better than production's");
        assertThat(second.run().get("dataFiles").toString())
            .contains("2026-01-02.json")
            .doesNotContain("2026-01-01");
        HotSwapUnderLoadTest.awaitServing(service, 2);
        load.awaitVersion(2);
      } finally {
        load.stop();
        service.shutdown();
      }
      assertThat(load.failures).as("failed requests while v2 replaced v1").isEmpty();
      assertThat(load.versions).contains(1, 2);

      writeDay(data, "2026-01-03.json", shuffledLabels(rows));
      awaitFile(dir.resolve("runs").resolve(MODEL), name -> name.endsWith("-attempt-1.log"), 3);
      // The log file is opened just before the child is spawned; killing the scheduler in that gap
      // would
      // leave no orphan at all, so wait until the training process itself is running.
      awaitTrainingProcess();
    } finally {
      scheduler.destroyForcibly().waitFor();
    }

    Process restarted = startScheduler(conf, "restarted");
    try {
      HistoryEvent skipped =
          awaitEvent(
              models,
              e ->
                  e.action() == HistoryEvent.Action.RETRAIN
                      && e.reason().startsWith("skipped: no new data since v3"));
      assertThat(skipped.from()).isEqualTo(2);
    } finally {
      restarted.destroy();
      assertThat(restarted.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(models.versions(MODEL)).containsExactly(1, 2, 3);
    assertThat(models.alias(MODEL, Layout.PRODUCTION)).contains(2);
    HistoryEvent gate =
        models.history(MODEL).stream()
            .filter(e -> e.action() == HistoryEvent.Action.GATE_FAILED && e.to() == 3)
            .findFirst()
            .orElseThrow();
    assertThat(gate.reason()).contains("accuracy");
    assertThat(Files.readString(dir.resolve("restarted.log"))).contains("is still running");

    Scripts.Outcome history =
        Scripts.run(
            dir.resolve("history.log"),
            2,
            "registry",
            "--store",
            store.toString(),
            "history",
            MODEL);
    assertThat(history.exitCode()).isZero();
    assertThat(history.output())
        .contains("retrain", "v2 promoted", "skipped: no new data since v3");
  }

  private Path writeSpec(Path data) throws IOException {
    String spec =
        Files.readString(TrainingProcess.projectRoot().resolve("conf/models/penguins.yaml"))
            .replace(
                "  path: data/penguins.json     # local path or any Hadoop URI (hdfs://..., s3a://...)",
                "  path: " + data + "\n  latestFiles: 1")
            .replace("  options:                     # passed to Spark's reader as they are\n", "")
            .replace(
                "    multiLine: \"true\"          # the file is one JSON array, not JSON lines\n",
                "");
    assertThat(spec).contains("latestFiles: 1").doesNotContain("multiLine");
    return Files.writeString(dir.resolve("penguins.yaml"), spec);
  }

  private Process startScheduler(Path conf, String name) throws IOException {
    return startScheduler(conf, dir.resolve(name + ".log"));
  }

  static Process startScheduler(Path conf, Path log) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                TrainingProcess.projectRoot().resolve("scripts/retrain-scheduler").toString(),
                "--config",
                conf.toString())
            .directory(TrainingProcess.projectRoot().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("MLPLATFORM_NO_BUILD", "1");
    return builder.start();
  }

  private static HistoryEvent awaitEvent(ModelStore store, Predicate<HistoryEvent> wanted)
      throws InterruptedException {
    return awaitEvent(store, MODEL, wanted);
  }

  static HistoryEvent awaitEvent(ModelStore store, String model, Predicate<HistoryEvent> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
    while (System.nanoTime() < deadline) {
      List<HistoryEvent> events =
          store.versions(model).isEmpty() && store.history(model).isEmpty()
              ? List.of()
              : store.history(model);
      for (HistoryEvent event : events) {
        if (wanted.test(event)) {
          return event;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "no such history event of " + model + " in 8 minutes; history: " + store.history(model));
  }

  private static void awaitFile(Path dir, Predicate<String> name, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(dir)) {
        try (var files = Files.list(dir)) {
          if (files.filter(f -> name.test(f.getFileName().toString())).count() >= count) {
            return;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the third run did not start in 2 minutes");
  }

  private static void awaitTrainingProcess() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      if (ProcessHandle.allProcesses()
          .anyMatch(
              p ->
                  p.info()
                      .commandLine()
                      .map(c -> c.contains("spark.mlplatform.retrainRun="))
                      .orElse(false))) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the third run's training process did not appear in a minute");
  }

  private static List<ObjectNode> penguins() throws IOException {
    return records("data/penguins.json");
  }

  /** The records of one of the repository's JSON data files. */
  static List<ObjectNode> records(String file) throws IOException {
    JsonNode all =
        ServingServer.JSON.readTree(TrainingProcess.projectRoot().resolve(file).toFile());
    List<ObjectNode> rows = new ArrayList<>();
    all.forEach(r -> rows.add((ObjectNode) r));
    return rows;
  }

  private static List<ObjectNode> relabel(List<ObjectNode> rows, Map<String, String> swap) {
    return relabel(rows, "Species", swap);
  }

  static List<ObjectNode> relabel(List<ObjectNode> rows, String column, Map<String, String> swap) {
    return rows.stream()
        .map(
            r -> {
              ObjectNode copy = r.deepCopy();
              String label = r.path(column).asText(null);
              if (label != null && swap.containsKey(label)) {
                copy.put(column, swap.get(label));
              }
              return copy;
            })
        .toList();
  }

  private static List<ObjectNode> shuffledLabels(List<ObjectNode> rows) {
    List<JsonNode> labels = new ArrayList<>(rows.stream().map(r -> r.get("Species")).toList());
    Collections.shuffle(labels, new Random(7));
    List<ObjectNode> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      out.add(rows.get(i).deepCopy().set("Species", labels.get(i)));
    }
    return out;
  }

  /**
   * A day's file appears whole (written aside, then renamed), as a data pipeline would deliver it.
   */
  static void writeDay(Path data, String name, List<ObjectNode> rows) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (ObjectNode row : rows) {
      lines.append(ServingServer.JSON.writeValueAsString(row)).append('\n');
    }
    Path tmp = Files.writeString(data.resolve("." + name + ".tmp"), lines);
    Files.move(tmp, data.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Single-row requests in a loop on two threads, recording failures and which versions answered.
   */
  private static final class Load {
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final Set<Integer> versions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Load(int port, ObjectNode row) throws IOException {
      ObjectNode instance = row.deepCopy();
      instance.remove("Species");
      ObjectNode body = ServingServer.JSON.createObjectNode();
      ((ArrayNode) body.putArray("instances")).add(instance);
      String json = ServingServer.JSON.writeValueAsString(body);
      HttpClient client = HttpClient.newHttpClient();
      URI predict = URI.create("http://127.0.0.1:" + port + "/v1/models/penguins:predict");
      for (int t = 0; t < 2; t++) {
        Thread thread =
            new Thread(
                () -> {
                  while (running.get()) {
                    try {
                      HttpResponse<String> reply =
                          client.send(
                              HttpRequest.newBuilder(predict)
                                  .header("Content-Type", "application/json")
                                  .POST(HttpRequest.BodyPublishers.ofString(json))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString());
                      if (reply.statusCode() != 200) {
                        failures.add(reply.statusCode() + " " + reply.body());
                      } else {
                        versions.add(
                            ServingServer.JSON.readTree(reply.body()).at("/model/version").asInt());
                      }
                      Thread.sleep(5);
                    } catch (InterruptedException e) {
                      return;
                    } catch (Exception e) {
                      failures.add(e.toString());
                    }
                  }
                });
        thread.start();
        threads.add(thread);
      }
    }

    void awaitVersion(int version) throws InterruptedException {
      for (int i = 0; i < 600 && !versions.contains(version); i++) {
        Thread.sleep(100);
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(10_000);
      }
    }
  }
}
