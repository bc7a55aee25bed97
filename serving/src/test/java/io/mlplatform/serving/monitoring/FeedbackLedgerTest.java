package io.mlplatform.serving.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import io.mlplatform.serving.scoring.Score;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Feedback by request id: scoped by model and calling key, bounded by bytes and time. */
class FeedbackLedgerTest {

  private static final TextNode ADELIE = TextNode.valueOf("Adelie");
  private static final TextNode GENTOO = TextNode.valueOf("Gentoo");

  private final AtomicLong nanos = new AtomicLong();
  private final VersionMonitor penguins = Monitors.classifier("penguins", 3);
  private final VersionMonitor birds = Monitors.classifier("birds", 1);

  @Test
  void oneRequestIdUsedForTwoModelsReachesBoth() {
    FeedbackLedger ledger = ledger(100, 1_000_000);
    ledger.remember("trace-1", "app", penguins, scores(0));
    ledger.remember("trace-1", "app", birds, scores(2));

    FeedbackLedger.Applied first = ledger.apply("penguins", "app", "trace-1", null, ADELIE);
    FeedbackLedger.Applied second = ledger.apply("birds", "app", "trace-1", null, GENTOO);

    assertThat(first.model()).isEqualTo("penguins");
    assertThat(first.version()).isEqualTo(3);
    assertThat(first.correct()).isTrue();
    assertThat(second.model()).isEqualTo("birds");
    assertThat(second.correct()).isTrue();
    assertThat(first.id()).isEqualTo("trace-1#0");
    assertThat(Instant.parse(first.at())).isBetween(Instant.now().minusSeconds(60), Instant.now());
  }

  @Test
  void anotherKeyCanNeitherReachNorPreemptTheFeedback() {
    FeedbackLedger ledger = ledger(100, 1_000_000);
    ledger.remember("trace-1", "app", penguins, scores(0));

    assertThatThrownBy(() -> ledger.apply("penguins", "intruder", "trace-1", null, GENTOO))
        .isInstanceOfSatisfying(
            FeedbackException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FeedbackException.Reason.UNKNOWN);
              assertThat(e.getMessage()).contains("key 'intruder'");
            });
    // Its own key still gives it, once.
    assertThat(ledger.apply("penguins", "app", "trace-1", null, ADELIE).correct()).isTrue();
    assertThat(penguins.feedbackCount()).isEqualTo(1);
  }

  @Test
  void anotherKeysRequestUnderTheSameIdDoesNotReplaceIt() {
    FeedbackLedger ledger = ledger(100, 1_000_000);
    ledger.remember("trace-1", "app", penguins, scores(0));
    ledger.remember("trace-1", "intruder", penguins, scores(2, 2, 2));

    assertThat(ledger.apply("penguins", "app", "trace-1", null, ADELIE).correct()).isTrue();
    assertThat(ledger.apply("penguins", "intruder", "trace-1", 2, GENTOO).correct()).isTrue();
  }

  @Test
  void thousandInstanceBatchesGrowTheLedgerByBytesUpToTheCapOnly() {
    int perBatch = FeedbackLedger.estimate("request-00", 1000);
    long cap = 5L * perBatch + perBatch / 2;
    FeedbackLedger ledger = ledger(100_000, cap);

    List<Long> sizes = new ArrayList<>();
    for (int r = 0; r < 20; r++) {
      ledger.remember(String.format("request-%02d", r), "app", penguins, scores(new int[1000]));
      sizes.add(ledger.bytes());
    }

    assertThat(perBatch).isGreaterThan(12_000);
    assertThat(sizes.subList(0, 5))
        .containsExactly(1L * perBatch, 2L * perBatch, 3L * perBatch, 4L * perBatch, 5L * perBatch);
    assertThat(sizes.subList(5, 20)).allSatisfy(b -> assertThat(b).isEqualTo(5L * perBatch));
    assertThat(ledger.size()).isEqualTo(5);
    assertThat(ledger.apply("penguins", "app", "request-19", 999, ADELIE).correct()).isTrue();
    assertThatThrownBy(() -> ledger.apply("penguins", "app", "request-14", 0, ADELIE))
        .hasMessageContaining("feedbackMaxBytes");
  }

  @Test
  void aRequestLargerThanTheWholeLedgerIsNotKeptAndEvictsNothing() {
    FeedbackLedger ledger = ledger(100, FeedbackLedger.estimate("small", 1) * 3L);
    ledger.remember("small", "app", penguins, scores(0));

    ledger.remember("huge", "app", penguins, scores(new int[1000]));

    assertThat(ledger.size()).isEqualTo(1);
    assertThat(ledger.bytes()).isEqualTo(FeedbackLedger.estimate("small", 1));
    assertThat(ledger.apply("penguins", "app", "small", null, ADELIE).correct()).isTrue();
  }

  @Test
  void expiredRequestsAreDroppedAndTheirBytesReturned() {
    FeedbackLedger ledger = ledger(100, 1_000_000);
    ledger.remember("old", "app", penguins, scores(0, 1));
    nanos.addAndGet(Duration.ofMinutes(61).toNanos());
    ledger.remember("new", "app", penguins, scores(0));

    assertThat(ledger.size()).isEqualTo(1);
    assertThat(ledger.bytes()).isEqualTo(FeedbackLedger.estimate("new", 1));
    assertThatThrownBy(() -> ledger.apply("penguins", "app", "old", 0, ADELIE))
        .hasMessageContaining("unknown or expired");
  }

  @Test
  void theCountBoundStillHolds() {
    FeedbackLedger ledger = ledger(2, 1_000_000);
    for (int r = 0; r < 5; r++) {
      ledger.remember("r" + r, "app", penguins, scores(0));
    }
    assertThat(ledger.size()).isEqualTo(2);
    assertThat(ledger.bytes()).isEqualTo(2L * FeedbackLedger.estimate("r0", 1));
  }

  private FeedbackLedger ledger(int maxRequests, long maxBytes) {
    return new FeedbackLedger(
        maxRequests, maxBytes, Duration.ofHours(1), nanos::get, System::currentTimeMillis);
  }

  private static List<Score> scores(int... classes) {
    List<Score> scores = new ArrayList<>(classes.length);
    for (int c : classes) {
      double[] p = {0.1, 0.1, 0.1};
      p[c] = 0.8;
      scores.add(new Score(c, p));
    }
    return Collections.unmodifiableList(scores);
  }
}
