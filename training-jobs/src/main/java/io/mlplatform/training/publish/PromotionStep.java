package io.mlplatform.training.publish;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecException;
import io.mlplatform.spec.promotion.PromotionGate;
import io.mlplatform.spec.promotion.PromotionGate.Decision;
import io.mlplatform.spec.promotion.PromotionGate.Rules;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Task;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * After a publish: the promotion gate decides whether the new version becomes {@code production}.
 * The current production version is scored on the new run's held-out rows, the decision is recorded
 * in the model's history either way, and {@code production} moves only when the gate passes.
 * Nothing here can leave {@code production} pointing anywhere but the old or the new version.
 */
public final class PromotionStep {

  /**
   * @param production the production version before the gate, or null when there was none
   * @param productionMetrics that version's metrics on this run's held-out rows, or null when not
   *     measured (no production version, or it could not be scored)
   * @param reason the gate's reason, with the numbers it compared
   */
  public record Outcome(
      boolean promoted, Integer production, Map<String, Double> productionMetrics, String reason) {}

  /**
   * The version a run just published and what the gate judges it on.
   *
   * @param heldOut the run's held-out rows (raw features, label column, indexed label), the same
   *     rows {@code metrics} were computed on
   */
  public record Candidate(
      int version, Task task, Map<String, Double> metrics, Dataset<Row> heldOut) {}

  /** The gate's decision, and production's metrics when they were measured (else null). */
  private record Judged(Decision decision, Map<String, Double> productionMetrics) {}

  private final ModelStore store;
  private final ModelSpec spec;
  private final Consumer<String> progress;

  public PromotionStep(ModelStore store, ModelSpec spec, Consumer<String> progress) {
    this.store = store;
    this.spec = spec;
    this.progress = progress;
  }

  /** The spec's rules, or the defaults of the task; a rule the task cannot meet is a spec error. */
  public static Rules rules(ModelSpec spec, Task task) {
    Rules rules =
        spec.promotion() != null ? spec.promotion() : Rules.defaults(task.isClassification());
    if (task != Task.BINARY_CLASSIFICATION && isBinaryOnly(rules.metric())) {
      throw new SpecException(
          spec.name(),
          List.of(
              "promotion.metric: "
                  + rules.metric()
                  + " exists for two-class"
                  + " labels only; '"
                  + spec.target()
                  + "' has more classes (use accuracy or f1_weighted)"));
    }
    return rules;
  }

  public Outcome run(Rules rules, Candidate candidate) {
    Integer current = store.alias(spec.name(), Layout.PRODUCTION).orElse(null);
    Judged judged = judge(rules, candidate, current);
    Decision decision = record(candidate.version(), current, judged.decision());
    progress.accept(
        decision.promote()
            ? "promotion gate: v"
                + candidate.version()
                + " is now production ("
                + decision.reason()
                + ")"
            : "promotion gate: production stays "
                + label(current)
                + " ("
                + decision.reason()
                + ")");
    return new Outcome(decision.promote(), current, judged.productionMetrics(), decision.reason());
  }

  /** Scores production, if there is one, on the candidate's held-out rows, and asks the gate. */
  private Judged judge(Rules rules, Candidate candidate, Integer production) {
    if (production == null) {
      return new Judged(PromotionGate.decide(rules, candidate.metrics(), Optional.empty()), null);
    }
    progress.accept("scoring production v" + production + " on this run's held-out rows");
    Map<String, Double> productionMetrics = null;
    try {
      productionMetrics =
          ProductionScorer.score(
              store, spec.name(), production, candidate.task(), spec.target(), candidate.heldOut());
      return new Judged(
          PromotionGate.decide(rules, candidate.metrics(), Optional.of(productionMetrics)),
          productionMetrics);
    } catch (ProductionScorer.NotComparableException e) {
      return new Judged(Decision.reject(e.getMessage()), productionMetrics);
    } catch (RuntimeException e) {
      return new Judged(
          Decision.reject(
              "production v"
                  + production
                  + " could not be scored on this run's"
                  + " held-out rows: "
                  + describe(e)),
          productionMetrics);
    }
  }

  /** Records the decision in the model's history and moves production when it passes. */
  private Decision record(int version, Integer current, Decision decision) {
    String model = spec.name();
    try {
      if (decision.promote()) {
        // An operator may have moved production while the gate ran; their choice wins.
        Integer now = store.alias(model, Layout.PRODUCTION).orElse(null);
        if (!Objects.equals(now, current)) {
          decision =
              Decision.reject(
                  "production moved from "
                      + label(current)
                      + " to "
                      + label(now)
                      + " while the gate ran; leaving it there");
        }
      }
      store.recordGateDecision(
          model, Layout.PRODUCTION, version, current, decision.promote(), decision.reason());
      if (decision.promote()) {
        store.setAlias(model, Layout.PRODUCTION, version, "promotion gate: " + decision.reason());
      }
      return decision;
    } catch (StoreException e) {
      throw new StoreException(
          e.kind(),
          model
              + " v"
              + version
              + " is published, but the promotion step failed"
              + " (production is "
              + label(current)
              + " unless the message says otherwise): "
              + e.getMessage(),
          e);
    }
  }

  private static boolean isBinaryOnly(String metric) {
    return io.mlplatform.spec.TuningMetric.fromKey(metric)
        .map(io.mlplatform.spec.TuningMetric::binaryOnly)
        .orElse(false);
  }

  private static String label(Integer version) {
    return version == null ? "unset" : "v" + version;
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String text = root == e ? message : message + " (cause: " + root + ")";
    return text.replaceAll("\\s*\\R\\s*", " ");
  }
}
