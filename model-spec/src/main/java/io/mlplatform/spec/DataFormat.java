package io.mlplatform.spec;

/** Data formats the job reads with Spark's built-in sources. */
public enum DataFormat {
  CSV,
  JSON,
  PARQUET;

  /** The format a path's extension names: .json, .csv, else Parquet (Spark's default format). */
  public static DataFormat fromPath(String path) {
    String lower = path.toLowerCase(java.util.Locale.ROOT);
    return lower.endsWith(".json") ? JSON : lower.endsWith(".csv") ? CSV : PARQUET;
  }

  public String sparkName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
