package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The training job is a distributed job: a real standalone cluster (1 master, 2 workers, started by
 * scripts/local-cluster) trains the penguins spec reading from a real HDFS and publishes to a store
 * on that HDFS; the service then loads it from HDFS and reproduces Spark's outputs, and
 * scripts/batch-score on the same cluster scores the whole data set exactly as the service does.
 * Slow (a minute or two), so tagged; CI runs it.
 */
@Tag("slow")
class ClusterTrainingTest {

  private static final Path WORK =
      TrainingProcess.projectRoot().resolve("e2e-tests/target/cluster-test");
  private static MiniDFSCluster hdfs;
  private static String hdfsUri;
  private static int masterPort;

  @BeforeAll
  static void startHdfsAndCluster() throws IOException {
    TrainedStore.deleteRecursively(WORK);
    Configuration conf = new HdfsConfiguration();
    hdfs = new MiniDFSCluster.Builder(conf, WORK.resolve("hdfs").toFile()).numDataNodes(1).build();
    hdfs.waitActive();
    hdfsUri = "hdfs://localhost:" + hdfs.getNameNodePort();
    FileSystem fs = hdfs.getFileSystem();
    fs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(
            TrainingProcess.projectRoot().resolve("data/penguins.json").toUri()),
        new org.apache.hadoop.fs.Path("/data/penguins.json"));
    fs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(
            TrainingProcess.projectRoot().resolve("data/cars.json").toUri()),
        new org.apache.hadoop.fs.Path("/data/cars.json"));

    masterPort = freePort();
    Scripts.Outcome started =
        Scripts.run(
            WORK.resolve("start.log"),
            3,
            "local-cluster",
            "start",
            "--workers",
            "2",
            "--port",
            Integer.toString(masterPort),
            "--dir",
            WORK.resolve("spark").toString());
    assertThat(started.exitCode()).as(started.output()).isZero();
  }

  @AfterAll
  static void stopEverything() {
    try {
      Scripts.Outcome stopped =
          Scripts.run(
              WORK.resolve("stop.log"),
              2,
              "local-cluster",
              "stop",
              "--dir",
              WORK.resolve("spark").toString());
      assertThat(stopped.exitCode()).as(stopped.output()).isZero();
    } finally {
      if (hdfs != null) {
        hdfs.shutdown();
      }
    }
  }

  @Test
  void trainsOnTheClusterFromHdfsToHdfsAndTheServiceMatchesSpark() throws IOException {
    // The sample, a tree ensemble and a text model (count vectors + IDF): the families whose MLeap
    // bundle Spark cannot read back, so batch scoring must use the Spark-native model.
    List<Path> specs =
        List.of(
            onHdfs("conf/models/penguins.yaml"),
            onHdfs("e2e-tests/src/test/resources/families/species-rf.yaml"),
            onHdfs("e2e-tests/src/test/resources/families/origin-nb.yaml"));
    String store = hdfsUri + "/models";
    List<String> args = new ArrayList<>(specs.stream().map(Path::toString).toList());
    args.addAll(
        List.of(
            "--store",
            store,
            "--master",
            "spark://127.0.0.1:" + masterPort,
            "--spark-conf",
            "spark.executor.memory=512m",
            "--spark-conf",
            "spark.ui.enabled=false"));

    Scripts.Outcome trained =
        Scripts.run(WORK.resolve("train.log"), 8, "train", args.toArray(String[]::new));

    assertThat(trained.exitCode()).as(trained.output()).isZero();
    assertThat(trained.output())
        .contains("published penguins v1 to " + store)
        .contains("published species-rf v1 to " + store)
        .contains("published origin-nb v1 to " + store);
    for (String worker : List.of("worker-1", "worker-2")) {
      try (var apps = Files.list(WORK.resolve("spark/work").resolve(worker))) {
        assertThat(apps.map(p -> p.getFileName().toString()))
            .as("executors on " + worker)
            .anyMatch(n -> n.startsWith("app-"));
      }
    }

    ModelStore hdfsStore = ModelStore.open(store);
    Manifest manifest = hdfsStore.manifest("penguins", 1);
    assertThat(manifest.lineage().dataUri()).startsWith("hdfs://");
    List<ReferenceRow> rows = hdfsStore.referenceRows("penguins", 1);
    try (ServingServer server = new ServingServer(store)) {
      ServingServer.Reply reply =
          server.postJson(
              "/v1/models/penguins:predict",
              Map.of("instances", rows.stream().map(ReferenceRow::input).toList()));
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      JsonNode predictions = reply.json().get("predictions");
      for (int i = 0; i < rows.size(); i++) {
        FamilyParityTest.assertRow("cluster row " + i, manifest, predictions.get(i), rows.get(i));
      }

      // Each version scores its whole data set on the cluster, HDFS to HDFS, as REST would; the
      // two penguins models in one application.
      assertBatchOnClusterMatchesService(
          server, hdfsStore, List.of("penguins", "species-rf"), "penguins.json", 344);
      assertBatchOnClusterMatchesService(server, hdfsStore, List.of("origin-nb"), "cars.json", 406);
    }
  }

  private static void assertBatchOnClusterMatchesService(
      ServingServer server, ModelStore store, List<String> models, String data, int rows) {
    String scored = hdfsUri + "/scored/" + String.join("-", models);
    Scripts.Outcome batch =
        Scripts.run(
            WORK.resolve("batch-" + String.join("-", models) + ".log"),
            6,
            "batch-score",
            String.join(",", models.stream().map(model -> model + "@1").toList()),
            hdfsUri + "/data/" + data,
            scored,
            "--store",
            store.uri().toString(),
            "--option",
            "multiLine=true",
            "--output-format",
            "json",
            "--master",
            "spark://127.0.0.1:" + masterPort,
            "--spark-conf",
            "spark.executor.memory=512m");
    assertThat(batch.exitCode()).as(batch.output()).isZero();
    for (String model : models) {
      // One model writes OUTPUT itself; several write OUTPUT/<model@1> each.
      String into = models.size() == 1 ? scored : scored + "/" + model + "@1";
      assertThat(batch.output()).contains("with " + model + " v1 into " + into);
      List<JsonNode> scoredRows = BatchScoreTest.readJsonLines(into);
      assertThat(scoredRows).hasSize(rows);
      BatchScoreTest.assertMatchesService(server, store.manifest(model, 1), scoredRows);
    }
  }

  /** A spec of this repository with its data read from the test's HDFS. */
  private static Path onHdfs(String spec) throws IOException {
    Path file = TrainingProcess.projectRoot().resolve(spec);
    String yaml = Files.readString(file).replace("path: data/", "path: " + hdfsUri + "/data/");
    Path copy = WORK.resolve(file.getFileName().toString().replace(".yaml", "-hdfs.yaml"));
    Files.writeString(copy, yaml);
    return copy;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
