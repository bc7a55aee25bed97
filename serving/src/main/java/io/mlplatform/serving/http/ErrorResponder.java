package io.mlplatform.serving.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.mlplatform.serving.lifecycle.SelectionException;
import io.mlplatform.serving.validation.InvalidRequestException;
import io.mlplatform.serving.validation.Violation;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become responses. Bodies carry a kind, a message written by this
 * code, the offending fields and the request id: never the input, never a stack trace.
 */
final class ErrorResponder {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);
  // Overload and timeouts clear within a second or two; a load balancer retries elsewhere sooner.
  static final String RETRY_AFTER_SECONDS = "1";
  private static final String INTERNAL_MESSAGE =
      "internal error; the server log has the details under this requestId";

  private final ObjectMapper mapper;

  ErrorResponder(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  void register(JavalinConfig config) {
    config.routes.exception(
        ApiException.class, (e, ctx) -> respond(ctx, e.kind(), e.getMessage(), e.details()));
    config.routes.exception(
        InvalidRequestException.class,
        (e, ctx) -> respond(ctx, ErrorKind.INVALID_REQUEST, e.getMessage(), e.violations()));
    config.routes.exception(
        SelectionException.class,
        (e, ctx) -> respond(ctx, kindOf(e.reason()), e.getMessage(), List.of()));
    // Javalin's own exceptions (no route, body too large): their messages repeat the path, so
    // each kind gets a fixed message instead.
    config.routes.exception(
        HttpResponseException.class,
        (e, ctx) ->
            respond(
                ctx, ErrorKind.forStatus(e.getStatus()), fixedMessage(e.getStatus()), List.of()));
    config.routes.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("request {} {} {} failed", RequestIds.of(ctx), ctx.method(), ctx.path(), e);
          respond(ctx, ErrorKind.INTERNAL, INTERNAL_MESSAGE, List.of());
        });
    config.router.javaLangErrorHandler(this::respondToError);
  }

  private void respond(Context ctx, ErrorKind kind, String message, List<Violation> details) {
    AccessLog.error(ctx, kind);
    if (kind == ErrorKind.UNAUTHORIZED) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"mlplatform\"");
    }
    if (kind.retryable()) {
      ctx.header("Retry-After", RETRY_AFTER_SECONDS);
    }
    ctx.status(kind.status())
        .json(new ErrorBody(kind.code(), message, details, RequestIds.of(ctx)));
  }

  static ErrorKind kindOf(SelectionException.Reason reason) {
    return switch (reason) {
      case MODEL_NOT_FOUND -> ErrorKind.MODEL_NOT_FOUND;
      case VERSION_NOT_FOUND -> ErrorKind.VERSION_NOT_FOUND;
      case ALIAS_NOT_FOUND -> ErrorKind.ALIAS_NOT_FOUND;
      case REFUSED -> ErrorKind.VERSION_REFUSED;
      case UNAVAILABLE -> ErrorKind.MODEL_UNAVAILABLE;
    };
  }

  /** Errors such as OutOfMemoryError reach here with only the servlet response at hand. */
  private void respondToError(HttpServletResponse res, Error error) {
    String id = res.getHeader(RequestIds.HEADER);
    LOG.error("request {} failed with {}", id, error.getClass().getName(), error);
    try {
      byte[] body =
          mapper.writeValueAsBytes(
              new ErrorBody(ErrorKind.INTERNAL.code(), INTERNAL_MESSAGE, List.of(), id));
      res.setStatus(ErrorKind.INTERNAL.status());
      res.setContentType("application/json");
      res.getOutputStream().write(body);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot answer request {} after {}", id, error.getClass().getName());
    }
  }

  private static String fixedMessage(int status) {
    return switch (ErrorKind.forStatus(status)) {
      case NOT_FOUND -> "no such endpoint";
      case METHOD_NOT_ALLOWED -> "method not allowed on this endpoint";
      case PAYLOAD_TOO_LARGE -> "request body is too large";
      case UNSUPPORTED_MEDIA_TYPE -> "Content-Type must be application/json";
      case UNAVAILABLE -> "the service is not accepting requests; retry later";
      case INVALID_REQUEST -> "invalid request";
      default -> INTERNAL_MESSAGE;
    };
  }
}
