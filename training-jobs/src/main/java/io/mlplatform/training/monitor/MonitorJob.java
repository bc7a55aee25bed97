package io.mlplatform.training.monitor;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.StoreJson;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import io.mlplatform.training.Progress;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The fleet-wide monitor: reads the prediction log every replica wrote (see docs/monitoring.md,
 * "Fleet-wide monitoring") and, for each version seen, compares its traffic with the version's
 * training reference exactly as the service does, judges its feedback, and counts its traffic and
 * latency. Every count is a Spark aggregation; the driver only collects the counts per bin and per
 * time bucket, so the work scales with the cluster and the driver's memory with the number of
 * versions and buckets, not of records.
 */
public final class MonitorJob {

  /**
   * Hour buckets while the records span at most this; day buckets beyond (a plot stays legible).
   */
  static final Duration HOURLY_UP_TO = Duration.ofDays(3);

  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final double[] QUANTILES = {0.5, 0.95, 0.99};
  // percentile_approx's accuracy: the rank of the value returned is off by at most 1/10,000 of n.
  private static final int ACCURACY = 10_000;

  /**
   * What to monitor.
   *
   * @param since null for everything the log holds
   * @param sinceText as the user wrote it, for the summary
   */
  public record Spec(
      String model,
      String store,
      String log,
      Instant since,
      String sinceText,
      double threshold,
      int minRows) {

    public static Spec of(MonitorOptions o, Instant now) {
      if (o.log == null || o.log.isBlank()) {
        throw new IllegalArgumentException(
            "--log is required: the prediction log's root (serving's predictionLog.uri)");
      }
      if (!(o.threshold > 0)) {
        throw new IllegalArgumentException("--threshold must be above 0, got " + o.threshold);
      }
      if (o.minRows < 1) {
        throw new IllegalArgumentException("--min-rows must be at least 1, got " + o.minRows);
      }
      return new Spec(
          o.model, o.store, o.log, Since.parse(o.since, now), o.since, o.threshold, o.minRows);
    }
  }

  /** No log file matched: nothing to monitor (exit code 4). */
  public static final class NoLogFilesException extends RuntimeException {
    NoLogFilesException(String message) {
      super(message);
    }
  }

  private MonitorJob() {}

  /** For tests and callers with options in hand: runs now, progress to stdout. */
  public static MonitorRun run(SparkSession spark, MonitorOptions options) {
    return run(spark, Spec.of(options, Instant.now()), Instant.now(), System.out);
  }

  public static MonitorRun run(SparkSession spark, Spec spec, Instant now, PrintStream out) {
    Progress progress = new Progress("monitor " + spec.model(), out);
    ModelStore store = ModelStore.open(spec.store());
    List<Integer> stored = store.versions(spec.model());
    if (stored.isEmpty()) {
      throw new StoreException(
          StoreException.Kind.NOT_FOUND, "model " + spec.model() + " not found in " + store.uri());
    }
    Map<Integer, Manifest> manifests = new TreeMap<>();
    Map<Integer, String> manifestJson = new TreeMap<>();
    for (int v : stored) {
      Manifest m = store.manifest(spec.model(), v);
      manifests.put(v, m);
      manifestJson.put(v, json(m));
    }
    List<String> files =
        LogFiles.list(
            spec.log(), spec.model(), spec.since(), spark.sparkContext().hadoopConfiguration());
    if (files.isEmpty()) {
      throw new NoLogFilesException(
          "no prediction log files of "
              + spec.model()
              + " at "
              + LogFiles.pattern(spec.log(), spec.model())
              + (spec.since() == null ? "" : " from " + spec.since() + " on")
              + ": is predictionLog enabled in the service's config, and is --log its uri?");
    }
    progress.step(
        "reading "
            + files.size()
            + " log file(s) under "
            + LogFiles.pattern(spec.log(), spec.model()));

    Dataset<Row> events =
        spark
            .read()
            .textFile(files.toArray(String[]::new))
            .mapPartitions(
                new LogRecords(
                    spec.model(),
                    JavaSparkContext.fromSparkContext(spark.sparkContext())
                        .broadcast(new HashMap<>(manifestJson))),
                Encoders.row(LogRecords.SCHEMA));
    events = events.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return collect(spark, spec, now, store, manifests, files, events, progress);
    } finally {
      events.unpersist();
    }
  }

  private static MonitorRun collect(
      SparkSession spark,
      Spec spec,
      Instant now,
      ModelStore store,
      Map<Integer, Manifest> manifests,
      List<String> files,
      Dataset<Row> events,
      Progress progress) {
    // A record before --since is in a day the listing kept; it is counted, then left out.
    Column early =
        spec.since() == null
            ? lit(false)
            : col("at").isNotNull().and(col("at").lt(lit(spec.since().toEpochMilli())));
    Map<String, Long> kinds = new TreeMap<>();
    long lines = 0;
    long beforeSince = 0;
    for (Row r : events.groupBy(col("kind"), early.as("early")).count().collectAsList()) {
      lines += r.getLong(2);
      if (r.getBoolean(1)) {
        beforeSince += r.getLong(2);
      } else {
        kinds.merge(r.getString(0), r.getLong(2), Long::sum);
      }
    }
    if (spec.since() != null) {
      events = events.filter(early.unary_$bang());
    }
    List<String> examples = new ArrayList<>();
    if (kinds.getOrDefault(LogRecords.MALFORMED, 0L) > 0) {
      for (Row r :
          events
              .filter(col("kind").equalTo(LogRecords.MALFORMED))
              .groupBy("problem")
              .count()
              .orderBy(col("count").desc())
              .limit(5)
              .collectAsList()) {
        examples.add(r.getString(0) + " (" + r.getLong(1) + " lines)");
      }
    }
    progress.step(
        lines
            + " lines: "
            + kinds.getOrDefault(LogRecords.PREDICTION, 0L)
            + " predictions, "
            + kinds.getOrDefault(LogRecords.FEEDBACK, 0L)
            + " feedback, "
            + kinds.getOrDefault(LogRecords.MALFORMED, 0L)
            + " malformed (skipped)"
            + (spec.since() == null ? "" : ", " + beforeSince + " before --since (skipped)"));

    Dataset<Row> records =
        events.filter(col("kind").isin(LogRecords.PREDICTION, LogRecords.FEEDBACK));
    Row range = records.agg(min("at"), max("at")).first();
    Long from = range.isNullAt(0) ? null : range.getLong(0);
    Long to = range.isNullAt(1) ? null : range.getLong(1);
    boolean hourly = from == null || to - from <= HOURLY_UP_TO.toMillis();
    long width = hourly ? Duration.ofHours(1).toMillis() : Duration.ofDays(1).toMillis();
    Column bucket = col("at").minus(pmod(col("at"), lit(width))).as("bucket");

    Dataset<Row> predictions = events.filter(col("kind").equalTo(LogRecords.PREDICTION));
    Map<Integer, VersionTally> tallies = new TreeMap<>();
    for (Row r :
        predictions
            .groupBy(col("version"), col("replica"))
            .agg(count(lit(1)), sum("instances"), sum("scored"))
            .collectAsList()) {
      tally(tallies, r.getInt(0)).replica(r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4));
    }
    Column quantiles = percentile_approx(col("latencyMs"), quantileArray(), lit(ACCURACY));
    for (Row r : predictions.groupBy(col("version")).agg(quantiles).collectAsList()) {
      tally(tallies, r.getInt(0)).latency = doubles(r, 1);
    }
    for (Row r :
        predictions
            .groupBy(col("version"), bucket)
            .agg(count(lit(1)), sum("instances"), quantiles)
            .collectAsList()) {
      tally(tallies, r.getInt(0))
          .point(r.getLong(1))
          .traffic(r.getLong(2), r.getLong(3), doubles(r, 4));
    }
    progress.step("traffic and latency of " + tallies.size() + " version(s) counted");

    for (Row r :
        predictions
            .filter(col("columns").gt(0))
            .select(col("version"), bucket, col("columns"), posexplode(col("bins")))
            .filter(col("col").geq(0))
            .groupBy(col("version"), col("bucket"), pmod(col("pos"), col("columns")), col("col"))
            .count()
            .collectAsList()) {
      tally(tallies, r.getInt(0)).bin(r.getLong(1), r.getInt(2), r.getInt(3), r.getLong(4));
    }
    progress.step("drift bins counted");

    Dataset<Row> feedback =
        events
            .filter(col("kind").equalTo(LogRecords.FEEDBACK))
            // The log writes each accepted feedback once, but a replica's retry or a restart may
            // repeat one: the first record of an id counts.
            .groupBy(col("version"), col("id"))
            .agg(
                min("at").as("at"),
                min_by(col("correct"), col("at")).as("correct"),
                min_by(col("error"), col("at")).as("error"),
                count(lit(1)).as("n"));
    for (Row r :
        feedback
            .groupBy(col("version"), bucket)
            .agg(
                count(lit(1)),
                sum(col("n").minus(1)),
                count(col("correct")),
                sum(when(col("correct"), 1L).otherwise(0L)),
                sum(col("error").multiply(col("error"))))
            .collectAsList()) {
      tally(tallies, r.getInt(0))
          .point(r.getLong(1))
          .feedback(
              r.getLong(2),
              r.getLong(3),
              r.getLong(4),
              r.getLong(5),
              r.isNullAt(6) ? 0 : r.getDouble(6));
    }
    progress.step("feedback judged");

    String run = RUN_ID.format(now);
    MonitorSummary.Period period =
        new MonitorSummary.Period(
            spec.since() == null ? null : spec.since().toString(),
            from == null ? null : Instant.ofEpochMilli(from).toString(),
            to == null ? null : Instant.ofEpochMilli(to).toString());
    List<MonitorRun.VersionRef> refs = new ArrayList<>();
    List<MonitorRun.Unknown> unknown = new ArrayList<>();
    List<MonitorSummary> summaries = new ArrayList<>();
    for (Map.Entry<Integer, VersionTally> e : tallies.entrySet()) {
      int version = e.getKey();
      VersionTally t = e.getValue();
      Manifest manifest = manifests.get(version);
      if (manifest == null) {
        unknown.add(new MonitorRun.Unknown(version, t.requests, t.instances, t.feedbackCount()));
        progress.step(
            "v" + version + " is in the log but not in the store: counted, not monitored");
        continue;
      }
      MonitorSummary summary =
          Summaries.of(manifest, t, run, period, hourly ? "hour" : "day", spec);
      String path =
          store.publishMonitoring(
              spec.model(), version, run, summary, MonitoringPage.render(summary, spec.log()));
      summaries.add(summary);
      refs.add(
          new MonitorRun.VersionRef(
              version, path, t.requests, t.instances, summary.drift().alerts()));
      progress.step(
          "v"
              + version
              + ": "
              + t.requests
              + " requests, "
              + summary.drift().alerts().size()
              + " drift alert(s); report in "
              + store.uri()
              + "/"
              + spec.model()
              + "/"
              + path
              + "/report.html");
    }
    MonitorRun result =
        new MonitorRun(
            spec.model(),
            run,
            now.toString(),
            store.uri().toString(),
            LogFiles.qualify(spec.log()).toString(),
            spec.sinceText(),
            files.size(),
            lines,
            beforeSince,
            kinds.getOrDefault(LogRecords.PREDICTION, 0L),
            kinds.getOrDefault(LogRecords.FEEDBACK, 0L),
            new MonitorRun.Malformed(kinds.getOrDefault(LogRecords.MALFORMED, 0L), examples),
            kinds.getOrDefault(LogRecords.OTHER_MODEL, 0L),
            refs,
            unknown,
            summaries);
    store.putMonitoringLatest(spec.model(), result);
    return result;
  }

  private static VersionTally tally(Map<Integer, VersionTally> tallies, int version) {
    return tallies.computeIfAbsent(version, v -> new VersionTally());
  }

  private static Column quantileArray() {
    Column[] qs = new Column[QUANTILES.length];
    for (int i = 0; i < qs.length; i++) {
      qs[i] = lit(QUANTILES[i]);
    }
    return array(qs);
  }

  private static Double[] doubles(Row r, int i) {
    Double[] values = new Double[QUANTILES.length];
    if (!r.isNullAt(i)) {
      List<Object> list = r.getList(i);
      for (int q = 0; q < values.length; q++) {
        values[q] = list.get(q) == null ? null : ((Number) list.get(q)).doubleValue();
      }
    }
    return values;
  }

  private static String json(Manifest m) {
    try {
      return StoreJson.mapper().writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
