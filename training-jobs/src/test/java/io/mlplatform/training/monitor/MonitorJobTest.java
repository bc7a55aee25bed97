package io.mlplatform.training.monitor;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecLoader;
import io.mlplatform.store.format.Distribution;
import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.MonitoringReference;
import io.mlplatform.store.format.Outputs;
import io.mlplatform.store.format.Psi;
import io.mlplatform.store.format.Task;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.Staging;
import io.mlplatform.training.SparkTest;
import io.mlplatform.training.monitoring.ReferenceStatistics;
import io.mlplatform.training.pipeline.PipelineFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor job over prediction logs in the service's format, built from the penguins data,
 * against a version with the reference training computes. One Spark session for the class; three
 * job runs.
 */
class MonitorJobTest extends SparkTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DAY1 = "2026-12-01";
  private static final String DAY2 = "2026-12-02";

  @TempDir static Path dir;

  private static String store;
  private static Manifest manifest;
  private static List<ObjectNode> penguins;

  /**
   * A penguins version whose reference is what training computes ({@link ReferenceStatistics}, on
   * the whole data set, predictions as a perfect model's), published with a stand-in bundle: the
   * job reads only the manifest, and fitting a pipeline here would cost the build a minute.
   */
  @BeforeAll
  static void publishPenguins() throws IOException {
    store = dir.resolve("store").toString();
    String yaml =
        Files.readString(root().resolve("conf/models/penguins.yaml"))
            .replace("data/penguins.json", root().resolve("data/penguins.json").toString());
    ModelSpec spec = SpecLoader.parse(yaml, "penguins.yaml");
    List<String> labels = List.of("Adelie", "Chinstrap", "Gentoo");
    Dataset<Row> rows =
        spark
            .read()
            .option("multiLine", "true")
            .json(root().resolve("data/penguins.json").toString());
    Dataset<Row> scored =
        rows.withColumn(
            PipelineFactory.PREDICTION,
            when(col("Species").equalTo("Adelie"), 0.0)
                .when(col("Species").equalTo("Chinstrap"), 1.0)
                .otherwise(2.0));
    MonitoringReference reference = ReferenceStatistics.of(spec, rows, scored, labels);
    List<InputField> inputs = new ArrayList<>();
    spec.features()
        .numeric()
        .forEach(f -> inputs.add(new InputField(f, FieldType.DOUBLE, true, 0.0)));
    spec.features()
        .categorical()
        .forEach(f -> inputs.add(new InputField(f, FieldType.STRING, true, "")));
    ModelStore opened = ModelStore.open(store);
    Staging staging = opened.stage("penguins");
    staging.putText(Layout.BUNDLE, "not scored by the monitor job");
    int version =
        opened.publish(
            staging,
            new Manifest(
                Manifest.FORMAT_VERSION,
                "penguins",
                1,
                "2026-12-01T00:00:00Z",
                Task.MULTICLASS_CLASSIFICATION,
                inputs,
                new Outputs(PipelineFactory.PREDICTION, null, labels),
                null,
                null,
                "3.5.7",
                "0.16.0",
                null,
                null,
                reference,
                null));
    manifest = opened.manifest("penguins", version);
    penguins = new ArrayList<>();
    JSON.readTree(root().resolve("data/penguins.json").toFile())
        .forEach(n -> penguins.add((ObjectNode) n));
  }

  /**
   * The traffic two replicas logged, once as each replica's own files and once as one file: the
   * same drift, accuracy and traffic, and each equal to what the records say when counted here.
   */
  @Test
  void twoReplicasGiveTheSameFiguresAsOneProcessSeeingAllTheTraffic() throws IOException {
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    int v = manifest.version();
    for (int i = 0; i < penguins.size(); i++) {
      ObjectNode p = penguins.get(i).deepCopy();
      // The second half of the traffic comes from one island only: Island drifts.
      if (i >= penguins.size() / 2) {
        p.put("Island", "Torgersen");
      }
      String species = p.remove("Species").asText();
      String at = (i % 2 == 0 ? DAY1 : DAY2) + "T10:" + String.format("%02d", i % 60) + ":00Z";
      List<String> replica = i % 2 == 0 ? a : b;
      replica.add(
          prediction(v, "req-" + i, at, i % 2 == 0 ? "host-a" : "host-b", 1.0 + i % 5, p, species));
      // Every third instance gets feedback; the model "predicted" the true species, except every
      // fifth of those, whose label is another class.
      if (i % 3 == 0) {
        String label = i % 5 == 0 ? other(species) : species;
        String fb = feedback(v, "tok-" + i, at, species, label, "host-b");
        replica.add(fb);
        if (i % 4 == 0) {
          // A repeated record (a retry), on the other replica: counted once.
          (replica == a ? b : a).add(fb);
        }
      }
    }
    // A partial request: its invalid instance is not binned.
    a.add(
        "{\"kind\":\"prediction\",\"model\":\"penguins\",\"version\":"
            + v
            + ",\"requestId\":\"partial\",\"at\":\""
            + DAY1
            + "T11:00:00Z\",\"latencyMs\":2.0,\"replica\":\"host-a\",\"route\":\"default\","
            + "\"instances\":[{\"Island\":\"Biscoe\"},{\"Island\":\"Dream\"}],"
            + "\"outputs\":[null,{\"prediction\":0.0,\"label\":\"Adelie\"}]}");
    // A redacted field is left out of its column only.
    ObjectNode redacted = penguins.get(0).deepCopy();
    redacted.put("Sex", "(redacted)");
    redacted.remove("Species");
    a.add(prediction(v, "redacted", DAY1 + "T11:01:00Z", "host-a", 1.0, redacted, "Adelie"));
    // A version the store does not have, and lines that are not records.
    b.add(prediction(99, "old", DAY2 + "T09:00:00Z", "host-b", 1.0, redacted, "Adelie"));
    a.add("{not json");
    a.add("{\"kind\":\"feedback\",\"version\":1}");
    // Another model's record in this model's directory: counted apart, not monitored.
    b.add(
        prediction(v, "cars", DAY2 + "T09:30:00Z", "host-b", 1.0, redacted, "Adelie")
            .replace("\"penguins\"", "\"cars\""));
    b.add("{\"kind\":\"prediction\",\"model\":\"penguins\",\"version\":\"three\"}");

    Path split = dir.resolve("log-split");
    write(split, DAY1, "host-a-1-0.jsonl", a, d -> d.equals(DAY1));
    write(split, DAY2, "host-a-2-0.jsonl", a, d -> d.equals(DAY2));
    write(split, DAY1, "host-b-1-0.jsonl", b, d -> d.equals(DAY1));
    write(split, DAY2, "host-b-2-0.jsonl", b, d -> d.equals(DAY2));
    List<String> all = new ArrayList<>(b);
    all.addAll(a);
    Path one = dir.resolve("log-one");
    write(one, DAY1, "host-1-0.jsonl", all, d -> true);

    // 300 values make a PSI here; the service's default of 500 is more than the data set holds.
    MonitorRun fleet = run(split.toString(), null, "2026-12-03T00:00:00Z", 300);
    MonitorRun single = run(one.toString(), null, "2026-12-03T00:00:01Z", 300);

    MonitorSummary f = fleet.summaries().get(0);
    MonitorSummary s = single.summaries().get(0);
    assertThat(fleet.files()).isEqualTo(4);
    assertThat(single.files()).isEqualTo(1);
    assertThat(f.drift()).isEqualTo(s.drift());
    assertThat(f.feedback()).isEqualTo(s.feedback());
    assertThat(f.traffic()).isEqualTo(s.traffic());
    assertThat(f.series()).hasSize(3); // 10:00 and 11:00 on the first day, 10:00 on the second
    assertThat(f.series().stream().mapToLong(MonitorSummary.Point::requests).sum())
        .isEqualTo(f.traffic().requests());

    // The figures themselves, counted here from the same instances.
    int n = penguins.size();
    assertThat(f.traffic().requests()).isEqualTo(n + 2);
    assertThat(f.traffic().instances()).isEqualTo(n + 3);
    assertThat(f.traffic().scored()).isEqualTo(n + 2);
    assertThat(f.traffic().replicas())
        .extracting(MonitorSummary.Replica::replica)
        .containsExactly("host-a", "host-b");
    Distribution island = column(manifest, "Island");
    long[] counts = new long[island.bins()];
    for (int i = 0; i < n; i++) {
      counts[island.binOf(i >= n / 2 ? "Torgersen" : penguins.get(i).get("Island").asText())]++;
    }
    counts[island.binOf("Dream")]++; // the partial request's valid instance
    counts[island.binOf(penguins.get(0).get("Island").asText())]++; // the redacted one's island
    double expected =
        Psi.of(island.shares().stream().mapToDouble(Double::doubleValue).toArray(), counts, n + 2);
    MonitorSummary.Column islandDrift = feature(f, "Island");
    assertThat(islandDrift.psi()).isCloseTo(expected, within(1e-12)).isGreaterThan(0.2);
    assertThat(islandDrift.alert()).isTrue();
    assertThat(f.drift().alerts()).anyMatch(alert -> alert.startsWith("Island: PSI "));
    assertThat(feature(f, "Sex").rows()).isEqualTo(n + 1); // the redacted value left out
    assertThat(feature(f, "Island").rows()).isEqualTo(n + 2);
    assertThat(f.drift().prediction().rows()).isEqualTo(n + 2);

    long feedbacks = 0;
    long correct = 0;
    long duplicates = 0;
    for (int i = 0; i < n; i += 3) {
      feedbacks++;
      correct += i % 5 == 0 ? 0 : 1;
      duplicates += i % 4 == 0 ? 1 : 0;
    }
    assertThat(f.feedback().count()).isEqualTo(feedbacks);
    assertThat(f.feedback().duplicates()).isEqualTo(duplicates);
    assertThat(f.feedback().metric()).isEqualTo("accuracy");
    assertThat(f.feedback().value()).isCloseTo(correct / (double) feedbacks, within(1e-12));

    assertThat(fleet.unknownVersions())
        .singleElement()
        .satisfies(u -> assertThat(u.version()).isEqualTo(99));
    assertThat(fleet.malformed().count()).isEqualTo(3);
    assertThat(fleet.otherModel()).isEqualTo(1);
    assertThat(fleet.malformed().examples())
        .anyMatch(e -> e.startsWith("not JSON"))
        .anyMatch(e -> e.startsWith("model is not a name"))
        .anyMatch(e -> e.startsWith("version is not a number"));

    // What the store holds: a report and a summary per run, and latest.json naming the newest.
    ModelStore opened = ModelStore.open(store);
    JsonNode latest = opened.monitoringJson("penguins", "latest.json").orElseThrow();
    assertThat(latest.get("run").asText()).isEqualTo(single.run());
    String path = latest.get("versions").get(0).get("path").asText();
    assertThat(path).startsWith("monitoring/v" + v + "/" + single.run());
    JsonNode summary =
        opened
            .monitoringJson("penguins", path.substring("monitoring/".length()) + "/summary.json")
            .orElseThrow();
    assertThat(summary.get("feedback").get("count").asLong()).isEqualTo(feedbacks);
    Path report = Path.of(store, "penguins", path, "report.html");
    assertThat(Files.readString(report)).contains("<img src=\"data:image/png;base64,", "Island");
  }

  @Test
  void sinceSkipsEarlierDaysAndRecordsAndUnfinishedFilesAreNotRead() throws IOException {
    int v = manifest.version();
    ObjectNode p = penguins.get(0).deepCopy();
    p.remove("Species");
    Path log = dir.resolve("log-since");
    write(
        log,
        DAY1,
        "host-a-1-0.jsonl",
        List.of(prediction(v, "r1", DAY1 + "T10:00:00Z", "host-a", 1.0, p, "Adelie")),
        d -> true);
    write(
        log,
        DAY2,
        "host-a-2-0.jsonl",
        List.of(
            prediction(v, "r2", DAY2 + "T08:00:00Z", "host-a", 1.0, p, "Adelie"),
            prediction(v, "r3", DAY2 + "T13:00:00Z", "host-a", 1.0, p, "Adelie"),
            feedback(v, "t3", DAY2 + "T13:00:05Z", "Adelie", "Adelie", "host-a")),
        d -> true);
    // A file still being written, and a day directory's stray file: never read.
    write(
        log,
        DAY2,
        "_inprogress-host-a-3-0.jsonl",
        List.of(prediction(v, "r4", DAY2 + "T14:00:00Z", "host-a", 1.0, p, "Adelie")),
        d -> true);

    MonitorRun run =
        run(
            log.toString(),
            DAY2 + "T12:00:00Z",
            "2026-12-03T00:00:02Z",
            MonitorOptions.DEFAULT_MIN_ROWS);

    assertThat(run.files()).isEqualTo(1);
    assertThat(run.lines()).isEqualTo(3);
    assertThat(run.beforeSince()).isEqualTo(1);
    MonitorSummary s = run.summaries().get(0);
    assertThat(s.traffic().requests()).isEqualTo(1);
    assertThat(s.feedback().count()).isEqualTo(1);
    assertThat(s.drift().features()).allSatisfy(c -> assertThat(c.psi()).isNull()); // < minRows
    assertThat(s.period().from()).isEqualTo(DAY2 + "T13:00:00Z");
  }

  @Test
  void refusesWithoutLogFilesSayingWhereItLookedAndAnUnknownModel() {
    MonitorOptions options = options(dir.resolve("no-log").toString(), null);
    assertThatThrownBy(() -> MonitorJob.run(spark, options))
        .isInstanceOf(MonitorJob.NoLogFilesException.class)
        .hasMessageContaining(dir.resolve("no-log") + "/penguins/date=*/*.jsonl");
    assertThat(
            MonitorCommand.execute(
                "penguins", "--store", store, "--log", dir.resolve("no-log").toString()))
        .isEqualTo(4);
    assertThat(MonitorCommand.execute("nobody", "--store", store, "--log", dir.toString()))
        .isEqualTo(2);
    assertThat(
            MonitorCommand.execute(
                "penguins", "--store", store, "--log", dir.toString(), "--since", "yesterday"))
        .isEqualTo(2);
  }

  private static MonitorRun run(String log, String since, String now, int minRows) {
    MonitorOptions options = options(log, since);
    options.minRows = minRows;
    MonitorJob.Spec spec = MonitorJob.Spec.of(options, Instant.parse(now));
    return MonitorJob.run(
        spark, spec, Instant.parse(now), new PrintStream(java.io.OutputStream.nullOutputStream()));
  }

  private static MonitorOptions options(String log, String since) {
    MonitorOptions o = new MonitorOptions();
    o.model = "penguins";
    o.store = store;
    o.log = log;
    o.since = since;
    o.threshold = MonitorOptions.DEFAULT_THRESHOLD;
    o.minRows = MonitorOptions.DEFAULT_MIN_ROWS;
    return o;
  }

  private static String prediction(
      int version,
      String requestId,
      String at,
      String replica,
      double latency,
      ObjectNode instance,
      String species) {
    ObjectNode r = JSON.createObjectNode();
    r.put("kind", "prediction").put("model", "penguins").put("version", version);
    r.put("requestId", requestId).put("at", at).put("latencyMs", latency).put("replica", replica);
    r.put("route", "default");
    r.putArray("instances").add(instance);
    ObjectNode out = r.putArray("outputs").addObject();
    out.put("prediction", (double) manifest.outputs().labels().indexOf(species))
        .put("label", species);
    return r.toString();
  }

  private static String feedback(
      int version, String id, String at, String predicted, String label, String replica) {
    ObjectNode r = JSON.createObjectNode();
    r.put("kind", "feedback").put("model", "penguins").put("version", version).put("id", id);
    r.put("at", at).put("predictedAt", at);
    r.put("prediction", (double) manifest.outputs().labels().indexOf(predicted));
    r.put("label", label).put("replica", replica);
    return r.toString();
  }

  private static String other(String species) {
    List<String> labels = manifest.outputs().labels();
    return labels.get((labels.indexOf(species) + 1) % labels.size());
  }

  /** Writes the lines whose "at" day passes {@code day} to ROOT/penguins/date=DATE/NAME. */
  private static void write(
      Path root, String date, String name, List<String> lines, Predicate<String> day) {
    List<String> chosen = new ArrayList<>();
    for (String line : lines) {
      int at = line.indexOf("\"at\":\"");
      String d = at < 0 ? DAY1 : line.substring(at + 6, at + 16);
      if (day.test(d)) {
        chosen.add(line);
      }
    }
    try {
      Path dayDir = Files.createDirectories(root.resolve("penguins").resolve("date=" + date));
      Files.write(dayDir.resolve(name), chosen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Distribution column(Manifest m, String name) {
    return m.monitoring().features().stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static MonitorSummary.Column feature(MonitorSummary s, String name) {
    return s.drift().features().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
