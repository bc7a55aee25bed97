package io.mlplatform.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the server's time and memory went, from the JFR recording of {@code bin/mlplatform bench
 * serving --profile}: CPU samples and allocation (JFR's sampled weights) split by route, the share
 * of the samples on the path of each part of the service, and GC pauses. Divide the allocation of a
 * route by its requests (the wrk results of the same run) for bytes per request.
 *
 * <p>{@code ProfileSummary serve.jfr}
 */
public final class ProfileSummary {

  // Parts of the request path, each found by a frame of the stack (first match wins).
  private static final Map<String, String> PARTS = new LinkedHashMap<>();

  static {
    PARTS.put("access log", "io.mlplatform.serving.http.AccessLog.log");
    PARTS.put("HTTP metrics", "io.mlplatform.serving.metrics.ServingMetrics.httpRequest");
    PARTS.put("auth", "io.mlplatform.serving.auth.Authenticator.authenticate");
    PARTS.put("request ids", "io.mlplatform.serving.http.RequestIds.assign");
    PARTS.put("body parse", "io.mlplatform.serving.http.JsonBodies.read");
    PARTS.put("validation", "io.mlplatform.serving.validation.RequestValidator");
    PARTS.put("scoring-pool hop", "io.mlplatform.serving.http.ScoringPool.run");
    PARTS.put("model (MLeap)", "io.mlplatform.serving.scoring.MleapScoringModel.score");
    PARTS.put("feedback tokens", "io.mlplatform.serving.monitoring.DriftMonitor.tokens");
    PARTS.put("drift bookkeeping", "io.mlplatform.serving.monitoring.DriftMonitor.scored");
    PARTS.put("response JSON", "io.mlplatform.serving.http.JsonWriter");
    PARTS.put("version metrics", "io.mlplatform.serving.metrics.VersionMetrics");
    PARTS.put("fallback window", "io.mlplatform.serving.lifecycle.ModelRegistry.recordOutcome");
  }

  private ProfileSummary() {}

  public static void main(String[] args) throws IOException {
    System.out.print(summarize(Path.of(args[0])));
  }

  static String summarize(Path jfr) throws IOException {
    Map<String, Long> cpuByRoute = new HashMap<>();
    Map<String, Long> cpuByPart = new HashMap<>();
    Map<String, Long> allocByRoute = new HashMap<>();
    Map<String, Long> allocByPart = new HashMap<>();
    Map<String, Long> topFrames = new HashMap<>();
    Map<String, Long> allocSites = new HashMap<>();
    long cpu = 0;
    long alloc = 0;
    List<Duration> pauses = new ArrayList<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      switch (e.getEventType().getName()) {
        case "jdk.ExecutionSample" -> {
          cpu++;
          RecordedStackTrace stack = e.getStackTrace();
          cpuByRoute.merge(route(stack), 1L, Long::sum);
          cpuByPart.merge(part(stack), 1L, Long::sum);
          if (stack != null && !stack.getFrames().isEmpty()) {
            topFrames.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
          }
        }
        case "jdk.ObjectAllocationSample" -> {
          long weight = e.getLong("weight");
          alloc += weight;
          allocByRoute.merge(route(e.getStackTrace()), weight, Long::sum);
          allocByPart.merge(part(e.getStackTrace()), weight, Long::sum);
          allocSites.merge(site(e), weight, Long::sum);
        }
        case "jdk.GCPhasePause" -> pauses.add(e.getDuration());
        default -> {}
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "CPU samples: %d%n", cpu));
    shares(out, "  by route", cpuByRoute, cpu, 1);
    shares(out, "  by part of the request path", cpuByPart, cpu, 1);
    shares(out, "  top frames", topFrames, cpu, 15);
    out.append(
        String.format(Locale.ROOT, "Allocated (sampled weight): %.1f MiB%n", alloc / 1048576.0));
    mib(out, "  by route", allocByRoute);
    mib(out, "  by part of the request path", allocByPart);
    out.append("  top sites (class allocated, in the first frame outside java.*):\n");
    allocSites.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(20)
        .forEach(
            c ->
                out.append(
                    String.format(
                        Locale.ROOT, "    %8.1f MiB  %s%n", c.getValue() / 1048576.0, c.getKey())));
    long total = pauses.stream().mapToLong(Duration::toNanos).sum();
    long longest = pauses.stream().mapToLong(Duration::toNanos).max().orElse(0);
    out.append(
        String.format(
            Locale.ROOT,
            "GC pauses: %d, total %.1f ms, longest %.1f ms%n",
            pauses.size(),
            total / 1e6,
            longest / 1e6));
    return out.toString();
  }

  /** predict, echo, or what else ran (JIT, GC and other threads show as "other"). */
  private static String route(RecordedStackTrace stack) {
    if (stack == null) {
      return "other";
    }
    boolean http = false;
    for (RecordedFrame frame : stack.getFrames()) {
      String n = name(frame);
      if (n.startsWith("io.mlplatform.serving.http.PredictHandler")
          || n.startsWith("io.mlplatform.serving.http.ScoringPool")) {
        return "predict";
      }
      http |= n.startsWith("org.eclipse.jetty") || n.startsWith("io.javalin");
    }
    return http ? "echo and other HTTP" : "other";
  }

  private static String part(RecordedStackTrace stack) {
    if (stack == null) {
      return "(no stack)";
    }
    for (Map.Entry<String, String> p : PARTS.entrySet()) {
      for (RecordedFrame frame : stack.getFrames()) {
        if (name(frame).startsWith(p.getValue())) {
          return p.getKey();
        }
      }
    }
    return "(elsewhere)";
  }

  private static String site(RecordedEvent e) {
    String type = e.getClass("objectClass").getName();
    RecordedStackTrace stack = e.getStackTrace();
    if (stack != null) {
      for (RecordedFrame frame : stack.getFrames()) {
        String n = name(frame);
        if (!n.startsWith("java.") && !n.startsWith("jdk.") && !n.startsWith("sun.")) {
          return type + " @ " + n;
        }
      }
    }
    return type;
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static void shares(
      StringBuilder out, String title, Map<String, Long> counts, long total, int min) {
    out.append(title).append(":\n");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(min > 1 ? min : Long.MAX_VALUE)
        .forEach(
            c ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "    %5.1f%%  %s%n",
                        100.0 * c.getValue() / total,
                        c.getKey())));
  }

  private static void mib(StringBuilder out, String title, Map<String, Long> bytes) {
    out.append(title).append(":\n");
    bytes.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(
            c ->
                out.append(
                    String.format(
                        Locale.ROOT, "    %8.1f MiB  %s%n", c.getValue() / 1048576.0, c.getKey())));
  }
}
