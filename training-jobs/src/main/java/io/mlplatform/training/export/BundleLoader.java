package io.mlplatform.training.export;

import java.nio.file.Path;
import ml.combust.bundle.BundleFile;
import ml.combust.bundle.BundleFile$;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.bundle.SparkBundleContext;
import scala.Option;

/** Reads an MLeap bundle back into a Spark transformer, so Spark can score with a stored version. */
public final class BundleLoader {

  private BundleLoader() {}

  /** @param zip a local bundle zip, as {@code ModelStore.copyBundleTo} writes it */
  public static Transformer load(Path zip) {
    BundleFile file = BundleFile$.MODULE$.apply("jar:" + zip.toAbsolutePath().toUri());
    try {
      return file.<SparkBundleContext, Transformer>load(SparkBundleRegistry.context(Option.empty()))
          .get().root();
    } finally {
      file.close();
    }
  }
}
