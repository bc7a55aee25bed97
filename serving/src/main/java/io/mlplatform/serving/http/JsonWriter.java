package io.mlplatform.serving.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Writes the bodies of the hot routes straight to the response. Javalin's {@code ctx.json()} copies
 * every body through a new 32 KiB buffer (its {@code responseBufferSize}), which the profile of
 * scripts/bench-serving showed as the largest single cost of a one-row predict request.
 */
final class JsonWriter {

  private final ObjectMapper mapper;

  JsonWriter(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Serialises first, so that a body that cannot be written fails before anything is sent. */
  byte[] bytes(Object body) {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the response cannot be written as JSON", e);
    }
  }

  /** The last step of a handler: status and headers must be set before. */
  void write(Context ctx, byte[] body) {
    ctx.contentType(ContentType.APPLICATION_JSON);
    try {
      // Through Javalin's stream, so that large bodies are still compressed when the client asks.
      ctx.outputStream().write(body);
    } catch (IOException e) {
      // The client has gone: there is nobody left to answer.
    }
  }
}
