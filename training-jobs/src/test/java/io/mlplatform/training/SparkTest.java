package io.mlplatform.training;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One local[2] session per test class, always stopped and cleared. */
public abstract class SparkTest {

  protected static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    try {
      spark.stop();
    } finally {
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
  }

  /** The project root, where conf/ and data/ live (surefire runs in the module directory). */
  protected static java.nio.file.Path root() {
    return java.nio.file.Path.of("..").toAbsolutePath().normalize();
  }
}
