package io.mlplatform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.mlplatform.bench.load.LoadResult;
import io.mlplatform.bench.load.OpenLoopLoad;
import io.mlplatform.bench.report.ServingReport;
import io.mlplatform.bench.report.TrainingReport;
import io.mlplatform.bench.training.SyntheticData;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark tools on tiny sizes, so that CI catches a broken generator or report in seconds.
 */
class BenchSmokeTest {

  @TempDir Path dir;

  @Test
  void syntheticDataIsDeterministicAndMixed() throws Exception {
    Path a = dir.resolve("a.csv");
    Path b = dir.resolve("b.csv");
    SyntheticData.write(500, a, 7);
    SyntheticData.write(500, b, 7);
    SyntheticData.write(500, dir.resolve("c.csv"), 8);

    List<String> lines = Files.readAllLines(a);
    assertThat(lines).hasSize(501);
    assertThat(lines.get(0)).isEqualTo(SyntheticData.HEADER);
    assertThat(Files.mismatch(a, b)).isEqualTo(-1);
    assertThat(Files.mismatch(a, dir.resolve("c.csv"))).isNotEqualTo(-1);
    assertThat(lines.subList(1, 501))
        .anyMatch(l -> l.endsWith(",yes"))
        .anyMatch(l -> l.endsWith(",no"));
    assertThat(lines.get(1).split(",")).hasSize(10);
  }

  @Test
  void openLoopLoadKeepsItsRateAndChargesAStallToEveryRequestItDelayed() throws Exception {
    // Without it the JDK server's split header/body writes meet delayed ACKs: 40 ms per answer.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    AtomicInteger seen = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          if (seen.incrementAndGet() == 60) {
            sleep(400); // one stall, in the measured period
          }
          byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/echo");
      LoadResult result =
          OpenLoopLoad.run(
              new OpenLoopLoad.Settings(
                  "smoke",
                  uri,
                  "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                  List.of("X-Bench: 1"),
                  100,
                  1,
                  Duration.ofSeconds(2),
                  Duration.ofMillis(200)));

      assertThat(result.requests()).isBetween(190L, 201L);
      assertThat(result.errors()).isZero();
      // A closed-loop tool records the stall once (1 of 200 requests, below p99). Open loop charges
      // the ~40 requests that were due during it, so p99 and even p90-ish latencies show it.
      assertThat(result.p99Micros()).isGreaterThan(200_000);
      assertThat(result.maxMicros()).isGreaterThanOrEqualTo(400_000);
      assertThat(result.p50Micros()).isLessThan(200_000);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void reportsRenderRatiosAndMarkMissingPieces() throws Exception {
    Files.writeString(dir.resolve("wrk-bare-c1.json"), "{\"rps\": 12500}");
    Files.writeString(
        dir.resolve("wrk-echo-c1.json"),
        "{\"rps\": 10000, \"p50\": 80, \"p99\": 200, \"p999\": 400}");
    Files.writeString(
        dir.resolve("wrk-predict-c1.json"),
        "{\"rps\": 8000, \"p50\": 100, \"p99\": 250, \"p999\": 500}");
    Files.writeString(
        dir.resolve("spark-local.json"), "{\"p50Micros\": 30000, \"p99Micros\": 50000}");
    Files.writeString(
        dir.resolve("open-predict-c1.json"),
        "{\"targetRate\": 500, \"p50Micros\": 120," + " \"p99Micros\": 300, \"p999Micros\": 900}");
    Files.writeString(
        dir.resolve("open-echo-c1.json"),
        "{\"targetRate\": 500, \"p50Micros\": 100," + " \"p99Micros\": 250, \"p999Micros\": 300}");
    Files.writeString(dir.resolve("loadavg-start.txt"), "1.50 1.20 0.90 2/300 1234\n");

    ServingReport.write(dir);

    String md = Files.readString(dir.resolve("serving.md"));
    assertThat(md)
        .contains(
            "| closed loop (wrk), 1 conn: throughput req/s | 12,500 | 10,000 | 8,000 | 0.80x |"
                + " 0.80x |")
        .contains("| echo / bare echo, wrk 1 conn | 0.80x | >= 0.85x | no |")
        .contains("| predict / echo, wrk 1 conn | 0.80x | >= 0.90x | no |")
        .contains("| open loop p99 predict / echo, 1 conn | 1.20x | <= 1.50x | yes |")
        .contains("| open loop p99.9 predict / echo, 1 conn | 3.00x | <= 1.50x | no |")
        .contains("| hot swap p99 / steady p99 (errors n/a) | n/a | <= 1.50x | n/a |");
    assertThat(md)
        .contains("| Spark local p50 / our p50 (open loop, 1 conn; target >= 100x) | 250.00x |");
    assertThat(md).contains("closed loop (wrk), 16 conn: throughput req/s | n/a | n/a | n/a | n/a");
    assertThat(md).contains("load average (1/5/15 min) 1.50 1.20 0.90 at start");
    assertThat(Files.readString(dir.resolve("serving.json")))
        .contains("\"wrk-echo-c1\"")
        .contains("\"machine\"");

    Files.writeString(
        dir.resolve("platform-1000.jsonl"),
        "{\"model\":\"m\",\"version\":1,\"phases\":{\"load\":2.0,\"fit\":6.0,\"export\":0.1},\"totalSeconds\":8.0}\n");
    Files.writeString(
        dir.resolve("plain-1000.json"),
        "{\"phases\":{\"load\":1.0,\"fit\":4.0},\"totalSeconds\":5.0}");
    Files.writeString(
        dir.resolve("platform-10000.jsonl"),
        "{\"model\":\"m\",\"version\":2,\"phases\":{\"load\":3.0,\"fit\":12.0,\"export\":2.0},\"totalSeconds\":15.0}\n");
    Files.writeString(
        dir.resolve("plain-10000.json"),
        "{\"phases\":{\"load\":2.0,\"fit\":8.0},\"totalSeconds\":10.0}");

    TrainingReport.write(dir, List.of(1000L, 10000L));

    String training = Files.readString(dir.resolve("training.md"));
    assertThat(training)
        .contains("| 1,000 | fit | 6.00 | 4.00 | 1.50 |")
        .contains("| 10,000 | total | 15.00 | 10.00 | 1.50 |");
    assertThat(training)
        .contains("(10.00x the rows)")
        .contains("| fit | 2.00x | 2.00x | yes |")
        .as("a phase the plain program lacks, growing faster than the rows")
        .contains("| export | 20.00x | n/a | no |");
  }

  @Test
  void predictionLogRoundsAreComparedToLogOffOfTheSameRound() throws Exception {
    // off, on, down, hung per round
    double[][] rps = {{10_000, 9_000, 9_900, 10_000}, {8_000, 7_600, 7_900, 8_000}};
    double[][] p99 = {{1_000, 1_100, 1_000, 1_000}, {2_000, 2_000, 2_400, 2_000}};
    String[] modes = {"off", "on", "down", "hung"};
    for (int r = 0; r < 2; r++) {
      for (int m = 0; m < 4; m++) {
        String name = "plog-" + modes[m] + "-r" + (r + 1);
        Files.writeString(dir.resolve(name + "-wrk.json"), "{\"rps\": " + rps[r][m] + "}");
        Files.writeString(
            dir.resolve(name + "-open.json"),
            "{\"targetRate\": 4000, \"p50Micros\": 100, \"p99Micros\": "
                + p99[r][m]
                + ", \"errors\": 0}");
      }
    }
    Files.writeString(
        dir.resolve("plog-on-metrics.txt"),
        """
        mlp_prediction_log_records_total{kind="prediction"} 1000.0
        mlp_prediction_log_records_total{kind="feedback"} 0.0
        mlp_prediction_log_dropped_total{reason="queue_full"} 5.0
        mlp_prediction_log_dropped_total{reason="sink_error"} 0.0
        """);
    Files.writeString(
        dir.resolve("plog-down-metrics.txt"),
        """
        mlp_prediction_log_records_total{kind="prediction"} 0.0
        mlp_prediction_log_dropped_total{reason="queue_full"} 990.0
        mlp_prediction_log_dropped_total{reason="sink_error"} 10.0
        """);
    Files.writeString(dir.resolve("plog-on-files.txt"), "3 1000\n");

    ServingReport.write(dir);

    String md = Files.readString(dir.resolve("serving.md"));
    assertThat(md)
        .contains("| log off | log on (local files, sampleRate 1) | sink down (HDFS refuses) |");
    // Ratios per round (0.90 and 0.95 for on), then their median.
    assertThat(md)
        .contains("| closed loop (wrk): throughput req/s | 9,000 | 8,300 (0.93x) | 8,900 (0.99x) |")
        .contains("| open loop at 4,000 req/s: p99 us | 1,500 | 1,550 (1.05x) | 1,700 (1.10x) |")
        .contains(
            "| records written / dropped (queue_full, sink_error) | | 1,000 / 5, 0 | 0 / 990, 10 |")
        .contains("| published files / lines in them | | 3 / 1,000 | |");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
