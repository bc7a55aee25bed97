package io.mlplatform.bench.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The floor under the service's own echo route: a Javalin app with one JSON echo route and nothing
 * else (no auth, concurrency limit, request ids, metrics or access log), started by
 * scripts/lib/bench-serving.sh with the serving JVM's flags and classpath. The project's echo
 * divided by this one is what the service's middleware costs.
 *
 * <p>{@code BareEcho PORT}
 */
public final class BareEcho {

  static final String PATH = "/echo";

  // Context.outputStream() through a handle: its return type is a Jakarta Servlet 6 class, while
  // the benchmarks' compile classpath has Spark's Servlet 4 API under the same artifact.
  private static final MethodHandle OUTPUT_STREAM = outputStream();

  private BareEcho() {}

  private static MethodHandle outputStream() {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(
              Context.class,
              "outputStream",
              MethodType.methodType(
                  Class.forName(
                      "jakarta.servlet.ServletOutputStream",
                      false,
                      Context.class.getClassLoader())))
          .asType(MethodType.methodType(OutputStream.class, Context.class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static OutputStream responseStream(Context ctx) {
    try {
      return (OutputStream) OUTPUT_STREAM.invokeExact(ctx);
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  public static void main(String[] args) {
    start(Integer.parseInt(args[0]));
  }

  /** Parses the body into a tree and writes it back, as the service's echo route does. */
  public static Javalin start(int port) {
    ObjectMapper mapper = new ObjectMapper();
    return Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.jetty.host = "127.0.0.1";
              cfg.jetty.port = port;
              // Written straight to the response stream, as the service's JsonWriter does
              // (ctx.result would copy it through a fresh 32 KiB buffer): only the middleware
              // differs.
              cfg.routes.post(
                  PATH,
                  ctx -> {
                    byte[] body = mapper.writeValueAsBytes(mapper.readTree(ctx.bodyAsBytes()));
                    ctx.contentType(ContentType.APPLICATION_JSON);
                    responseStream(ctx).write(body);
                  });
            })
        .start();
  }
}
