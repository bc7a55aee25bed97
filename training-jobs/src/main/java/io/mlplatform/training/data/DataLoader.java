package io.mlplatform.training.data;

import io.mlplatform.training.spec.ModelSpec;
import io.mlplatform.training.spec.SpecException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads a spec's data with Spark's own sources, from any Hadoop FileSystem. */
public final class DataLoader {

  private DataLoader() {}

  public static Dataset<Row> load(SparkSession spark, ModelSpec.Data data) {
    return spark.read().format(data.format().sparkName()).options(data.options()).load(resolve(data.path()));
  }

  /** Applies {@code data.where}; a condition Spark cannot parse or resolve is a spec error. */
  public static Dataset<Row> filter(Dataset<Row> rows, ModelSpec.Data data, String source) {
    if (data.where() == null) {
      return rows;
    }
    try {
      Dataset<Row> filtered = rows.where(data.where());
      filtered.queryExecution().assertAnalyzed();
      return filtered;
    } catch (Exception e) {
      // Scala declares no checked exceptions, so javac cannot catch AnalysisException by name.
      if (e instanceof AnalysisException invalid) {
        throw new SpecException(source, List.of(
            "data.where: '" + data.where() + "' is not a valid condition on the data: " + invalid.getSimpleMessage()));
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /** Local paths resolve against the working directory; anything with a scheme is used as is. */
  public static String resolve(String path) {
    if (path.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      return path;
    }
    return java.nio.file.Path.of(path).toAbsolutePath().normalize().toUri().toString();
  }

  /**
   * SHA-256 over the names, sizes and bytes of every file Spark read, in name order, so that the same
   * data gives the same fingerprint wherever it is stored.
   */
  public static String fingerprint(SparkSession spark, ModelSpec.Data data) {
    // From a fresh read: a cached Dataset reports no input files.
    String[] files = load(spark, data).inputFiles();
    if (files.length == 0) {
      throw new IllegalStateException("no input files found for " + data.path());
    }
    Arrays.sort(files);
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (String file : files) {
        Path path = new Path(URI.create(file));
        FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        digest.update(path.getName().getBytes(StandardCharsets.UTF_8));
        digest.update(Long.toString(fs.getFileStatus(path).getLen()).getBytes(StandardCharsets.UTF_8));
        try (InputStream in = fs.open(path)) {
          for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
          }
        }
      }
      return "sha256:" + HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new IllegalStateException("cannot fingerprint the training data: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
