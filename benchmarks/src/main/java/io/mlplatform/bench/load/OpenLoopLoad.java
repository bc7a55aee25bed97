package io.mlplatform.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A constant-rate (open-loop) HTTP load generator. Request {@code i} is due at {@code start + i /
 * rate}; connections take due requests in turn, and each latency runs from the due time to the end
 * of the answer. When the server stalls, the requests that should have been sent meanwhile are
 * recorded with the wait they would have seen: the correction for coordinated omission that a
 * closed-loop tool (wrk) does not make.
 */
public final class OpenLoopLoad {

  // One hour in microseconds, three significant digits: far above any answer worth measuring.
  private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

  /**
   * @param uri where to POST
   * @param headers extra {@code Name: value} request headers (auth)
   * @param warmup due requests in this first period are sent but not recorded
   */
  public record Settings(
      String label,
      URI uri,
      byte[] body,
      List<String> headers,
      double rate,
      int connections,
      Duration duration,
      Duration warmup) {}

  private OpenLoopLoad() {}

  public static LoadResult run(Settings s) throws InterruptedException {
    long period = (long) (1e9 / s.rate());
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    long measuredFrom = start + s.warmup().toNanos();
    long end = measuredFrom + s.duration().toNanos();
    byte[] request =
        HttpConnection.post(
            s.uri().getHost(), s.uri().getPort(), s.uri().getRawPath(), s.body(), s.headers());
    List<Worker> workers = new ArrayList<>();
    for (int c = 0; c < s.connections(); c++) {
      workers.add(
          new Worker(s, request, start + c * period, period * s.connections(), measuredFrom, end));
    }
    List<Thread> threads = new ArrayList<>();
    for (Worker worker : workers) {
      Thread thread = new Thread(worker, "load-" + threads.size());
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    Histogram all = new Histogram(HIGHEST_MICROS, 3);
    long errors = 0;
    for (Worker worker : workers) {
      all.add(worker.histogram);
      errors += worker.errors;
    }
    double seconds = s.duration().toNanos() / 1e9;
    return new LoadResult(
        s.label(),
        s.connections(),
        s.rate(),
        seconds,
        all.getTotalCount(),
        all.getTotalCount() / seconds,
        errors,
        all.getValueAtPercentile(50),
        all.getValueAtPercentile(99),
        all.getValueAtPercentile(99.9),
        all.getMaxValue(),
        all.getMean());
  }

  /** One connection; sends the requests due at {@code first + k * step}. */
  private static final class Worker implements Runnable {
    final Histogram histogram = new Histogram(HIGHEST_MICROS, 3);
    long errors;
    private final Settings settings;
    private final byte[] request;
    private final long first;
    private final long step;
    private final long measuredFrom;
    private final long end;

    Worker(Settings settings, byte[] request, long first, long step, long measuredFrom, long end) {
      this.settings = settings;
      this.request = request;
      this.first = first;
      this.step = step;
      this.measuredFrom = measuredFrom;
      this.end = end;
    }

    @Override
    public void run() {
      HttpConnection connection = null;
      try {
        for (long due = first; due < end; due += step) {
          long wait = due - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
          boolean ok;
          try {
            if (connection == null || !connection.reusable()) {
              close(connection);
              connection = new HttpConnection(settings.uri().getHost(), settings.uri().getPort());
            }
            ok = connection.exchange(request) == 200;
          } catch (IOException e) {
            ok = false;
            close(connection);
            connection = null;
          }
          if (due >= measuredFrom) {
            histogram.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - due) / 1000));
            errors += ok ? 0 : 1;
          }
        }
      } finally {
        close(connection);
      }
    }

    private static void close(HttpConnection connection) {
      if (connection != null) {
        connection.close();
      }
    }
  }

  /**
   * {@code OpenLoopLoad URL BODY_FILE RATE CONNECTIONS SECONDS WARMUP_SECONDS LABEL OUT_JSON
   * [HEADER...]}: the scripts' entry point; writes the {@link LoadResult} as JSON.
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 8) {
      System.err.println(
          "usage: OpenLoopLoad URL BODY_FILE RATE CONNECTIONS SECONDS WARMUP_SECONDS LABEL OUT_JSON"
              + " [HEADER...]");
      System.exit(2);
    }
    List<String> headers = List.of(args).subList(8, args.length);
    LoadResult result =
        run(
            new Settings(
                args[6],
                URI.create(args[0]),
                Files.readAllBytes(Path.of(args[1])),
                headers,
                Double.parseDouble(args[2]),
                Integer.parseInt(args[3]),
                Duration.ofMillis((long) (Double.parseDouble(args[4]) * 1000)),
                Duration.ofMillis((long) (Double.parseDouble(args[5]) * 1000))));
    new ObjectMapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(Path.of(args[7]).toFile(), result);
    System.out.printf(
        "%s: %d requests at %.0f/s (target %.0f/s), p50 %.0f us, p99 %.0f us, p99.9 %.0f us,"
            + " errors %d%n",
        result.label(),
        result.requests(),
        result.achievedRate(),
        result.targetRate(),
        result.p50Micros(),
        result.p99Micros(),
        result.p999Micros(),
        result.errors());
  }
}
