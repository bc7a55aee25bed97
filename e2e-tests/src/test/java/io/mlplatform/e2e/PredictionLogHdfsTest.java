package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlplatform.serving.config.PredictionLogSection;
import io.mlplatform.serving.monitoring.FeedbackLedger;
import io.mlplatform.serving.predictionlog.PredictionLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prediction log on a real HDFS (MiniDFSCluster): files rolled by size are renamed into place
 * under the model's date directory, and every line reads back as the record that was offered.
 */
@Tag("slow")
class PredictionLogHdfsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void recordsLandInPublishedFilesOnHdfs() throws Exception {
    MiniDFSCluster hdfs =
        new MiniDFSCluster.Builder(new HdfsConfiguration(), dir.resolve("hdfs").toFile())
            .numDataNodes(1)
            .build();
    try {
      hdfs.waitActive();
      String uri = "hdfs://localhost:" + hdfs.getNameNodePort() + "/predictions";
      PredictionLog log =
          PredictionLog.start(
              new PredictionLogSection(
                  true,
                  uri,
                  1.0,
                  List.of(),
                  Map.of(),
                  2048, // a few records per file: several rolls
                  Duration.ofMinutes(5),
                  10_000,
                  "hdfs-test"),
              new Configuration(),
              new PrometheusRegistry());
      JsonNode instances = JSON.readTree("[{\"Island\":\"Biscoe\",\"Beak Length (mm)\":48.2}]");
      List<Object> outputs = List.of(Map.of("prediction", 2.0, "label", "Gentoo"));
      for (int i = 0; i < 40; i++) {
        log.predicted("penguins", 3, "r" + i, "default", instances, outputs, 1_000_000);
      }
      log.feedback(
          new FeedbackLedger.Applied(
              "penguins",
              3,
              "r7#0",
              "2026-12-07T15:00:00Z",
              "r7",
              0,
              "Gentoo",
              "Adelie",
              false,
              1,
              "accuracy",
              0.0,
              2.0));
      log.close(); // publishes the last file

      FileSystem fs = hdfs.getFileSystem();
      List<JsonNode> records = new ArrayList<>();
      List<String> names = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> files =
          fs.listFiles(new org.apache.hadoop.fs.Path("/predictions/penguins"), true);
      while (files.hasNext()) {
        FileStatus file = files.next();
        names.add(file.getPath().getParent().getName() + "/" + file.getPath().getName());
        try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(fs.open(file.getPath()), StandardCharsets.UTF_8))) {
          in.lines().forEach(l -> records.add(readTree(l)));
        }
      }

      assertThat(names)
          .hasSizeGreaterThan(2)
          .allMatch(
              n -> n.matches("date=\\d{4}-\\d\\d-\\d\\d/hdfs-test-\\d+-\\d+\\.jsonl"), "published");
      assertThat(records).hasSize(41);
      assertThat(records)
          .filteredOn(r -> r.get("kind").asText().equals("prediction"))
          .extracting(r -> r.get("requestId").asText())
          .doesNotHaveDuplicates()
          .hasSize(40);
      assertThat(records)
          .filteredOn(r -> r.get("kind").asText().equals("feedback"))
          .singleElement()
          .satisfies(r -> assertThat(r.get("id").asText()).isEqualTo("r7#0"));
    } finally {
      hdfs.shutdown();
    }
  }

  private static JsonNode readTree(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
