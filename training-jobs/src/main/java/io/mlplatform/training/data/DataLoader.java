package io.mlplatform.training.data;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecException;
import io.mlplatform.store.format.DataFile;
import io.mlplatform.store.storage.DataFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads a spec's data with Spark's own sources, from any Hadoop FileSystem. */
public final class DataLoader {

  private DataLoader() {}

  public static Dataset<Row> load(SparkSession spark, ModelSpec.Data data) {
    var reader = spark.read().format(data.format().sparkName()).options(data.options());
    if (data.latestFiles() == null) {
      return reader.load(resolve(data.path()));
    }
    return reader.load(inputFiles(spark, data).toArray(String[]::new));
  }

  /**
   * The data files a run reads, in path order: every file the path matches (globs and directories,
   * skipping the {@code _}/{@code .} files Spark skips), or with {@code latestFiles} the last N of
   * them.
   */
  public static List<String> inputFiles(SparkSession spark, ModelSpec.Data data) {
    try {
      return files(spark, data).stream().map(f -> f.getPath().toString()).toList();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot list the training data at " + data.path() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Each data file's size and modification time, noted before anything is read: the scheduler
   * compares later listings with these, so a file appended while the job trains counts as new data.
   */
  public static List<DataFile> stamps(SparkSession spark, ModelSpec.Data data) {
    try {
      return DataFiles.stamps(files(spark, data));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot list the training data at " + data.path() + ": " + e.getMessage(), e);
    }
  }

  private static List<FileStatus> files(SparkSession spark, ModelSpec.Data data)
      throws IOException {
    return DataFiles.list(
        resolve(data.path()), data.latestFiles(), spark.sparkContext().hadoopConfiguration());
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
        throw new SpecException(
            source,
            List.of(
                "data.where: '"
                    + data.where()
                    + "' is not a valid condition on the data: "
                    + invalid.getSimpleMessage()));
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /** Local paths resolve against the working directory; anything with a scheme is used as is. */
  public static String resolve(String path) {
    return new ModelSpec.Data(path, null, Map.of(), null).location();
  }

  /**
   * SHA-256 over the names, sizes and bytes of every data file, in path order, so that the same
   * data gives the same fingerprint wherever it is stored. Files are listed with the Hadoop
   * FileSystem (globs and directories, skipping the {@code _}/{@code .} files Spark skips), not
   * asked of Spark: a Dataset whose plan is cached reports no input files.
   */
  public static String fingerprint(SparkSession spark, ModelSpec.Data data) {
    try {
      List<FileStatus> files = files(spark, data);
      if (files.isEmpty()) {
        throw new IllegalStateException("no data files found at " + data.path());
      }
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (FileStatus file : files) {
        FileSystem fs = file.getPath().getFileSystem(spark.sparkContext().hadoopConfiguration());
        digest.update(file.getPath().getName().getBytes(StandardCharsets.UTF_8));
        digest.update(Long.toString(file.getLen()).getBytes(StandardCharsets.UTF_8));
        try (InputStream in = fs.open(file.getPath())) {
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
