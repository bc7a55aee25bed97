package io.mlplatform.training.data;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.store.format.DataFile;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The first phase of a training run: notes the data files, reads them once into Spark's cache,
 * checks the spec's columns against the schema and applies {@code data.where}.
 */
public final class LoadPhase {

  /**
   * The data a run trains on; closing it releases the cached copy, so a run holds it for its whole
   * length.
   *
   * @param rows the rows {@code data.where} keeps (all of them without one)
   * @param read how many rows the files hold
   * @param count how many of them {@code data.where} keeps
   * @param files each file's stamp, taken before anything was read (the lineage names these)
   */
  public record Loaded(
      Dataset<Row> cached, Dataset<Row> rows, long read, long count, List<DataFile> files)
      implements AutoCloseable {

    @Override
    public void close() {
      cached.unpersist();
    }
  }

  private final SparkSession spark;
  private final ModelSpec spec;
  private final Consumer<String> progress;

  public LoadPhase(SparkSession spark, ModelSpec spec, Consumer<String> progress) {
    this.spark = spark;
    this.spec = spec;
    this.progress = progress;
  }

  /**
   * @throws io.mlplatform.spec.SpecException when a column is missing or data.where is invalid
   */
  public Loaded run() {
    ModelSpec.Data data = spec.data();
    progress.accept(
        "reading " + data.format().sparkName() + " data from " + DataLoader.resolve(data.path()));
    List<DataFile> files = DataLoader.stamps(spark, data);
    Dataset<Row> cached = DataLoader.load(spark, data).cache();
    try {
      SchemaCheck.check(spec, cached.schema(), spec.name());
      long read = cached.count();
      Dataset<Row> rows = DataLoader.filter(cached, data, spec.name());
      long count = data.where() == null ? read : rows.count();
      progress.accept(
          "read "
              + read
              + " rows"
              + (data.where() == null ? "" : ", " + count + " match data.where"));
      return new Loaded(cached, rows, read, count, files);
    } catch (Throwable e) {
      cached.unpersist();
      throw e;
    }
  }
}
