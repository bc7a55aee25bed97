package io.mlplatform.e2e;

import io.mlplatform.bench.load.LoadResult;
import io.mlplatform.bench.load.OpenLoopLoad;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * ChaosTest's traffic, both open loop (requests are sent on a clock, never held back by slow
 * answers), counted per step:
 *
 * <ul>
 *   <li>the benchmark's generator ({@link OpenLoopLoad}) at 100 requests/s on 4 keep-alive
 *       connections, run in 1 s slices, each slice counted under the step it started in; it only
 *       tells 200 from anything else, so it gives the load and the non-200 count;
 *   <li>an observer at 50 requests/s (one every 20 ms, each on a pool thread) that keeps every
 *       answer: status, error kind and the version that answered, or the exception when there was
 *       no answer. After SIGTERM, a refused connection (the listener closed) is counted apart:
 *       nothing was sent. Any other failure (a reset, an empty reply) is a lost request.
 * </ul>
 */
final class ChaosTraffic {

  // docs/serving.md, "Errors": every 503 the service is designed to give, with Retry-After.
  static final Set<String> DESIGNED_503 =
      Set.of("model_unavailable", "overloaded", "timeout", "store_unavailable", "unavailable");
  private static final double GENERATOR_RATE = 100;
  private static final int GENERATOR_CONNECTIONS = 4;
  private static final long OBSERVER_PERIOD_MILLIS = 20;

  private final int port;
  private final String path;
  private final String body;
  private final List<Integer> completeVersions;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final List<String> steps = new ArrayList<>();
  private final Map<String, Map<String, LongAdder>> observed = new ConcurrentHashMap<>();
  private final Map<String, List<LoadResult>> generated = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService senders = Executors.newFixedThreadPool(16);
  private volatile String step;
  private volatile String generatorStep;
  private volatile boolean running;
  private volatile boolean shutdown;
  private final LongAdder refusedAtConnect = new LongAdder();
  private Thread generator;

  ChaosTraffic(int port, String path, String body, List<Integer> completeVersions) {
    this.port = port;
    this.path = path;
    this.body = body;
    this.completeVersions = completeVersions;
  }

  synchronized void start(String first) {
    step(first);
    running = true;
    generator = new Thread(this::generate, "chaos-generator");
    generator.setDaemon(true);
    generator.start();
    clock.scheduleAtFixedRate(
        () -> senders.execute(this::observe), 0, OBSERVER_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  synchronized void step(String name) {
    steps.add(name);
    observed.put(name, new ConcurrentHashMap<>());
    generated.put(name, new CopyOnWriteArrayList<>());
    step = name;
  }

  /**
   * From now on the service is shutting down: a connection refused means its listener closed, so
   * the request was never sent (the client knows to go elsewhere) and is not a lost one.
   */
  void expectShutdown() {
    shutdown = true;
  }

  long refusedAtConnect() {
    return refusedAtConnect.sum();
  }

  /** Waits (at most 3 s) until the generator's current slice started in the current step. */
  void syncGenerator() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (!step.equals(generatorStep) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  /** Stops sending and waits (bounded) for every request sent to be answered or to fail. */
  synchronized void stop() throws InterruptedException {
    if (!running) {
      return;
    }
    running = false;
    clock.shutdownNow();
    clock.awaitTermination(5, TimeUnit.SECONDS);
    senders.shutdown();
    if (!senders.awaitTermination(30, TimeUnit.SECONDS)) {
      problems.add("observer requests still unanswered 30 s after the traffic stopped");
      senders.shutdownNow();
    }
    generator.join(5_000);
  }

  private void generate() {
    URI uri = URI.create("http://127.0.0.1:" + port + path);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    while (running) {
      String at = step;
      generatorStep = at;
      try {
        generated
            .get(at)
            .add(
                OpenLoopLoad.run(
                    new OpenLoopLoad.Settings(
                        at,
                        uri,
                        bytes,
                        List.of(),
                        GENERATOR_RATE,
                        GENERATOR_CONNECTIONS,
                        Duration.ofSeconds(1),
                        Duration.ZERO)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void observe() {
    String at = step;
    String outcome;
    try {
      HttpResponse<String> reply =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      outcome = classify(reply.statusCode(), reply.body());
    } catch (ConnectException e) {
      outcome = "refused at connect";
      if (shutdown) {
        refusedAtConnect.increment();
      } else {
        problems.add(at + ": connection refused (" + e.getMessage() + ")");
      }
    } catch (IOException e) {
      outcome = "no answer: " + e.getClass().getSimpleName();
      problems.add(at + ": " + outcome + " (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    observed.get(at).computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  private String classify(int status, String text) {
    String outcome;
    try {
      var json = ServingServer.JSON.readTree(text);
      if (status == 200) {
        int version = json.at("/model/version").asInt();
        outcome = "200 v" + version;
        if (!completeVersions.contains(version) || !json.has("predictions")) {
          problems.add(step + ": 200 from v" + version + ", not a complete version: " + text);
        }
      } else {
        String kind = json.path("error").asText("?");
        outcome = status + " " + kind;
        if (status != 503 || !DESIGNED_503.contains(kind)) {
          problems.add(step + ": " + status + " " + text);
        }
      }
    } catch (IOException e) {
      outcome = status + " (not JSON)";
      problems.add(step + ": " + status + " with a body that is not JSON: " + text);
    }
    return outcome;
  }

  List<String> problems() {
    return List.copyOf(problems);
  }

  long total(String at) {
    return observed.get(at).values().stream().mapToLong(LongAdder::sum).sum();
  }

  long non200(String at) {
    return observed.get(at).entrySet().stream()
        .filter(e -> !e.getKey().startsWith("200 "))
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }

  long generatorErrors(String at) {
    return generated.get(at).stream().mapToLong(LoadResult::errors).sum();
  }

  /** The counts per step, for the closing note: observer per outcome, generator totals. */
  void print() {
    System.out.println(
        "chaos: counts per step (observer: every answer kept; generator: OpenLoopLoad,"
            + " 200 vs not)");
    long all = 0;
    long allGenerated = 0;
    for (String at : steps) {
      Map<String, Long> counts = new TreeMap<>();
      observed.get(at).forEach((k, v) -> counts.put(k, v.sum()));
      long requests = generated.get(at).stream().mapToLong(LoadResult::requests).sum();
      double p99 =
          generated.get(at).stream().mapToDouble(LoadResult::p99Micros).max().orElse(0) / 1000;
      all += total(at);
      allGenerated += requests;
      System.out.printf(
          "chaos:   %-30s observer %s | generator %d requests, %d not 200, worst slice p99 %.1f ms%n",
          at, counts, requests, generatorErrors(at), p99);
    }
    System.out.printf(
        "chaos: total observer %d, generator %d, problems %d%n",
        all, allGenerated, problems.size());
    problems.stream().limit(20).forEach(p -> System.out.println("chaos: problem: " + p));
  }
}
