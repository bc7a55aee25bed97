package io.mlplatform.training.spec;

/** Data formats the job reads with Spark's built-in sources. */
public enum DataFormat {
  CSV,
  JSON,
  PARQUET;

  public String sparkName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
