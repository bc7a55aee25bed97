package io.mlplatform.training.export;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ml.combust.bundle.BundleFile;
import ml.combust.bundle.BundleFile$;
import ml.combust.bundle.BundleRegistry;
import ml.combust.bundle.BundleRegistry$;
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

  private static final String REGISTRY = "ml.combust.mleap.spark.registry.default";
  private static final String BUILTIN_OPS = "ml.combust.mleap.spark.registry.builtin-ops";

  private MleapExporter() {}

  /**
   * @param transformed output of {@code model.transform} on a few rows: MLeap reads column
   *     metadata (vector sizes, categories) from it
   */
  public static void export(PipelineModel model, Dataset<Row> transformed, Path zip) {
    BundleFile file = BundleFile$.MODULE$.apply("jar:" + zip.toAbsolutePath().toUri());
    try {
      new BundleWriter<SparkBundleContext, Transformer>(
              model, Option.empty(), SerializationFormat.Json$.MODULE$, Option.empty())
          .save(file, new SparkBundleContext(Option.apply(transformed), registry()))
          .get();
    } finally {
      file.close();
    }
  }

  /**
   * mleap-spark 0.16 instantiates every op of its registry eagerly, and its LDA op cannot load
   * against Spark 3.5's breeze, so every export would fail. The registry is built from the
   * library's own list minus LDA, in code, so no application.conf can shadow a user's.
   */
  private static BundleRegistry registry() {
    ClassLoader loader = MleapExporter.class.getClassLoader();
    Config base = ConfigFactory.load(loader);
    List<String> ops = new ArrayList<>(base.getStringList(BUILTIN_OPS));
    ops.removeIf(op -> op.endsWith(".LDAModelOp"));
    Config config = ConfigFactory.parseMap(Map.of(BUILTIN_OPS, ops)).withFallback(base);
    return BundleRegistry$.MODULE$.apply(REGISTRY, Option.apply(config), Option.apply(loader));
  }
}
