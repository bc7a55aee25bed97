package io.mlplatform.serving.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/** Reads a request body as JSON: media type first, then a bounded read, then parsing. */
final class JsonBodies {

  // Where a body read ahead of the handler (see readAhead) waits for it.
  private static final String ATTRIBUTE = "mlp.body";
  private final ObjectMapper mapper;
  private final long maxBytes;

  JsonBodies(ObjectMapper mapper, long maxBytes) {
    this.mapper = mapper;
    this.maxBytes = maxBytes;
  }

  JsonNode read(Context ctx) {
    JsonNode read = ctx.attribute(ATTRIBUTE);
    if (read != null) {
      return read;
    }
    requireJson(ctx.header("Content-Type"));
    byte[] body = readBounded(ctx);
    try {
      return mapper.readTree(body);
    } catch (JsonProcessingException e) {
      // Jackson's own message quotes the input; say only where parsing stopped.
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      throw new ApiException(ErrorKind.INVALID_REQUEST, "request body is not valid JSON" + where);
    } catch (IOException e) {
      throw new ApiException(ErrorKind.INVALID_REQUEST, "request body cannot be read");
    }
  }

  /** Reads the body now (before a concurrency permit is taken); {@link #read} then returns it. */
  void readAhead(Context ctx) {
    ctx.attribute(ATTRIBUTE, read(ctx));
  }

  /**
   * Accepts {@code application/json}, with an optional UTF-8 charset (JSON's only interchange
   * encoding).
   */
  static void requireJson(String contentType) {
    String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
    boolean json = parts[0].trim().toLowerCase(Locale.ROOT).equals("application/json");
    for (int i = 1; i < parts.length && json; i++) {
      String[] param = parts[i].trim().toLowerCase(Locale.ROOT).split("=", 2);
      if (param[0].equals("charset")
          && !(param.length == 2 && param[1].replace("\"", "").equals("utf-8"))) {
        json = false;
      }
    }
    if (!json) {
      throw new ApiException(
          ErrorKind.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
    }
  }

  private byte[] readBounded(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge();
    }
    // The declared length may be absent (chunked) or wrong, so the read itself is bounded too.
    try (InputStream in = ctx.req().getInputStream()) {
      if (declared >= 0) {
        // One exact-size array, instead of readNBytes' 8 KiB chunks copied into a final one. Jetty
        // ends the stream at the declared length, so a body cannot be longer than declared.
        byte[] body = new byte[(int) declared];
        int read = in.readNBytes(body, 0, body.length);
        return read == body.length ? body : Arrays.copyOf(body, read);
      }
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (body.length > maxBytes) {
        throw tooLarge();
      }
      return body;
    } catch (IOException e) {
      throw new ApiException(ErrorKind.INVALID_REQUEST, "request body cannot be read");
    }
  }

  private ApiException tooLarge() {
    return new ApiException(
        ErrorKind.PAYLOAD_TOO_LARGE, "request body is larger than " + maxBytes + " bytes");
  }
}
