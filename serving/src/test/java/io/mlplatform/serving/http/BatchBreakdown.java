package io.mlplatform.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlplatform.serving.config.MonitoringSection;
import io.mlplatform.serving.lifecycle.Lease;
import io.mlplatform.serving.lifecycle.LoadedModel;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.Selector;
import io.mlplatform.serving.lifecycle.bundle.BundleArchive;
import io.mlplatform.serving.metrics.ServingMetrics;
import io.mlplatform.serving.metrics.VersionMetrics;
import io.mlplatform.serving.monitoring.DriftMonitor;
import io.mlplatform.serving.scoring.FrameScoring;
import io.mlplatform.serving.scoring.MleapModelLoader;
import io.mlplatform.serving.scoring.OneThread;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.serving.validation.RequestValidator;
import io.mlplatform.store.storage.ModelStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a large predict request's time goes, step by step, in process: the predict path's own parts
 * (parse, validate, score, feedback tokens, response, JSON, drift, metrics) run one after the other
 * on the served version of a real store, each timed alone over many repetitions after a warm-up,
 * with the bytes each one allocates ({@code ThreadMXBean}). Not a test: a measuring tool, run by
 * hand:
 *
 * <pre>
 * java -cp serving/target/test-classes:serving/target/classes:$(cat serving/target/classpath.txt) \
 *   io.mlplatform.serving.http.BatchBreakdown STORE MODEL BODY.json [rounds]
 * </pre>
 *
 * Prints, per step, the median over rounds of the mean time per request, its range, the median CPU
 * time of the measuring thread per request (on a busy machine the wall time mostly measures the
 * wait for a core; the CPU time does not) and the bytes allocated per request.
 */
public final class BatchBreakdown {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    String storeUri = args[0];
    String modelName = args[1];
    byte[] body = Files.readAllBytes(Path.of(args[2]));
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 7;

    ModelStore store = ModelStore.open(storeUri);
    ModelRegistry registry =
        new ModelRegistry(store, new MleapModelLoader(new BundleArchive(1L << 30, 10_000)));
    registry.refresh();
    ObjectMapper mapper = Json.newMapper();
    JsonWriter json = new JsonWriter(mapper);
    RequestValidator validator = new RequestValidator(10_000, false);
    DriftMonitor drift = new DriftMonitor(MonitoringSection.DEFAULTS);
    ServingMetrics metrics = new ServingMetrics();

    try (Lease lease = registry.lease(modelName, Selector.DEFAULT)) {
      LoadedModel model = lease.model();
      VersionMetrics series = metrics.version(model);
      JsonNode parsed = mapper.readTree(body);
      List<Object[]> rows = validator.validate(parsed, model.inputs());
      List<Score> scores = model.scorer().score(rows);
      String[] tokens = drift.tokens(model, scores);
      PredictResponse answer = PredictResponse.of(model.manifest(), scores, tokens);
      byte[] written = json.bytes(answer);
      System.out.printf(
          Locale.ROOT,
          "%s v%d: %d instances, request %d bytes, response %d bytes%n",
          model.name(),
          model.version(),
          rows.size(),
          body.length,
          written.length);
      Path bundle = Files.createTempFile("bundle", ".zip");
      store.copyBundleTo(model.name(), model.version(), bundle);
      FrameScoring frames = FrameScoring.load(model.manifest(), bundle);
      checkSame(scores, frames.score(rows));

      Map<String, Supplier<Object>> steps = new LinkedHashMap<>();
      steps.put("parse (readTree)", () -> readTree(mapper, body));
      steps.put("validate", () -> validator.validate(parsed, model.inputs()));
      steps.put("score: as served (chunks on every core)", () -> model.scorer().score(rows));
      steps.put("score: one thread, row by row", () -> OneThread.score(model.scorer(), rows));
      steps.put("score: one thread, one LeapFrame", () -> frames.score(rows));
      steps.put("feedback tokens", () -> drift.tokens(model, scores));
      steps.put("response records", () -> PredictResponse.of(model.manifest(), scores, tokens));
      steps.put("response JSON", () -> json.bytes(answer));
      steps.put(
          "drift + ledger",
          () -> {
            drift.scored(model, "r-" + System.nanoTime(), "bench", parsed, scores);
            return null;
          });
      steps.put(
          "metrics",
          () -> {
            series.scored(scores);
            series.request(0.001);
            return null;
          });
      steps.put(
          "all of predict's steps",
          () -> {
            JsonNode b = readTree(mapper, body);
            List<Object[]> r = validator.validate(b, model.inputs());
            List<Score> s = model.scorer().score(r);
            String[] t = drift.tokens(model, s);
            byte[] out = json.bytes(PredictResponse.of(model.manifest(), s, t));
            series.scored(s);
            drift.scored(model, "r-" + System.nanoTime(), "bench", b, s);
            return out;
          });

      Map<String, double[]> micros = new LinkedHashMap<>();
      Map<String, double[]> cpu = new LinkedHashMap<>();
      Map<String, long[]> bytes = new LinkedHashMap<>();
      steps.keySet().forEach(k -> cpu.put(k, new double[rounds]));
      steps.keySet().forEach(k -> micros.put(k, new double[rounds]));
      steps.keySet().forEach(k -> bytes.put(k, new long[rounds]));
      for (Map.Entry<String, Supplier<Object>> step : steps.entrySet()) {
        repeat(step.getValue(), 300); // warm-up: the JIT compiles each step's path
      }
      int reps = 100;
      for (int r = 0; r < rounds; r++) {
        // Interleaved: every step runs once per round, so a busy moment hits all of them.
        for (Map.Entry<String, Supplier<Object>> step : steps.entrySet()) {
          long allocated = THREADS.getCurrentThreadAllocatedBytes();
          long cpuStart = THREADS.getCurrentThreadCpuTime();
          long start = System.nanoTime();
          repeat(step.getValue(), reps);
          long took = System.nanoTime() - start;
          cpu.get(step.getKey())[r] = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e3 / reps;
          allocated = THREADS.getCurrentThreadAllocatedBytes() - allocated;
          micros.get(step.getKey())[r] = took / 1e3 / reps;
          bytes.get(step.getKey())[r] = allocated / reps;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%-40s %12s %22s %12s %14s%n",
          "step",
          "median us",
          "range us",
          "cpu us",
          "bytes/request");
      for (String step : steps.keySet()) {
        double[] m = micros.get(step).clone();
        Arrays.sort(m);
        double[] c = cpu.get(step).clone();
        Arrays.sort(c);
        long[] b = bytes.get(step).clone();
        Arrays.sort(b);
        System.out.printf(
            Locale.ROOT,
            "%-40s %12.0f %10.0f - %-10.0f %12.0f %14d%n",
            step,
            m[m.length / 2],
            m[0],
            m[m.length - 1],
            c[c.length / 2],
            b[b.length / 2]);
      }
      frames.close();
      Files.deleteIfExists(bundle);
    } finally {
      registry.close();
    }
    System.out.println("load average: " + Files.readString(Path.of("/proc/loadavg")).trim());
  }

  private static Object sink;

  private static void repeat(Supplier<Object> step, int times) {
    for (int i = 0; i < times; i++) {
      sink = step.get();
    }
  }

  private static JsonNode readTree(ObjectMapper mapper, byte[] body) {
    try {
      return mapper.readTree(body);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void checkSame(List<Score> a, List<Score> b) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i).prediction() != b.get(i).prediction()
          || !Arrays.equals(a.get(i).probabilities(), b.get(i).probabilities())) {
        problems.add("row " + i + ": " + a.get(i) + " vs " + b.get(i));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("frame and row scoring differ: " + problems);
    }
  }
}
