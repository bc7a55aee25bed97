package io.mlplatform.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.mlplatform.serving.lifecycle.Lease;
import io.mlplatform.serving.lifecycle.LoadedModel;
import io.mlplatform.serving.lifecycle.ModelEntry;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.Selector;
import io.mlplatform.serving.metrics.ServingMetrics;
import io.mlplatform.serving.metrics.VersionMetrics;
import io.mlplatform.serving.monitoring.DriftMonitor;
import io.mlplatform.serving.predictionlog.PredictionLog;
import io.mlplatform.serving.routing.Route;
import io.mlplatform.serving.routing.Router;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.serving.validation.InvalidRequestException;
import io.mlplatform.serving.validation.RequestValidator;
import java.util.ArrayList;
import java.util.List;

/**
 * The predict routes: read and validate the body, hold one version for the whole request, score
 * every instance in one call, and answer with the version that produced the scores.
 */
final class PredictHandler {

  private final ModelRegistry registry;
  private final JsonBodies bodies;
  private final JsonWriter json;
  private final RequestValidator validator;
  private final ScoringPool pool;
  private final ServingMetrics metrics;
  private final long timeoutNanos;
  private final Router router;
  private final DriftMonitor drift;
  private final PredictionLog log;

  PredictHandler(
      ModelRegistry registry,
      JsonBodies bodies,
      JsonWriter json,
      RequestValidator validator,
      ScoringPool pool,
      ServingMetrics metrics,
      long timeoutNanos,
      Router router,
      DriftMonitor drift,
      PredictionLog log) {
    this.registry = registry;
    this.bodies = bodies;
    this.json = json;
    this.validator = validator;
    this.pool = pool;
    this.metrics = metrics;
    this.timeoutNanos = timeoutNanos;
    this.router = router;
    this.drift = drift;
    this.log = log;
  }

  /** Only the default route is routed: a caller naming a version or alias gets exactly that one. */
  void byDefault(Context ctx) {
    handle(ctx, Selector.DEFAULT, true, "default");
  }

  void byVersion(Context ctx) {
    handle(ctx, PathParams.version(ctx), false, "version");
  }

  void byAlias(Context ctx) {
    handle(ctx, PathParams.alias(ctx), false, "alias");
  }

  /**
   * @param how the route's name in the prediction log
   */
  private void handle(Context ctx, Selector selector, boolean routed, String how) {
    long start = RequestIds.startNanos(ctx);
    ModelEntry entry = PathParams.entry(registry, ctx);
    JsonNode body = bodies.read(ctx);
    // The timeout counts from here, once the body is in: a slow upload is the caller's time.
    long deadline = System.nanoTime() + timeoutNanos;
    // Checked before a version is held: a bad option is the caller's error whatever the model.
    boolean partial = RequestValidator.partial(body);
    Route route = routed ? router.route(entry) : Route.NONE;
    byte[] response;
    boolean sampled = log.sampled();
    List<Object> outputs = null; // set when sampled, once the answer is ready
    LoadedModel answeredBy;
    long finished;
    // The version is chosen after the body arrived: a slow upload does not pin an old version.
    try (Lease lease = route.lease(registry, entry.name(), selector)) {
      LoadedModel model = lease.model();
      answeredBy = model;
      AccessLog.model(ctx, model);
      VersionMetrics series = metrics.version(model);
      boolean modelFailed = false;
      List<Score> answered = null; // for routing: set once the answer is ready
      long scoring = System.nanoTime();
      long scoringNanos = 0;
      try {
        if (partial) {
          RequestValidator.Checked checked = validator.check(body, model.inputs());
          AccessLog.instances(ctx, checked.rows().size());
          List<Score> scores = scoreValid(lease, checked, deadline);
          scoringNanos = System.nanoTime() - scoring;
          List<Score> aligned = align(checked, scores);
          PredictResponse answer =
              PredictResponse.partial(
                  model.manifest(), checked, aligned, drift.tokens(model, aligned));
          response = json.bytes(answer);
          outputs = sampled ? answer.outputs() : null;
          // The shadow candidate re-validates the whole body all or nothing: only clean requests go
          // there.
          answered = checked.invalid() == 0 ? scores : null;
          series.scored(scores);
          drift.scored(model, RequestIds.of(ctx), AccessControl.caller(ctx), body, aligned);
        } else {
          List<Object[]> rows = validator.validate(body, model.inputs());
          AccessLog.instances(ctx, rows.size());
          List<Score> scores = pool.score(lease, rows, deadline);
          scoringNanos = System.nanoTime() - scoring;
          PredictResponse answer =
              PredictResponse.of(model.manifest(), scores, drift.tokens(model, scores));
          response = json.bytes(answer);
          outputs = sampled ? answer.outputs() : null;
          answered = scores;
          series.scored(scores);
          drift.scored(model, RequestIds.of(ctx), AccessControl.caller(ctx), body, scores);
        }
      } catch (InvalidRequestException e) {
        series.error(ErrorKind.INVALID_REQUEST.code());
        throw e;
      } catch (ApiException e) {
        // A timeout counts against the version only when its own scoring took the time (a slow
        // model is a failing one); waiting for a scoring thread, and overload, do not.
        modelFailed = e.kind() == ErrorKind.TIMEOUT && e.modelAtFault();
        series.error(e.kind().code());
        if (e.kind() == ErrorKind.TIMEOUT || e.kind() == ErrorKind.OVERLOADED) {
          metrics.rejected(e.kind().code());
        }
        throw e;
      } catch (RuntimeException e) {
        modelFailed = true;
        series.error(ErrorKind.INTERNAL.code());
        throw e;
      } finally {
        long end = System.nanoTime();
        finished = end;
        series.request((end - start) / 1e9);
        registry.recordOutcome(model, modelFailed);
        route.done(model, body, answered, scoringNanos > 0 ? scoringNanos : end - scoring);
      }
    }
    if (outputs != null) {
      // Only offered to a queue: the log never delays or fails an answer.
      log.predicted(
          answeredBy.name(),
          answeredBy.version(),
          RequestIds.of(ctx),
          routed && route.candidateAnswered() ? "canary" : how,
          body.get("instances"),
          outputs,
          finished - start);
    }
    // Written last, once nothing can fail any more and the version is released: a client that
    // hangs up while reading does not count against the model.
    json.write(ctx, response);
  }

  private List<Score> scoreValid(Lease lease, RequestValidator.Checked checked, long deadline) {
    if (checked.invalid() == 0) {
      return pool.score(lease, checked.rows(), deadline);
    }
    List<Object[]> valid = new ArrayList<>(checked.rows().size() - checked.invalid());
    for (Object[] row : checked.rows()) {
      if (row != null) {
        valid.add(row);
      }
    }
    return valid.isEmpty() ? List.of() : pool.score(lease, valid, deadline);
  }

  /** One score per instance, null for the invalid ones. */
  private static List<Score> align(RequestValidator.Checked checked, List<Score> scores) {
    if (checked.invalid() == 0) {
      return scores;
    }
    List<Score> aligned = new ArrayList<>(checked.rows().size());
    int next = 0;
    for (Object[] row : checked.rows()) {
      aligned.add(row == null ? null : scores.get(next++));
    }
    return aligned;
  }
}
