package io.mlplatform.training.export;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ml.combust.bundle.BundleRegistry;
import ml.combust.bundle.BundleRegistry$;
import org.apache.spark.ml.bundle.SparkBundleContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Option;

/**
 * The MLeap op registry both directions use (export and loading a bundle back into Spark).
 * mleap-spark 0.16 instantiates every op of its registry eagerly, and its LDA op cannot load
 * against Spark 3.5's breeze, so every export and every load would fail (STACK.md item 3). The
 * registry is built from the library's own list minus LDA, in code, so no application.conf can
 * shadow a user's.
 */
final class SparkBundleRegistry {

  private static final String REGISTRY = "ml.combust.mleap.spark.registry.default";
  private static final String BUILTIN_OPS = "ml.combust.mleap.spark.registry.builtin-ops";

  private SparkBundleRegistry() {}

  /**
   * @param dataset transformed rows to read column metadata from when writing; empty when loading
   */
  static SparkBundleContext context(Option<Dataset<Row>> dataset) {
    return new SparkBundleContext(dataset, registry());
  }

  private static BundleRegistry registry() {
    ClassLoader loader = SparkBundleRegistry.class.getClassLoader();
    Config base = ConfigFactory.load(loader);
    List<String> ops = new ArrayList<>(base.getStringList(BUILTIN_OPS));
    ops.removeIf(op -> op.endsWith(".LDAModelOp"));
    Config config = ConfigFactory.parseMap(Map.of(BUILTIN_OPS, ops)).withFallback(base);
    return BundleRegistry$.MODULE$.apply(REGISTRY, Option.apply(config), Option.apply(loader));
  }
}
