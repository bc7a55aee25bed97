package io.mlplatform.training.export;

import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.ReferenceRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Proves a bundle before it is published: loads it with the MLeap runtime serving uses (0.20, in an
 * {@link IsolatedRuntime isolated class loader}: the training classpath has mleap-spark 0.16's
 * runtime), scores the reference rows exactly as serving will (nulls replaced by the manifest's
 * fills, numbers as doubles) and compares every output with Spark's.
 */
public final class ExportCheck {

  /** Largest difference allowed between Spark's and MLeap's outputs. */
  public static final double TOLERANCE = 1e-9;

  private static final int SHOWN = 3;

  private ExportCheck() {}

  /**
   * What the check compared, for the job's console.
   *
   * @param runtime the version of the MLeap runtime that scored the rows, as its jar reports it
   */
  public record Outcome(int rows, int outputs, double maxDifference, String runtime) {}

  /**
   * @param inputs the manifest's inputs (name, type, fill), in bundle order
   * @throws ExportMismatchException when MLeap cannot load or score the bundle, or any output
   *     differs from Spark's by more than {@link #TOLERANCE}
   */
  public static Outcome verify(
      Path bundleZip,
      List<InputField> inputs,
      List<ReferenceRow> rows,
      String predictionColumn,
      String probabilityColumn) {
    Map<String, Object> answer =
        IsolatedRuntime.scorer()
            .apply(request(bundleZip, inputs, rows, predictionColumn, probabilityColumn));
    Object error = answer.get("error");
    if (error != null) {
      String prefix =
          switch ((String) error) {
            case "load" -> "the MLeap runtime cannot load the bundle just written: ";
            case "score" -> "the MLeap runtime cannot score the reference rows: ";
            default -> "";
          };
      throw new ExportMismatchException(
          prefix + answer.get("message"), (Throwable) answer.get("cause"));
    }
    return compare(answer, rows, probabilityColumn);
  }

  /**
   * The rows as serving feeds them: fills for nulls, numbers as doubles, in the manifest's order.
   */
  private static Map<String, Object> request(
      Path bundleZip,
      List<InputField> inputs,
      List<ReferenceRow> rows,
      String predictionColumn,
      String probabilityColumn) {
    List<Map<String, Object>> fields = new ArrayList<>();
    for (InputField input : inputs) {
      fields.add(
          Map.of(
              "name",
              input.name(),
              "type",
              input.type() == FieldType.DOUBLE ? "double" : "string"));
    }
    List<List<Object>> values = new ArrayList<>();
    for (ReferenceRow row : rows) {
      List<Object> frameRow = new ArrayList<>();
      for (InputField input : inputs) {
        Object value = row.input().get(input.name());
        if (value == null) {
          value = input.fill();
        }
        frameRow.add(
            input.type() == FieldType.DOUBLE && value instanceof Number n
                ? n.doubleValue()
                : value);
      }
      values.add(frameRow);
    }
    Map<String, Object> request = new HashMap<>();
    request.put("bundle", bundleZip.toAbsolutePath().toString());
    request.put("fields", fields);
    request.put("rows", values);
    request.put("prediction", predictionColumn);
    request.put("probability", probabilityColumn);
    return request;
  }

  @SuppressWarnings("unchecked")
  private static Outcome compare(
      Map<String, Object> answer, List<ReferenceRow> rows, String probabilityColumn) {
    List<Double> predictions = (List<Double>) answer.get("predictions");
    List<List<Double>> probabilities = (List<List<Double>>) answer.get("probabilities");
    List<String> mismatches = new ArrayList<>();
    int mismatchedRows = 0;
    int outputs = 0;
    double max = 0;
    for (int i = 0; i < rows.size(); i++) {
      ReferenceRow expected = rows.get(i);
      List<String> problems = new ArrayList<>();
      max = Math.max(max, check(problems, "prediction", expected.prediction(), predictions.get(i)));
      outputs++;
      if (expected.probabilities() != null) {
        if (probabilities == null) {
          throw new ExportMismatchException(
              "Spark produced probabilities but the bundle has no column '"
                  + probabilityColumn
                  + "'");
        }
        List<Double> values = probabilities.get(i);
        if (values.size() != expected.probabilities().size()) {
          problems.add(
              "probability has "
                  + values.size()
                  + " values, Spark had "
                  + expected.probabilities().size());
        } else {
          for (int k = 0; k < values.size(); k++) {
            max =
                Math.max(
                    max,
                    check(
                        problems,
                        "probability[" + k + "]",
                        expected.probabilities().get(k),
                        values.get(k)));
            outputs++;
          }
        }
      }
      if (!problems.isEmpty()) {
        mismatchedRows++;
        if (mismatches.size() < SHOWN) {
          mismatches.add("row " + i + " " + String.join(", ", problems));
        }
      }
    }
    if (mismatchedRows > 0) {
      throw new ExportMismatchException(
          String.format(
              Locale.ROOT,
              "the MLeap bundle does not reproduce Spark on %d of %d reference rows (tolerance %.0e): %s",
              mismatchedRows,
              rows.size(),
              TOLERANCE,
              String.join("; ", mismatches)));
    }
    return new Outcome(rows.size(), outputs, max, (String) answer.get("runtime"));
  }

  private static double check(List<String> problems, String output, double spark, double mleap) {
    double difference = Math.abs(spark - mleap);
    if (!(difference <= TOLERANCE) && !(Double.isNaN(spark) && Double.isNaN(mleap))) {
      problems.add(
          String.format(Locale.ROOT, "%s: Spark %.17g, MLeap %.17g", output, spark, mleap));
    }
    return Double.isNaN(difference) ? 0 : difference;
  }
}
