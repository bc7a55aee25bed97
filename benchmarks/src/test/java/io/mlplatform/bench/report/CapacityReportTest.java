package io.mlplatform.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapacityReportTest {

  @TempDir Path dir;

  private void heap(String name, int usedKiB) throws Exception {
    Files.writeString(
        dir.resolve(name),
        "12548:\n garbage-first heap   total 1048576K, used "
            + usedKiB
            + "K [0x00000000c0000000, 0x0000000100000000)\n"
            + "  region size 1024K, 1 young (1024K), 0 survivors (0K)\n");
  }

  private void models(String name, String... states) throws Exception {
    StringBuilder versions = new StringBuilder();
    for (int i = 0; i < states.length; i++) {
      versions.append(i == 0 ? "" : ",").append("{\"version\":").append(i + 1);
      versions.append(",\"state\":\"").append(states[i]).append("\"}");
    }
    Files.writeString(
        dir.resolve(name), "{\"name\":\"bench-gbt\",\"versionStates\":[" + versions + "]}");
  }

  @Test
  void heapPerVersionIsTheDifferenceOverTheExtraVersionsLoaded() throws Exception {
    heap("heap-one.txt", 30 * 1024);
    heap("heap-many.txt", 30 * 1024 + 3 * 2560);
    models("models-one.json", "serving", "available", "available", "available");
    models("models-many.json", "serving", "loaded", "loaded", "loaded");
    Files.writeString(dir.resolve("startup.txt"), "2500\n2100\n2900\n");
    Files.writeString(dir.resolve("wrk-one-1.json"), "{\"rps\": 1000.0}");
    Files.writeString(dir.resolve("wrk-many-1.json"), "{\"rps\": 950.0}");

    CapacityReport.write(dir, 4, 1);

    JsonNode all = new ObjectMapper().readTree(dir.resolve("capacity.json").toFile());
    assertThat(all.path("heap").path("loadedOne").asInt()).isEqualTo(1);
    assertThat(all.path("heap").path("loadedMany").asInt()).isEqualTo(4);
    assertThat(all.path("heap").path("perVersionMiB").asDouble()).isEqualTo(2.5);
    assertThat(all.path("startupMillis").path("median").asLong()).isEqualTo(2500);
    assertThat(all.path("throughputRatioMedian").asDouble()).isEqualTo(0.95);
    assertThat(Files.readString(dir.resolve("capacity.md")))
        .contains("| heap per loaded version, MiB | 2.5 | <= 20 MiB |")
        .contains("0.95x");
  }
}
