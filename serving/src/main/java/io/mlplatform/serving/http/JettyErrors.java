package io.mlplatform.serving.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before Javalin sees the request (a malformed URI, headers too large) get the
 * same JSON body and {@code X-Request-Id} as every other error, instead of Jetty's HTML page.
 */
final class JettyErrors extends ErrorHandler {

  private final ObjectMapper mapper;

  JettyErrors(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int status,
      String message,
      Throwable cause,
      Callback callback) {
    // A protocol version Jetty cannot speak (HTTP/9.9) is a malformed request, not a fault of this
    // service: answered 400 so that a 5xx always means something here went wrong.
    int code =
        status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505 ? HttpStatus.BAD_REQUEST_400 : status;
    response.setStatus(code);
    String id = UUID.randomUUID().toString();
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(RequestIds.HEADER, id);
    if (ErrorKind.forStatus(code).retryable()) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, ErrorResponder.RETRY_AFTER_SECONDS);
    }
    response.write(true, ByteBuffer.wrap(body(code, id)), callback);
  }

  /** Jetty's reason phrase only: its detail messages can quote the offending request. */
  private byte[] body(int status, String id) {
    ErrorKind kind = ErrorKind.forStatus(status);
    String message = HttpStatus.getMessage(status);
    try {
      return mapper.writeValueAsBytes(new ErrorBody(kind.code(), message, List.of(), id));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an error body", e);
    }
  }
}
