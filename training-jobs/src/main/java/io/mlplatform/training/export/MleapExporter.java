package io.mlplatform.training.export;

import java.nio.file.Path;
import ml.combust.bundle.BundleFile;
import ml.combust.bundle.BundleFile$;
import ml.combust.bundle.BundleWriter;
import ml.combust.bundle.serializer.SerializationFormat;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.bundle.SparkBundleContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Option;

/** Writes a fitted pipeline as an MLeap bundle zip on the local disk. */
public final class MleapExporter {

  private MleapExporter() {}

  /**
   * @param transformed output of {@code model.transform} on a few rows: MLeap reads column metadata
   *     (vector sizes, categories) from it
   */
  public static void export(PipelineModel model, Dataset<Row> transformed, Path zip) {
    BundleFile file = BundleFile$.MODULE$.apply("jar:" + zip.toAbsolutePath().toUri());
    try {
      new BundleWriter<SparkBundleContext, Transformer>(
              model, Option.empty(), SerializationFormat.Json$.MODULE$, Option.empty())
          .save(file, SparkBundleRegistry.context(Option.apply(transformed)))
          .get();
    } finally {
      file.close();
    }
  }
}
