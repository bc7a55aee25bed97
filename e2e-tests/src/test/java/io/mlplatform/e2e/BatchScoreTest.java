package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.store.InputField;
import io.mlplatform.store.Manifest;
import io.mlplatform.store.ModelStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/batch-score writes, for every row, what the REST service answers for that row. */
class BatchScoreTest {

  @TempDir Path dir;

  @Test
  void everyBatchPredictionEqualsTheServicesAnswer() {
    String store = TrainedStore.trained().toString();
    Path output = dir.resolve("scored");

    Scripts.Outcome outcome = Scripts.run(dir.resolve("batch.log"), 5, "batch-score", "penguins",
        "data/penguins.json", output.toString(), "--store", store, "--option", "multiLine=true",
        "--output-format", "json", "--master", "local[2]");

    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    List<JsonNode> rows = readJsonLines(output.toUri().toString());
    assertThat(rows).hasSize(344);
    ModelStore modelStore = ModelStore.open(store);
    int version = modelStore.latestVersion("penguins").orElseThrow();
    try (ServingServer server = new ServingServer(store)) {
      assertMatchesService(server, modelStore.manifest("penguins", version), rows);
    }
  }

  @Test
  void writesParquetByDefaultForAnAliasAndRefusesAnUnknownModel() throws IOException {
    String store = TrainedStore.trained().toString();
    Path parquet = dir.resolve("parquet");

    Scripts.Outcome written = Scripts.run(dir.resolve("parquet.log"), 5, "batch-score", "penguins@production",
        "data/penguins.json", parquet.toString(), "--store", store, "--option", "multiLine=true");
    Scripts.Outcome unknown = Scripts.run(dir.resolve("unknown.log"), 5, "batch-score", "no-such-model",
        "data/penguins.json", dir.resolve("none").toString(), "--store", store);

    assertThat(written.exitCode()).as(written.output()).isZero();
    int production = ModelStore.open(store).alias("penguins", ModelStore.PRODUCTION).orElseThrow();
    assertThat(written.output()).contains("with penguins v" + production + " into");
    assertThat(parquet.resolve("_SUCCESS")).exists();
    try (var files = Files.list(parquet)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".parquet"));
    }
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.output()).contains("no-such-model");
    assertThat(dir.resolve("none")).doesNotExist();
  }

  /** Sends each scored row's input columns to the service and compares its answer with the row's. */
  static void assertMatchesService(ServingServer server, Manifest manifest, List<JsonNode> rows) {
    List<Map<String, Object>> instances = new ArrayList<>();
    for (JsonNode row : rows) {
      Map<String, Object> instance = new LinkedHashMap<>();
      for (InputField field : manifest.inputs()) {
        // Spark's JSON writer leaves nulls out; the service wants them spelt out.
        JsonNode value = row.get(field.name());
        instance.put(field.name(), value == null || value.isNull() ? null
            : value.isNumber() ? (Object) value.asDouble() : value.asText());
      }
      instances.add(instance);
    }
    ServingServer.Reply reply = server.postJson("/v1/models/" + manifest.model() + ":predict", Map.of("instances", instances));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonNode served = reply.json().get("predictions");
    List<String> labels = manifest.outputs().labels();
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      assertThat(row.get("model_name").asText()).isEqualTo(manifest.model());
      assertThat(row.get("model_version").asInt()).isEqualTo(manifest.version());
      assertThat(row.get("prediction").asDouble()).as("row %d", i).isEqualTo(served.get(i).get("prediction").asDouble());
      if (!labels.isEmpty()) {
        assertThat(row.get("label").asText()).as("row %d label", i).isEqualTo(served.get(i).get("label").asText());
        for (int k = 0; k < labels.size(); k++) {
          assertThat(row.get("probability").get(k).asDouble()).as("row %d P(%s)", i, labels.get(k))
              .isCloseTo(served.get(i).get("probabilities").get(labels.get(k)).asDouble(), within(1e-9));
        }
      }
    }
  }

  /** Reads Spark's JSON-lines output (part files) from any Hadoop FileSystem. */
  static List<JsonNode> readJsonLines(String uri) {
    try {
      org.apache.hadoop.fs.Path dirPath = new org.apache.hadoop.fs.Path(uri);
      FileSystem fs = dirPath.getFileSystem(new Configuration());
      List<JsonNode> rows = new ArrayList<>();
      FileStatus[] parts = fs.listStatus(dirPath, p -> p.getName().startsWith("part-"));
      java.util.Arrays.sort(parts);
      for (FileStatus part : parts) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(fs.open(part.getPath()), StandardCharsets.UTF_8))) {
          for (String line; (line = reader.readLine()) != null; ) {
            if (!line.isBlank()) {
              rows.add(ServingServer.JSON.readTree(line));
            }
          }
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
