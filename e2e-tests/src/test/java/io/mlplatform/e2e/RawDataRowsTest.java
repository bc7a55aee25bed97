package io.mlplatform.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Users send what their data has: every row of every data set under data/, sent as the file has it,
 * is scored with 200 by every model trained on that file. JSON records go with their own JSON types
 * (numbers, strings, nulls); a CSV row goes as the text it is, every cell a JSON string and an
 * empty cell null. Whole records are sent, label and unused columns included (unknownFields IGNORE,
 * the default), so every column of every file reaches a model that uses it.
 */
class RawDataRowsTest {

  // Under maxInstancesPerRequest (1000 by default).
  private static final int BATCH = 500;
  private static ServingServer server;
  private static ModelStore store;

  @BeforeAll
  static void start() {
    String uri = TrainedStore.trained().toString();
    store = ModelStore.open(uri);
    server = new ServingServer(uri);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static List<String> models() {
    return TrainedStore.models();
  }

  @Test
  void everyDataFileHasAModelTrainedOnIt() {
    List<String> trainedOn = models().stream().map(RawDataRowsTest::dataFile).toList();

    assertThat(dataFiles()).isNotEmpty().allSatisfy(file -> assertThat(trainedOn).contains(file));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void everyRowOfTheTrainingFileScores(String model) {
    Path file = Path.of(dataFile(model));
    List<Map<String, Object>> rows = file.toString().endsWith(".csv") ? csv(file) : json(file);
    assertThat(rows).as(file.toString()).hasSizeGreaterThan(100);

    for (int from = 0; from < rows.size(); from += BATCH) {
      List<Map<String, Object>> batch = rows.subList(from, Math.min(rows.size(), from + BATCH));
      ServingServer.Reply reply =
          server.postJson("/v1/models/" + model + ":predict", Map.of("instances", batch));

      assertThat(reply.status())
          .as("%s rows %d.. of %s: %s", model, from, file.getFileName(), reply.body())
          .isEqualTo(200);
      assertThat(reply.json().get("predictions")).hasSize(batch.size());
    }
  }

  /** The local path of the file the model's latest version was trained on. */
  private static String dataFile(String model) {
    Manifest manifest = store.manifest(model, store.latestVersion(model).orElseThrow());
    return Path.of(java.net.URI.create(manifest.lineage().dataUri())).normalize().toString();
  }

  private static List<String> dataFiles() {
    try (Stream<Path> files = Files.list(TrainingProcess.projectRoot().resolve("data"))) {
      return files
          .filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".csv"))
          .map(p -> p.normalize().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Map<String, Object>> json(Path file) {
    try {
      return ServingServer.JSON.readValue(
          file.toFile(), new TypeReference<List<Map<String, Object>>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The committed CSV has a header and no quoting (checked: every line has the header's cell
   * count).
   */
  private static List<Map<String, Object>> csv(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      String[] header = lines.get(0).split(",", -1);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        String[] cells = line.split(",", -1);
        assertThat(cells).as(line).hasSize(header.length);
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
          row.put(header[i], cells[i].isEmpty() ? null : cells[i]);
        }
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
