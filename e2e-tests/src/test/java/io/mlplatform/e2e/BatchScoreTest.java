package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
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

/**
 * scripts/batch-score's output formats, aliases and refusals; that every row it writes is what the
 * REST service answers, for every family, is {@link FamilyRoundTripTest}'s.
 */
class BatchScoreTest {

  @TempDir Path dir;

  @Test
  void writesParquetByDefaultForAnAliasAndRefusesAnUnknownModel() throws IOException {
    String store = TrainedStore.trained().toString();
    Path parquet = dir.resolve("parquet");

    Scripts.Outcome written =
        Scripts.run(
            dir.resolve("parquet.log"),
            5,
            "batch-score",
            "penguins@production",
            "data/penguins.json",
            parquet.toString(),
            "--store",
            store,
            "--option",
            "multiLine=true");
    Scripts.Outcome unknown =
        Scripts.run(
            dir.resolve("unknown.log"),
            5,
            "batch-score",
            "no-such-model",
            "data/penguins.json",
            dir.resolve("none").toString(),
            "--store",
            store);

    assertThat(written.exitCode()).as(written.output()).isZero();
    int production = ModelStore.open(store).alias("penguins", Layout.PRODUCTION).orElseThrow();
    assertThat(written.output()).contains("with penguins v" + production + " into");
    assertThat(parquet.resolve("_SUCCESS")).exists();
    try (var files = Files.list(parquet)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".parquet"));
    }
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.output()).contains("no-such-model");
    assertThat(dir.resolve("none")).doesNotExist();
  }

  /**
   * Sends each scored row's input columns to the service (in requests of at most {@link #CHUNK})
   * and compares its answer with the row's: the same prediction (within 1e-9 for regression, where
   * it is a number Spark and MLeap each compute), label and probabilities within 1e-9.
   */
  static void assertMatchesService(ServingServer server, Manifest manifest, List<JsonNode> rows) {
    for (int from = 0; from < rows.size(); from += CHUNK) {
      assertChunkMatchesService(server, manifest, rows, from, Math.min(rows.size(), from + CHUNK));
    }
  }

  private static final int CHUNK = 500;

  private static void assertChunkMatchesService(
      ServingServer server, Manifest manifest, List<JsonNode> rows, int from, int to) {
    List<Map<String, Object>> instances = new ArrayList<>();
    for (JsonNode row : rows.subList(from, to)) {
      Map<String, Object> instance = new LinkedHashMap<>();
      for (InputField field : manifest.inputs()) {
        // Spark's JSON writer leaves nulls out; the service wants them spelt out.
        JsonNode value = row.get(field.name());
        instance.put(
            field.name(),
            value == null || value.isNull()
                ? null
                : value.isNumber() ? (Object) value.asDouble() : value.asText());
      }
      instances.add(instance);
    }
    ServingServer.Reply reply =
        server.postJson(
            "/v1/models/" + manifest.model() + ":predict", Map.of("instances", instances));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonNode served = reply.json().get("predictions");
    List<String> labels = manifest.outputs().labels();
    for (int i = from; i < to; i++) {
      JsonNode row = rows.get(i);
      JsonNode answer = served.get(i - from);
      String what = manifest.model() + " row " + i;
      assertThat(row.get("model_name").asText()).isEqualTo(manifest.model());
      assertThat(row.get("model_version").asInt()).isEqualTo(manifest.version());
      if (labels.isEmpty()) {
        assertThat(row.get("prediction").asDouble())
            .as(what)
            .isCloseTo(answer.get("prediction").asDouble(), within(1e-9));
        continue;
      }
      assertThat(row.get("prediction").asDouble())
          .as(what)
          .isEqualTo(answer.get("prediction").asDouble());
      assertThat(row.get("label").asText())
          .as("%s label", what)
          .isEqualTo(answer.get("label").asText());
      JsonNode probabilities = row.get("probability");
      if (probabilities == null || probabilities.isNull()) {
        assertThat(answer.get("probabilities"))
            .as("%s: the service has probabilities, the batch none", what)
            .isNull();
        continue;
      }
      for (int k = 0; k < labels.size(); k++) {
        assertThat(probabilities.get(k).asDouble())
            .as("%s P(%s)", what, labels.get(k))
            .isCloseTo(answer.get("probabilities").get(labels.get(k)).asDouble(), within(1e-9));
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
        try (BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(fs.open(part.getPath()), StandardCharsets.UTF_8))) {
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
