package io.mlplatform.serving.http;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every request an id, returned in {@code X-Request-Id} and written next to any logged error.
 */
final class RequestIds {

  static final String HEADER = "X-Request-Id";
  private static final String ATTRIBUTE = "mlp.requestId";
  private static final String START = "mlp.start";
  // A caller's own id is kept (it ties our log to theirs) only when it cannot inject anything.
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private RequestIds() {}

  /** Also notes when the request arrived, which its timeout counts from. */
  static void assign(Context ctx) {
    ctx.attribute(START, System.nanoTime());
    String incoming = ctx.header(HEADER);
    String id = incoming != null && SAFE.matcher(incoming).matches() ? incoming : newId();
    ctx.attribute(ATTRIBUTE, id);
    ctx.header(HEADER, id);
  }

  /**
   * A random (version 4) UUID from the thread's own generator. An id must be unique, not secret:
   * UUID.randomUUID() draws on the shared SecureRandom, which the profile of scripts/bench-serving
   * showed on every request's path, contended between request threads.
   */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    if (id == null) {
      // A request that failed before the before-handler ran still gets an id.
      assign(ctx);
      id = ctx.attribute(ATTRIBUTE);
    }
    return id;
  }

  static long startNanos(Context ctx) {
    Long start = ctx.attribute(START);
    return start != null ? start : System.nanoTime();
  }
}
