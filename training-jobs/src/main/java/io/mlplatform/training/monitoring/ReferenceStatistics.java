package io.mlplatform.training.monitoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.mlplatform.store.Distribution;
import io.mlplatform.store.MonitoringReference;
import io.mlplatform.training.pipeline.PipelineFactory;
import io.mlplatform.training.spec.ModelSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The reference distributions serving compares live traffic with (see store-format/STORE.md).
 * Every count is a Spark aggregation, so this scales with the cluster, not the driver.
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
  public static MonitoringReference of(ModelSpec spec, Dataset<Row> train, Dataset<Row> scoredTest,
      List<String> classes) {
    List<Distribution> features = new ArrayList<>();
    for (String column : spec.features().numeric()) {
      features.add(numeric(train, column, column));
    }
    for (String column : spec.features().categorical()) {
      features.add(categorical(train, column));
    }
    Distribution prediction = classes.isEmpty()
        ? numeric(scoredTest, PipelineFactory.PREDICTION, "prediction")
        : predictedClasses(scoredTest, classes);
    return new MonitoringReference(features, prediction);
  }

  /** Decile edges of the non-null values, then the share of rows in each bin and the null share. */
  static Distribution numeric(Dataset<Row> data, String column, String name) {
    Column value = col(column).cast(DataTypes.DoubleType);
    Dataset<Row> values = data.select(value.as("v"));
    double[] probabilities = new double[NUMERIC_BINS - 1];
    for (int i = 0; i < probabilities.length; i++) {
      probabilities[i] = (i + 1) / (double) NUMERIC_BINS;
    }
    // approxQuantile skips nulls and NaN; repeated values give repeated edges, kept once.
    double[] quantiles = values.stat().approxQuantile("v", probabilities, QUANTILE_ERROR);
    List<Double> edges = new ArrayList<>(new TreeSet<>(java.util.Arrays.stream(quantiles).boxed().toList()));
    List<Column> bins = new ArrayList<>();
    Column v = col("v");
    Column isNull = v.isNull().or(v.isNaN());
    for (int i = 0; i <= edges.size(); i++) {
      Column inBin = edges.isEmpty() ? lit(true)
          : i == edges.size() ? v.gt(edges.get(i - 1))
          : i == 0 ? v.leq(edges.get(0)) : v.gt(edges.get(i - 1)).and(v.leq(edges.get(i)));
      bins.add(sum(when(not(isNull).and(inBin), 1L).otherwise(0L)));
    }
    bins.add(sum(when(isNull, 1L).otherwise(0L)));
    bins.add(count(lit(1)));
    Row counts = values.agg(bins.get(0), bins.subList(1, bins.size()).toArray(new Column[0])).first();
    long rows = counts.getLong(bins.size() - 1);
    List<Double> shares = new ArrayList<>();
    for (int i = 0; i < bins.size() - 1; i++) {
      shares.add(share(counts.isNullAt(i) ? 0 : counts.getLong(i), rows));
    }
    return new Distribution(name, Distribution.Kind.NUMERIC, edges, List.of(), shares, rows);
  }

  /** The most frequent values (ties by value, so retrains are stable), then other, then null. */
  static Distribution categorical(Dataset<Row> data, String column) {
    List<Row> counted = data.select(col(column).cast(DataTypes.StringType).as("v")).groupBy("v").count()
        .collectAsList();
    long rows = 0;
    long nulls = 0;
    Map<String, Long> byValue = new LinkedHashMap<>();
    for (Row row : counted) {
      long n = row.getLong(1);
      rows += n;
      if (row.isNullAt(0)) {
        nulls += n;
      } else {
        byValue.put(row.getString(0), n);
      }
    }
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(byValue.entrySet());
    sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
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
    return new Distribution(column, Distribution.Kind.CATEGORICAL, List.of(), categories, shares, rows);
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
    return new Distribution("prediction", Distribution.Kind.CATEGORICAL, List.of(), classes, shares, rows);
  }

  private static double share(long n, long rows) {
    return rows == 0 ? 0.0 : n / (double) rows;
  }
}
