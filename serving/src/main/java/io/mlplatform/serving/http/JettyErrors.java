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
 * Errors Jetty answers before Javalin sees the request (a malformed URI, headers too large) get
 * the same JSON body and {@code X-Request-Id} as every other error, instead of Jetty's HTML page.
 */
final class JettyErrors extends ErrorHandler {

  private final ObjectMapper mapper;

  JettyErrors(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  protected void generateResponse(
      Request request, Response response, int code, String message, Throwable cause, Callback callback) {
    String id = UUID.randomUUID().toString();
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(RequestIds.HEADER, id);
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
