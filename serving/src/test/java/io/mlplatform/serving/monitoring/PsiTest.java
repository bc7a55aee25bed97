package io.mlplatform.serving.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.store.format.Distribution;
import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.MonitoringReference;
import io.mlplatform.store.format.Outputs;
import io.mlplatform.store.format.Psi;
import io.mlplatform.store.format.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** PSI, the live window and the feedback ledger, without a server. */
class PsiTest {

  @Test
  void psiIsZeroForTheSameSharesAndMatchesTheFormulaOtherwise() {
    double[] reference = {0.25, 0.25, 0.5};

    assertThat(Psi.of(reference, new long[] {25, 25, 50}, 100)).isCloseTo(0.0, within(1e-12));
    double expected =
        (0.5 - 0.25) * Math.log(0.5 / 0.25)
            + (0.25 - 0.25) * 0
            + (0.25 - 0.5) * Math.log(0.25 / 0.5);
    assertThat(Psi.of(reference, new long[] {50, 25, 25}, 100)).isCloseTo(expected, within(1e-12));
  }

  @Test
  void anEmptyBinCountsWithEpsilonInsteadOfBreakingTheLogarithm() {
    // Training never saw the null bin; live traffic fills it.
    double psi = Psi.of(new double[] {1.0, 0.0}, new long[] {50, 50}, 100);

    double expected =
        (0.5 - 1.0) * Math.log(0.5) + (0.5 - Psi.EPSILON) * Math.log(0.5 / Psi.EPSILON);
    assertThat(psi).isCloseTo(expected, within(1e-12)).isGreaterThan(2);
  }

  @Test
  void theWindowKeepsOnlyTheLastRows() {
    LiveWindow window = new LiveWindow(4, new int[] {3});
    for (int bin : new int[] {0, 0, 0, 0, 1, 2}) {
      window.put(window.nextSlot(), 0, bin);
    }

    assertThat(window.counts(0)).containsExactly(2, 1, 1, 4);
    assertThat(window.rows()).isEqualTo(4);
    assertThat(window.rowsSeen()).isEqualTo(6);
  }

  @Test
  void feedbackExpiresAfterTheRetentionAndOldestRequestsGoFirst() {
    AtomicLong now = new AtomicLong();
    FeedbackLedger ledger =
        new FeedbackLedger(
            2, Long.MAX_VALUE, Duration.ofSeconds(10), now::get, System::currentTimeMillis);
    VersionMonitor monitor = new VersionMonitor(regressor(), 100, 100);
    List<Score> one = List.of(new Score(10.0, null));

    ledger.remember("a", "app", monitor, one);
    ledger.remember("b", "app", monitor, one);
    ledger.remember("c", "app", monitor, one);
    assertThat(ledger.size()).isEqualTo(2);
    assertThatUnknown(ledger, "a");
    assertThat(ledger.apply("m", "app", "b", null, IntNode.valueOf(13)).value())
        .isCloseTo(3.0, within(1e-12));
    assertThat(ledger.apply("m", "app", "c", 0, IntNode.valueOf(6)).value())
        .isCloseTo(Math.sqrt((9 + 16) / 2.0), within(1e-12));
    ledger.remember("d", "app", monitor, one);
    now.addAndGet(Duration.ofSeconds(11).toNanos());
    assertThatUnknown(ledger, "d");
    assertThat(ledger.size()).isZero();
    assertThat(catchReason(() -> ledger.apply("m", "app", "x", null, TextNode.valueOf("1"))))
        .isEqualTo(FeedbackException.Reason.UNKNOWN);
  }

  @Test
  void anInvalidInstanceOfAPartialRequestIsNotBinnedAndHasNoPredictionForFeedback() {
    FeedbackLedger ledger =
        new FeedbackLedger(2, Long.MAX_VALUE, Duration.ofSeconds(10), () -> 0L, () -> 0L);
    VersionMonitor monitor = new VersionMonitor(regressor(), 100, 100);
    List<Score> aligned = new ArrayList<>();
    aligned.add(null);
    aligned.add(new Score(10.0, null));
    long before = monitor.window().rowsSeen();

    monitor.record(
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
            .arrayNode()
            .add(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())
            .add(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()),
        aligned);
    ledger.remember("p", "app", monitor, aligned);

    assertThat(monitor.window().rowsSeen() - before).isEqualTo(1);
    assertThat(catchReason(() -> ledger.apply("m", "app", "p", 0, IntNode.valueOf(13))))
        .isEqualTo(FeedbackException.Reason.INVALID);
    assertThat(ledger.apply("m", "app", "p", 1, IntNode.valueOf(13)).value())
        .isCloseTo(3.0, within(1e-12));
  }

  @Test
  void anIntegerForACategoricalColumnIsBinnedAsTheTextServingScoresNotAsADouble() {
    Distribution title =
        new Distribution(
            "title",
            Distribution.Kind.CATEGORICAL,
            List.of(),
            List.of("1776", "x"),
            List.of(0.5, 0.5, 0.0, 0.0),
            2);
    Distribution x =
        new Distribution(
            "x", Distribution.Kind.NUMERIC, List.of(1.0), List.of(), List.of(0.5, 0.5, 0.0), 2);
    Distribution p =
        new Distribution(
            "prediction", Distribution.Kind.NUMERIC, List.of(), List.of(), List.of(1.0, 0.0), 2);
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT_VERSION,
            "m",
            1,
            "2026-01-01T00:00:00Z",
            Task.REGRESSION,
            List.of(
                new InputField("title", FieldType.STRING, true, "__missing__", "json"),
                new InputField("x", FieldType.DOUBLE, true, 0.0, "json")),
            new Outputs("prediction", null, List.of()),
            null,
            null,
            "3.5.7",
            "0.16.0",
            null,
            null,
            new MonitoringReference(List.of(title, x), p));
    VersionMonitor monitor = new VersionMonitor(manifest, 100, 100);
    var json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

    monitor.record(
        json.arrayNode().add(json.objectNode().put("title", 1776).put("x", "2.5")),
        List.of(new Score(1.0, null)));

    assertThat(monitor.window().counts(0)).startsWith(1L, 0L, 0L, 0L);
    assertThat(monitor.window().counts(1)).startsWith(0L, 1L, 0L);
  }

  @Test
  void theRecentFeedbackMetricCoversOnlyTheLastFeedbacks() {
    VersionMonitor monitor = new VersionMonitor(regressor(), 100, 3);
    assertThat(monitor.recentCount()).isZero();
    assertThat(monitor.recentValue()).isNaN();

    for (double error : new double[] {4, 4, 1, 1, 1}) {
      monitor.feedback(false, error);
    }

    // RMSE of everything: sqrt((16 + 16 + 1 + 1 + 1) / 5); of the last three: 1.
    assertThat(monitor.feedbackCount()).isEqualTo(5);
    assertThat(monitor.feedbackValue()).isCloseTo(Math.sqrt(35 / 5.0), within(1e-12));
    assertThat(monitor.recentCount()).isEqualTo(3);
    assertThat(monitor.recentValue()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void concurrentRequestsKeepTheLedgerBoundedAndTheNewestRequestsKnown() throws Exception {
    FeedbackLedger ledger =
        new FeedbackLedger(
            100, Long.MAX_VALUE, Duration.ofHours(1), System::nanoTime, System::currentTimeMillis);
    VersionMonitor monitor = new VersionMonitor(regressor(), 100, 100);
    List<Score> one = List.of(new Score(10.0, null));
    int threads = 4;
    int perThread = 5_000;
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int worker = t;
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  ledger.remember(worker + "-" + i, "app", monitor, one);
                }
              });
      thread.start();
      workers.add(thread);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(ledger.size()).isEqualTo(100);
    // The byte count stays the sum of what is held: racing trimmers neither lose nor repeat one.
    assertThat(ledger.bytes())
        .isBetween(
            100L * FeedbackLedger.estimate("0-0", 1), 100L * FeedbackLedger.estimate("0-4999", 1));
    ledger.remember("last", "app", monitor, one);

    assertThat(ledger.size()).isEqualTo(100);
    assertThatUnknown(ledger, "0-0");
    assertThat(ledger.apply("m", "app", "last", null, IntNode.valueOf(10)).count()).isEqualTo(1);
  }

  private static void assertThatUnknown(FeedbackLedger ledger, String id) {
    assertThat(catchReason(() -> ledger.apply("m", "app", id, null, IntNode.valueOf(1))))
        .isEqualTo(FeedbackException.Reason.UNKNOWN);
  }

  private static FeedbackException.Reason catchReason(Runnable r) {
    try {
      r.run();
    } catch (FeedbackException e) {
      return e.reason();
    }
    throw new AssertionError("no FeedbackException");
  }

  private static Manifest regressor() {
    Distribution x =
        new Distribution(
            "x", Distribution.Kind.NUMERIC, List.of(1.0), List.of(), List.of(0.5, 0.5, 0.0), 2);
    Distribution p =
        new Distribution(
            "prediction", Distribution.Kind.NUMERIC, List.of(), List.of(), List.of(1.0, 0.0), 2);
    return new Manifest(
        Manifest.FORMAT_VERSION,
        "m",
        1,
        "2026-01-01T00:00:00Z",
        Task.REGRESSION,
        List.of(new InputField("x", FieldType.DOUBLE, true, 0.0)),
        new Outputs("prediction", null, List.of()),
        null,
        null,
        "3.5.7",
        "0.16.0",
        null,
        null,
        new MonitoringReference(List.of(x), p));
  }
}
