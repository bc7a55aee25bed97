package io.mlplatform.training.monitoring;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.store.format.Distribution;
import io.mlplatform.store.format.MonitoringReference;
import io.mlplatform.training.pipeline.PipelineFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The reference distributions serving compares live traffic with (see store-format/STORE.md). Every
 * count is a Spark aggregation, so this scales with the cluster, not the driver.
 */
public final class ReferenceStatistics {

  /** Ten bins: the deciles, the usual choice for PSI (fewer hides shifts, more makes noise). */
  static final int NUMERIC_BINS = 10;

  /** More categories than this go to "(other)": bounded JSON, bounded Prometheus series. */
  static final int TOP_CATEGORIES = 20;

  private static final double QUANTILE_ERROR = 0.001;

  private ReferenceStatistics() {}

  /**
   * @param train the training split's raw rows (before missing values are filled)
   * @param scoredTest the held-out rows as the fitted pipeline scored them
   * @param classes class names by index; empty for regression
   */
  public static MonitoringReference of(
      ModelSpec spec, Dataset<Row> train, Dataset<Row> scoredTest, List<String> classes) {
    List<String> numeric = spec.features().numeric();
    List<Distribution> features = new ArrayList<>(numeric(train, numeric, numeric));
    features.addAll(categorical(train, spec.features().categorical()));
    Distribution prediction =
        classes.isEmpty()
            ? numeric(scoredTest, PipelineFactory.PREDICTION, "prediction")
            : predictedClasses(scoredTest, classes);
    return new MonitoringReference(features, prediction);
  }

  /** Decile edges of the non-null values, then the share of rows in each bin and the null share. */
  static Distribution numeric(Dataset<Row> data, String column, String name) {
    return numeric(data, List.of(column), List.of(name)).get(0);
  }

  /**
   * {@link #numeric(Dataset, String, String)} for several columns in two passes over the data (one
   * for all quantiles, one for all bin counts) instead of two per column: at a million rows the
   * passes were most of the export phase.
   */
  static List<Distribution> numeric(Dataset<Row> data, List<String> columns, List<String> names) {
    if (columns.isEmpty()) {
      return List.of();
    }
    String[] aliases = new String[columns.size()];
    Column[] casts = new Column[columns.size()];
    for (int c = 0; c < aliases.length; c++) {
      aliases[c] = "v" + c;
      casts[c] = col(columns.get(c)).cast(DataTypes.DoubleType).as(aliases[c]);
    }
    Dataset<Row> values = data.select(casts);
    double[] probabilities = new double[NUMERIC_BINS - 1];
    for (int i = 0; i < probabilities.length; i++) {
      probabilities[i] = (i + 1) / (double) NUMERIC_BINS;
    }
    // approxQuantile skips each column's nulls and NaN on their own; a column of only nulls gets no
    // quantiles. Repeated values give repeated edges, kept once.
    double[][] quantiles = values.stat().approxQuantile(aliases, probabilities, QUANTILE_ERROR);
    List<List<Double>> edges = new ArrayList<>();
    List<Column> counts = new ArrayList<>();
    for (int c = 0; c < aliases.length; c++) {
      List<Double> columnEdges =
          new ArrayList<>(new TreeSet<>(Arrays.stream(quantiles[c]).boxed().toList()));
      edges.add(columnEdges);
      counts.addAll(binCounts(col(aliases[c]), columnEdges));
    }
    counts.add(count(lit(1)));
    Row counted =
        values.agg(counts.get(0), counts.subList(1, counts.size()).toArray(new Column[0])).first();
    long rows = counted.getLong(counts.size() - 1);
    List<Distribution> distributions = new ArrayList<>();
    int at = 0;
    for (int c = 0; c < aliases.length; c++) {
      List<Double> shares = new ArrayList<>();
      // The bins between the edges, then the null bin.
      for (int bin = 0; bin < edges.get(c).size() + 2; bin++, at++) {
        shares.add(share(counted.isNullAt(at) ? 0 : counted.getLong(at), rows));
      }
      distributions.add(
          new Distribution(
              names.get(c), Distribution.Kind.NUMERIC, edges.get(c), List.of(), shares, rows));
    }
    return distributions;
  }

  /**
   * Rows per bin: at or below the first edge, each (previous, next] interval, above the last, then
   * null or NaN.
   */
  private static List<Column> binCounts(Column v, List<Double> edges) {
    List<Column> bins = new ArrayList<>();
    Column isNull = v.isNull().or(v.isNaN());
    for (int i = 0; i <= edges.size(); i++) {
      Column inBin =
          edges.isEmpty()
              ? lit(true)
              : i == edges.size()
                  ? v.gt(edges.get(i - 1))
                  : i == 0 ? v.leq(edges.get(0)) : v.gt(edges.get(i - 1)).and(v.leq(edges.get(i)));
      bins.add(sum(when(not(isNull).and(inBin), 1L).otherwise(0L)));
    }
    bins.add(sum(when(isNull, 1L).otherwise(0L)));
    return bins;
  }

  /** The most frequent values (ties by value, so retrains are stable), then other, then null. */
  static Distribution categorical(Dataset<Row> data, String column) {
    return categorical(data, List.of(column)).get(0);
  }

  /**
   * {@link #categorical(Dataset, String)} for several columns in one pass: each row becomes one
   * (column, value) pair per column, counted in one aggregation instead of one per column.
   */
  static List<Distribution> categorical(Dataset<Row> data, List<String> columns) {
    if (columns.isEmpty()) {
      return List.of();
    }
    Column[] pairs = new Column[columns.size()];
    for (int c = 0; c < pairs.length; c++) {
      pairs[c] = struct(lit(c).as("c"), col(columns.get(c)).cast(DataTypes.StringType).as("v"));
    }
    List<Map<String, Long>> byValue = new ArrayList<>();
    long[] rows = new long[columns.size()];
    long[] nulls = new long[columns.size()];
    for (int c = 0; c < pairs.length; c++) {
      byValue.add(new LinkedHashMap<>());
    }
    for (Row row :
        data.select(explode(array(pairs)).as("p"))
            .groupBy(col("p.c"), col("p.v"))
            .count()
            .collectAsList()) {
      int c = row.getInt(0);
      long n = row.getLong(2);
      rows[c] += n;
      if (row.isNullAt(1)) {
        nulls[c] += n;
      } else {
        byValue.get(c).put(row.getString(1), n);
      }
    }
    List<Distribution> distributions = new ArrayList<>();
    for (int c = 0; c < pairs.length; c++) {
      distributions.add(categorical(columns.get(c), byValue.get(c), rows[c], nulls[c]));
    }
    return distributions;
  }

  private static Distribution categorical(
      String column, Map<String, Long> byValue, long rows, long nulls) {
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(byValue.entrySet());
    sorted.sort(
        Map.Entry.<String, Long>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    List<String> categories = new ArrayList<>();
    List<Double> shares = new ArrayList<>();
    long kept = 0;
    for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(TOP_CATEGORIES, sorted.size()))) {
      categories.add(e.getKey());
      shares.add(share(e.getValue(), rows));
      kept += e.getValue();
    }
    shares.add(share(rows - kept - nulls, rows));
    shares.add(share(nulls, rows));
    return new Distribution(
        column, Distribution.Kind.CATEGORICAL, List.of(), categories, shares, rows);
  }

  /** The share of each class among the predictions, in class-index order. */
  static Distribution predictedClasses(Dataset<Row> scored, List<String> classes) {
    long[] perClass = new long[classes.size()];
    long rows = 0;
    for (Row row : scored.groupBy(col(PipelineFactory.PREDICTION)).count().collectAsList()) {
      int index = (int) row.getDouble(0);
      perClass[index] += row.getLong(1);
      rows += row.getLong(1);
    }
    List<Double> shares = new ArrayList<>();
    for (long n : perClass) {
      shares.add(share(n, rows));
    }
    shares.add(0.0);
    shares.add(0.0);
    return new Distribution(
        "prediction", Distribution.Kind.CATEGORICAL, List.of(), classes, shares, rows);
  }

  private static double share(long n, long rows) {
    return rows == 0 ? 0.0 : n / (double) rows;
  }
}
