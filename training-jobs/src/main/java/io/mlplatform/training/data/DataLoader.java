package io.mlplatform.training.data;

import io.mlplatform.training.spec.ModelSpec;
import io.mlplatform.training.spec.SpecException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
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
   * SHA-256 over the names, sizes and bytes of every data file, in path order, so that the same
   * data gives the same fingerprint wherever it is stored. Files are listed with the Hadoop
   * FileSystem (globs and directories, skipping the {@code _}/{@code .} files Spark skips), not
   * asked of Spark: a Dataset whose plan is cached reports no input files.
   */
  public static String fingerprint(SparkSession spark, ModelSpec.Data data) {
    try {
      List<FileStatus> files = files(new Path(resolve(data.path())), spark.sparkContext().hadoopConfiguration());
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

  private static List<FileStatus> files(Path pattern, Configuration conf) throws IOException {
    FileSystem fs = pattern.getFileSystem(conf);
    FileStatus[] matches = fs.globStatus(pattern);
    List<FileStatus> files = new ArrayList<>();
    for (FileStatus match : matches == null ? new FileStatus[0] : matches) {
      if (match.isDirectory()) {
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(match.getPath(), true);
        while (it.hasNext()) {
          LocatedFileStatus file = it.next();
          if (!hidden(match.getPath(), file.getPath())) {
            files.add(file);
          }
        }
      } else {
        files.add(match);
      }
    }
    files.sort(Comparator.comparing(f -> f.getPath().toString()));
    return files;
  }

  /** Spark ignores files and directories whose name starts with '_' or '.' below the data root. */
  private static boolean hidden(Path root, Path file) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      if (p.getName().startsWith("_") || p.getName().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
