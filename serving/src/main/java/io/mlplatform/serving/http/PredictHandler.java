package io.mlplatform.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.mlplatform.serving.metrics.ServingMetrics;
import io.mlplatform.serving.metrics.VersionMetrics;
import io.mlplatform.serving.model.Lease;
import io.mlplatform.serving.model.LoadedModel;
import io.mlplatform.serving.model.ModelEntry;
import io.mlplatform.serving.model.ModelRegistry;
import io.mlplatform.serving.model.Score;
import io.mlplatform.serving.model.Selector;
import io.mlplatform.serving.validation.InvalidRequestException;
import io.mlplatform.serving.validation.RequestValidator;
import java.util.List;

/**
 * The predict routes: read and validate the body, hold one version for the whole request, score
 * every instance in one call, and answer with the version that produced the scores.
 */
final class PredictHandler {

  private final ModelRegistry registry;
  private final JsonBodies bodies;
  private final RequestValidator validator;
  private final ScoringPool pool;
  private final ServingMetrics metrics;
  private final long timeoutNanos;

  PredictHandler(ModelRegistry registry, JsonBodies bodies, RequestValidator validator, ScoringPool pool,
      ServingMetrics metrics, long timeoutNanos) {
    this.registry = registry;
    this.bodies = bodies;
    this.validator = validator;
    this.pool = pool;
    this.metrics = metrics;
    this.timeoutNanos = timeoutNanos;
  }

  void byDefault(Context ctx) {
    handle(ctx, Selector.DEFAULT);
  }

  void byVersion(Context ctx) {
    handle(ctx, PathParams.version(ctx));
  }

  void byLabel(Context ctx) {
    handle(ctx, PathParams.label(ctx));
  }

  private void handle(Context ctx, Selector selector) {
    long start = RequestIds.startNanos(ctx);
    ModelEntry entry = PathParams.entry(registry, ctx);
    JsonNode body = bodies.read(ctx);
    // The version is chosen after the body arrived: a slow upload does not pin an old version.
    try (Lease lease = registry.lease(entry.name(), selector)) {
      LoadedModel model = lease.model();
      AccessLog.model(ctx, model);
      VersionMetrics series = metrics.version(model);
      boolean modelFailed = false;
      try {
        List<Object[]> rows = validator.validate(body, model.inputs());
        AccessLog.instances(ctx, rows.size());
        List<Score> scores = pool.score(lease, rows, start + timeoutNanos);
        ctx.json(PredictResponse.of(model.manifest(), scores));
        series.scored(scores);
      } catch (InvalidRequestException e) {
        series.error(ErrorKind.INVALID_REQUEST.code());
        throw e;
      } catch (ApiException e) {
        // A timeout counts against the version (a slow model is a failing one); overload does not.
        modelFailed = e.kind() == ErrorKind.TIMEOUT;
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
        series.request((System.nanoTime() - start) / 1e9);
        registry.recordOutcome(model, modelFailed);
      }
    }
  }
}
