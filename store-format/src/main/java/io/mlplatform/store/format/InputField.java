package io.mlplatform.store.format;

/**
 * One column a caller sends, named exactly as in the training data.
 *
 * @param fill the value training substituted for null (numeric: a statistic of the training split;
 *     categorical: a fixed token). Serving substitutes the same value, because the MLeap runtime
 *     here has no Imputer. {@code null} when the column may not be null.
 * @param source the Spark data source the column was read with at training time ({@code "json"},
 *     {@code "csv"}, {@code "parquet"}), so that serving converts a caller's value the way that
 *     reader did: Spark's JSON reader turns a decimal number in a string column into the text of
 *     the double ({@code 1.50} becomes {@code "1.5"}), while a CSV cell keeps its own text. {@code
 *     null} in manifests written before it was recorded.
 */
public record InputField(
    String name, FieldType type, boolean nullable, Object fill, String source) {

  /** Spark's JSON data source, the one whose conversion of numbers to text serving reproduces. */
  public static final String JSON = "json";

  /** A field whose training source is not recorded. */
  public InputField(String name, FieldType type, boolean nullable, Object fill) {
    this(name, type, nullable, fill, null);
  }
}
