package io.mlplatform.serving.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.config.MonitoringSection;
import io.mlplatform.serving.lifecycle.LoadedModel;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.store.format.Distribution;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drift and feedback for every loaded version of every model. The predict path calls {@link
 * #scored}; reads ({@link #report}, metrics scrapes) compute PSI from the live counts. Alerts are
 * evaluated on reads and every {@link #CHECK_EVERY} rows, and logged only when a column's state
 * changes, so a drifted feature logs once, not once per request.
 */
public final class DriftMonitor {

  private static final Logger LOG = LoggerFactory.getLogger(DriftMonitor.class);
  static final int CHECK_EVERY = 256;
  private static final String INSTANCES = "instances";

  private final MonitoringSection config;
  private final FeedbackLedger ledger;
  private final FeedbackTokens tokens;
  private final RecentIds recentTokens = new RecentIds();
  private final Map<FeedbackException.Reason, LongAdder> refused =
      new EnumMap<>(FeedbackException.Reason.class);
  // LoadedModel keeps identity equality: one monitor per loaded instance of a version.
  private final Map<LoadedModel, VersionMonitor> versions = new ConcurrentHashMap<>();

  public DriftMonitor(MonitoringSection config) {
    this(
        config,
        FeedbackTokens.from(
            config.feedbackSigningKeys(), config.feedbackRetention(), Clock.systemUTC()));
  }

  public DriftMonitor(MonitoringSection config, FeedbackTokens tokens) {
    this.config = config;
    this.tokens = tokens;
    this.ledger =
        new FeedbackLedger(
            config.feedbackMaxRequests(),
            config.feedbackMaxBytes(),
            config.feedbackRetention(),
            System::nanoTime,
            System::currentTimeMillis);
    for (FeedbackException.Reason reason : FeedbackException.Reason.values()) {
      refused.put(reason, new LongAdder());
    }
  }

  public MonitoringSection config() {
    return config;
  }

  /**
   * After a successful predict: counts the instances and keeps the predictions for feedback by
   * request id.
   *
   * @param caller the calling key's name: only that key may give feedback by request id
   * @param scores one per instance of {@code body}; null for an invalid instance of a partial
   *     request
   */
  public void scored(
      LoadedModel model, String requestId, String caller, JsonNode body, List<Score> scores) {
    VersionMonitor monitor = monitor(model);
    if (monitor == null) {
      return;
    }
    try {
      long before = monitor.window().rowsSeen();
      monitor.record(body.get(INSTANCES), scores);
      if ((before + scores.size()) / CHECK_EVERY != before / CHECK_EVERY) {
        evaluate(monitor);
      }
      ledger.remember(requestId, caller, monitor, scores);
    } catch (RuntimeException e) {
      // The caller already has its answer; monitoring must never turn it into an error.
      LOG.warn(
          "drift monitoring of {} v{} failed for one request", model.name(), model.version(), e);
    }
  }

  /**
   * One feedback token per instance, aligned with {@code scores} (null for an invalid instance), or
   * null when this version takes no feedback (its manifest has no monitoring reference).
   */
  public String[] tokens(LoadedModel model, List<Score> scores) {
    if (monitor(model) == null) {
      return null;
    }
    long now = tokens.now();
    String[] issued = new String[scores.size()];
    for (int i = 0; i < issued.length; i++) {
      Score score = scores.get(i);
      if (score != null) {
        issued[i] = tokens.issue(model.name(), model.version(), score.prediction(), now);
      }
    }
    return issued;
  }

  /**
   * Verifies a feedback token posted for {@code model}.
   *
   * @throws FeedbackException when it is malformed, forged or altered, expired, or for another
   *     model
   */
  public FeedbackTokens.Claim verify(String model, String token) {
    try {
      FeedbackTokens.Claim claim = tokens.verify(token);
      if (!claim.model().equals(model)) {
        throw new FeedbackException(
            FeedbackException.Reason.OTHER_MODEL,
            "'token' was issued for a prediction of model '"
                + claim.model()
                + "' v"
                + claim.version()
                + ", not '"
                + model
                + "': post it to /v1/models/"
                + claim.model()
                + "/feedback");
      }
      return claim;
    } catch (FeedbackException e) {
      refused.get(e.reason()).increment();
      throw e;
    }
  }

  /**
   * Applies ground truth for the instance a verified token describes.
   *
   * @param model the loaded version the token names
   */
  public FeedbackLedger.Applied feedback(
      LoadedModel model, FeedbackTokens.Claim claim, JsonNode label) {
    try {
      VersionMonitor monitor = monitor(model);
      if (monitor == null) {
        // Tokens are only issued for versions with a reference; a manifest does not change.
        throw new FeedbackException(
            FeedbackException.Reason.INVALID,
            model.name() + " v" + model.version() + " takes no feedback: it has no reference");
      }
      VersionMonitor.Judged judged = monitor.judge(claim.prediction(), label);
      if (!recentTokens.firstTime(claim.fingerprint())) {
        throw new FeedbackException(
            FeedbackException.Reason.CONFLICT,
            "feedback for this token (" + claim.id() + ") was already received by this replica");
      }
      monitor.feedback(judged.correct(), judged.error());
      return new FeedbackLedger.Applied(
          monitor.model(),
          monitor.version(),
          claim.id(),
          claim.issued().toString(),
          null,
          null,
          monitor.predicted(claim.prediction()),
          judged.truth(),
          judged.correct(),
          monitor.feedbackCount(),
          monitor.feedbackMetric(),
          monitor.feedbackValue(),
          claim.prediction());
    } catch (FeedbackException e) {
      refused.get(e.reason()).increment();
      throw e;
    }
  }

  /**
   * Applies ground truth for one instance of an earlier predict request of {@code model} made with
   * the key {@code caller}.
   */
  public FeedbackLedger.Applied feedback(
      String model, String caller, String requestId, Integer index, JsonNode label) {
    try {
      return ledger.apply(model, caller, requestId, index, label);
    } catch (FeedbackException e) {
      refused.get(e.reason()).increment();
      throw e;
    }
  }

  /** Estimated bytes the request-id ledger holds. */
  long ledgerBytes() {
    return ledger.bytes();
  }

  long ledgerEntries() {
    return ledger.size();
  }

  /** Feedback refused so far, by reason. */
  long refused(FeedbackException.Reason reason) {
    return refused.get(reason).sum();
  }

  public MonitoringReport report(LoadedModel model) {
    VersionMonitor m = monitor(model);
    if (m == null) {
      return MonitoringReport.unavailable(
          model.name(),
          model.version(),
          "monitoring is unavailable for "
              + model.name()
              + " v"
              + model.version()
              + ": its manifest has no reference statistics (it was trained"
              + " before drift monitoring existed); train a new version to monitor it");
    }
    evaluate(m);
    List<MonitoringReport.Column> features = new ArrayList<>();
    List<String> alerts = new ArrayList<>();
    for (int c = 0; c < m.columns(); c++) {
      MonitoringReport.Column column = column(m, c);
      if (c < m.columns() - 1) {
        features.add(column);
      }
      if (column.alert()) {
        alerts.add(
            column.name()
                + ": PSI "
                + String.format(Locale.ROOT, "%.3f", column.psi())
                + " >= "
                + config.alertThreshold());
      }
    }
    long n = m.feedbackCount();
    long recent = m.recentCount();
    return new MonitoringReport(
        m.model(),
        m.version(),
        true,
        null,
        new MonitoringReport.Window(
            m.window().rows(), m.window().capacity(), m.window().rowsSeen()),
        config.alertThreshold(),
        config.minRows(),
        features,
        column(m, m.columns() - 1),
        alerts,
        new MonitoringReport.Feedback(
            n,
            m.feedbackMetric(),
            n == 0 ? null : m.feedbackValue(),
            new MonitoringReport.Recent(
                recent, config.feedbackWindow(), recent == 0 ? null : m.recentValue())));
  }

  /** The monitors of versions still loaded; released ones are dropped here, lazily. */
  List<VersionMonitor> live() {
    versions.keySet().removeIf(LoadedModel::released);
    return List.copyOf(versions.values());
  }

  /** PSI of a column for metrics and alerts, or null while the window is too small. */
  Double psi(VersionMonitor m, int c) {
    return m.psi(c, config.minRows());
  }

  private VersionMonitor monitor(LoadedModel model) {
    if (model.manifest().monitoring() == null) {
      return null;
    }
    VersionMonitor found = versions.get(model);
    if (found != null) {
      return found;
    }
    // A new version was loaded: drop the monitors of released ones even if nobody reads metrics.
    versions.keySet().removeIf(LoadedModel::released);
    return versions.computeIfAbsent(
        model, m -> new VersionMonitor(m.manifest(), config.window(), config.feedbackWindow()));
  }

  private void evaluate(VersionMonitor m) {
    for (int c = 0; c < m.columns(); c++) {
      Double psi = psi(m, c);
      boolean on = psi != null && psi >= config.alertThreshold();
      if (m.alert(c, on)) {
        String what =
            m.model()
                + " v"
                + m.version()
                + " "
                + (c == m.columns() - 1 ? "prediction" : "feature '" + m.column(c).name() + "'");
        if (on) {
          LOG.warn(
              "drift alert: {} PSI {} >= threshold {} over the last {} rows",
              what,
              String.format(Locale.ROOT, "%.3f", psi),
              config.alertThreshold(),
              m.window().rows());
        } else {
          LOG.info(
              "drift recovered: {} PSI {} below threshold {}",
              what,
              psi == null ? "n/a" : String.format(Locale.ROOT, "%.3f", psi),
              config.alertThreshold());
        }
      }
    }
  }

  private MonitoringReport.Column column(VersionMonitor m, int c) {
    Distribution d = m.column(c);
    long[] live = m.live(c);
    long total = live[live.length - 1];
    double[] reference = m.reference(c);
    List<String> labels = d.labels();
    List<MonitoringReport.Bin> bins = new ArrayList<>(labels.size());
    for (int b = 0; b < labels.size(); b++) {
      bins.add(
          new MonitoringReport.Bin(
              labels.get(b), reference[b], total == 0 ? 0 : live[b] / (double) total));
    }
    return new MonitoringReport.Column(
        d.name(), d.kind().name().toLowerCase(Locale.ROOT), psi(m, c), m.alerting(c), bins);
  }
}
