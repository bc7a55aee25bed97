package io.mlplatform.bench.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.storage.ModelStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a synthetic prediction log in the service's format for the monitor job's benchmark: {@code
 * RECORDS} prediction records (one instance each, the version's reference rows with their training
 * outputs, in random order) spread evenly over {@code DAYS} days and {@code REPLICAS} replicas, in
 * files of at most 100,000 records, plus a feedback record for a tenth of them (a third of those
 * given twice, as a retry would). From the middle of the period on, half the rows come from one
 * island, so the report shows drift.
 *
 * <p>Usage: {@code PredictionLogGenerator STORE MODEL LOG_ROOT RECORDS [REPLICAS] [DAYS]}; the
 * version is production, else the latest.
 */
public final class PredictionLogGenerator {

  private static final int PER_FILE = 100_000;

  private PredictionLogGenerator() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      System.err.println(
          "Usage: PredictionLogGenerator STORE MODEL LOG_ROOT RECORDS [REPLICAS] [DAYS]");
      System.exit(2);
    }
    ModelStore store = ModelStore.open(args[0]);
    String model = args[1];
    Path root = Path.of(args[2]);
    long records = Long.parseLong(args[3]);
    int replicas = args.length > 4 ? Integer.parseInt(args[4]) : 2;
    int days = args.length > 5 ? Integer.parseInt(args[5]) : 2;
    int version =
        store
            .alias(model, Layout.PRODUCTION)
            .orElseGet(() -> store.latestVersion(model).orElseThrow());
    Manifest manifest = store.manifest(model, version);
    List<ReferenceRow> rows = store.referenceRows(model, version);
    List<String> labels = manifest.outputs().labels();
    ObjectMapper json = new ObjectMapper();
    SplittableRandom random = new SplittableRandom(42);
    Instant start = Instant.parse("2026-12-01T00:00:00Z");
    long step = Duration.ofDays(days).toMillis() / Math.max(1, records);
    List<BufferedWriter> open = new ArrayList<>();
    long feedback = 0;
    BufferedWriter[] writers = new BufferedWriter[replicas];
    long[] written = new long[replicas];
    String[] day = new String[replicas];
    int[] seq = new int[replicas];
    for (long i = 0; i < records; i++) {
      int r = (int) (i % replicas);
      Instant at = start.plusMillis(i * step);
      String date = at.atZone(ZoneOffset.UTC).toLocalDate().toString();
      if (writers[r] == null || written[r] >= PER_FILE || !date.equals(day[r])) {
        if (writers[r] != null) {
          writers[r].close();
        }
        Path dir = Files.createDirectories(root.resolve(model).resolve("date=" + date));
        writers[r] =
            Files.newBufferedWriter(
                dir.resolve("host-" + r + "-" + start.toEpochMilli() + "-" + seq[r]++ + ".jsonl"),
                StandardCharsets.UTF_8);
        open.add(writers[r]);
        written[r] = 0;
        day[r] = date;
      }
      ReferenceRow row = rows.get(random.nextInt(rows.size()));
      ObjectNode instance = json.valueToTree(row.input());
      if (i > records / 2 && random.nextBoolean() && instance.has("Island")) {
        instance.put("Island", "Torgersen");
      }
      ObjectNode p = json.createObjectNode();
      p.put("kind", "prediction").put("model", model).put("version", version);
      p.put("requestId", "req-" + i).put("at", at.toString());
      p.put("latencyMs", 0.3 + random.nextDouble() * random.nextDouble() * 4);
      p.put("replica", "host-" + r).put("route", "default");
      p.putArray("instances").add(instance);
      ObjectNode out = p.putArray("outputs").addObject();
      out.put("prediction", row.prediction());
      if (!labels.isEmpty()) {
        out.put("label", labels.get((int) row.prediction()));
      }
      writers[r].write(json.writeValueAsString(p));
      writers[r].newLine();
      written[r]++;
      if (i % 10 == 0) {
        ObjectNode f = json.createObjectNode();
        f.put("kind", "feedback").put("model", model).put("version", version);
        f.put("id", "req-" + i + "#0").put("at", at.plusSeconds(60).toString());
        f.put("predictedAt", at.toString()).put("prediction", row.prediction());
        boolean right = random.nextInt(10) > 0;
        if (labels.isEmpty()) {
          f.put("label", row.prediction() + (right ? 0 : 1));
        } else {
          f.put("label", labels.get(((int) row.prediction() + (right ? 0 : 1)) % labels.size()));
        }
        f.put("replica", "host-" + r);
        String line = json.writeValueAsString(f);
        int copies = i % 30 == 0 ? 2 : 1;
        for (int c = 0; c < copies; c++) {
          writers[r].write(line);
          writers[r].newLine();
          feedback++;
        }
      }
    }
    for (BufferedWriter w : writers) {
      if (w != null) {
        w.close();
      }
    }
    System.out.println(
        "Wrote "
            + records
            + " prediction and "
            + feedback
            + " feedback records of "
            + model
            + " v"
            + version
            + " in "
            + open.size()
            + " files under "
            + root.resolve(model));
  }
}
