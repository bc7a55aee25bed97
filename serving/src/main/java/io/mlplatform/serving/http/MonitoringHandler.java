package io.mlplatform.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.mlplatform.serving.lifecycle.Lease;
import io.mlplatform.serving.lifecycle.ModelEntry;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.SelectionException;
import io.mlplatform.serving.lifecycle.Selector;
import io.mlplatform.serving.monitoring.DriftMonitor;
import io.mlplatform.serving.monitoring.FeedbackException;
import io.mlplatform.serving.monitoring.FeedbackLedger;
import io.mlplatform.serving.monitoring.FeedbackTokens;
import io.mlplatform.serving.predictionlog.PredictionLog;
import java.util.regex.Pattern;

/** {@code GET /v1/models/{name}/monitoring} and {@code POST /v1/models/{name}/feedback}. */
final class MonitoringHandler {

  private static final Pattern VERSION = Pattern.compile("[vV]?([1-9][0-9]{0,8})");

  private final ModelRegistry registry;
  private final JsonBodies bodies;
  private final DriftMonitor monitor;
  private final PredictionLog log;

  MonitoringHandler(
      ModelRegistry registry, JsonBodies bodies, DriftMonitor monitor, PredictionLog log) {
    this.registry = registry;
    this.bodies = bodies;
    this.monitor = monitor;
    this.log = log;
  }

  /** The default route's version, or {@code ?version=N}. */
  void report(Context ctx) {
    ModelEntry entry = PathParams.entry(registry, ctx);
    String version = ctx.queryParam("version");
    Selector selector = Selector.DEFAULT;
    if (version != null) {
      var m = VERSION.matcher(version);
      if (!m.matches()) {
        throw new ApiException(ErrorKind.INVALID_REQUEST, "'version' is a number such as 3 or v3");
      }
      selector = new Selector.Version(Integer.parseInt(m.group(1)));
    }
    try (Lease lease = registry.lease(entry.name(), selector)) {
      ctx.json(monitor.report(lease.model()));
    }
  }

  /**
   * {@code {"token": "...", "label": "Adelie"}} with a prediction's feedbackToken, verified here
   * whichever replica issued it; or {@code {"requestId": "...", "index": 0, "label": "Adelie"}},
   * only on the replica that answered, for the key that asked (index only for batch requests).
   */
  void feedback(Context ctx) {
    ModelEntry entry = PathParams.entry(registry, ctx);
    JsonNode body = bodies.read(ctx);
    if (body == null || !body.isObject()) {
      throw new ApiException(
          ErrorKind.INVALID_REQUEST,
          "request body must be a JSON object such as"
              + " {\"token\": \"<a prediction's feedbackToken>\", \"label\": ...}");
    }
    JsonNode token = body.get("token");
    try {
      FeedbackLedger.Applied applied;
      if (token != null) {
        applied = byToken(entry.name(), body, token);
      } else {
        JsonNode id = body.get("requestId");
        JsonNode index = body.get("index");
        if (id != null && !id.isTextual()
            || index != null && !index.isNull() && !index.canConvertToInt()) {
          throw new ApiException(
              ErrorKind.INVALID_REQUEST, "'requestId' must be a string and 'index' an integer");
        }
        applied =
            monitor.feedback(
                entry.name(),
                AccessControl.caller(ctx),
                id == null ? null : id.textValue(),
                index == null || index.isNull() ? null : index.intValue(),
                body.get("label"));
      }
      if (log.enabled()) {
        log.feedback(applied);
      }
      ctx.json(applied);
    } catch (FeedbackException e) {
      throw new ApiException(kind(e.reason()), e.getMessage());
    }
  }

  private FeedbackLedger.Applied byToken(String model, JsonNode body, JsonNode token) {
    if (!token.isTextual() || token.textValue().isBlank()) {
      throw new ApiException(
          ErrorKind.INVALID_REQUEST,
          "'token' must be a string: the feedbackToken of a prediction, as it was received");
    }
    if (body.has("requestId") || body.has("index")) {
      throw new ApiException(
          ErrorKind.INVALID_REQUEST,
          "send 'token' or 'requestId' (with 'index'), not both: a token names its instance");
    }
    FeedbackTokens.Claim claim = monitor.verify(model, token.textValue());
    Lease lease;
    try {
      lease = registry.lease(model, new Selector.Version(claim.version()));
    } catch (SelectionException e) {
      throw new SelectionException(
          e.reason(),
          "the token is for a prediction of "
              + model
              + " v"
              + claim.version()
              + ", which this replica does not serve now, so its feedback cannot be counted: "
              + e.getMessage());
    }
    try (lease) {
      return monitor.feedback(lease.model(), claim, body.get("label"));
    }
  }

  private static ErrorKind kind(FeedbackException.Reason reason) {
    return switch (reason) {
      case UNKNOWN -> ErrorKind.REQUEST_ID_NOT_FOUND;
      case CONFLICT -> ErrorKind.CONFLICT;
      case INVALID -> ErrorKind.INVALID_REQUEST;
      case MALFORMED_TOKEN -> ErrorKind.MALFORMED_TOKEN;
      case BAD_SIGNATURE -> ErrorKind.INVALID_TOKEN_SIGNATURE;
      case EXPIRED -> ErrorKind.TOKEN_EXPIRED;
      case OTHER_MODEL -> ErrorKind.TOKEN_MODEL_MISMATCH;
    };
  }
}
