package io.mlplatform.serving.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.javalin.http.Context;
import io.mlplatform.serving.lifecycle.LoadedModel;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One JSON line per request: when, who (the key's name, never the key), what, which model version
 * answered, how it ended and how long it took. Successful requests are sampled at the configured
 * rate; errors are always written, because they are what an operator searches for.
 */
public final class AccessLog {

  private static final String MODEL = "mlp.log.model";
  private static final String VERSION = "mlp.log.version";
  private static final String INSTANCES = "mlp.log.instances";
  private static final String ERROR = "mlp.log.error";
  private static final String PRINCIPAL = "mlp.log.principal";
  // Paths and agents are caller-chosen; keep a line bounded whatever they send.
  private static final int MAX_TEXT = 200;
  private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();

  private final double sampleRate;
  private final Consumer<String> sink;

  /**
   * @param sampleRate share of successful requests written, 0 to 1
   * @param sink receives each line, without the line break
   */
  public AccessLog(double sampleRate, Consumer<String> sink) {
    this.sampleRate = sampleRate;
    this.sink = sink;
  }

  /**
   * Lines to standard output, buffered (see {@link BufferedLines}); the service's own log goes to
   * standard error.
   */
  public static AccessLog toStdout(double sampleRate) {
    return new AccessLog(sampleRate, BufferedLines.stdout());
  }

  /**
   * Writes out buffered lines now: at the end of a shutdown, and before the watchdog halts the JVM.
   */
  public void flush() {
    if (sink instanceof BufferedLines lines) {
      lines.flush();
    }
  }

  static void model(Context ctx, LoadedModel model) {
    ctx.attribute(MODEL, model.name());
    ctx.attribute(VERSION, model.version());
  }

  static void instances(Context ctx, int count) {
    ctx.attribute(INSTANCES, count);
  }

  static void error(Context ctx, ErrorKind kind) {
    ctx.attribute(ERROR, kind.code());
  }

  static void principal(Context ctx, String name) {
    ctx.attribute(PRINCIPAL, name);
  }

  void log(Context ctx, String route, double millis) {
    int status = ctx.statusCode();
    boolean sampledOut =
        sampleRate <= 0
            || (sampleRate < 1 && ThreadLocalRandom.current().nextDouble() >= sampleRate);
    if (status < 400 && sampledOut) {
      return;
    }
    // Written field by field into one builder: the tree and writer this replaced were a tenth of
    // every request's allocation in scripts/bench-serving's profile.
    StringBuilder line = new StringBuilder(256);
    line.append("{\"ts\":\"").append(Instant.now()).append('"');
    text(line, "requestId", RequestIds.of(ctx));
    text(line, "method", ctx.method().name());
    text(line, "path", bounded(ctx.path()));
    text(line, "route", route);
    line.append(",\"status\":").append(status);
    line.append(",\"durationMs\":").append(Math.round(millis * 1000) / 1000.0);
    putIfSet(line, ctx, PRINCIPAL, "principal");
    putIfSet(line, ctx, MODEL, "model");
    putIfSet(line, ctx, VERSION, "version");
    putIfSet(line, ctx, INSTANCES, "instances");
    putIfSet(line, ctx, ERROR, "error");
    text(line, "remote", ctx.req().getRemoteAddr());
    String agent = ctx.header("User-Agent");
    if (agent != null) {
      text(line, "userAgent", bounded(agent));
    }
    line.append('}');
    try {
      sink.accept(line.toString());
    } catch (RuntimeException e) {
      // Logging must never fail a request that has already been answered.
    }
  }

  private static void putIfSet(StringBuilder line, Context ctx, String attribute, String field) {
    Object value = ctx.attribute(attribute);
    if (value instanceof Integer i) {
      line.append(",\"").append(field).append("\":").append(i.intValue());
    } else if (value != null) {
      text(line, field, value.toString());
    }
  }

  /** A string field, escaped as JSON (paths, agents and ids can hold anything a caller sent). */
  private static void text(StringBuilder line, String field, String value) {
    line.append(",\"").append(field).append("\":\"");
    ESCAPER.quoteAsString(value, line);
    line.append('"');
  }

  private static String bounded(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
  }
}
