package io.mlplatform.serving.scoring;

import io.mlplatform.store.format.Manifest;
import java.nio.file.Path;
import ml.combust.mleap.runtime.MleapContext;
import ml.combust.mleap.runtime.frame.Transformer;
import ml.combust.mleap.runtime.javadsl.BundleBuilder;
import ml.combust.mleap.runtime.javadsl.ContextBuilder;

/** Loads MLeap bundles (zip files) through MLeap's Java DSL. */
public final class MleapModelLoader implements ScoringModelLoader {

  // Building a context reads MLeap's whole op registry; one per loader is enough and thread-safe.
  private final MleapContext context = new ContextBuilder().createMleapContext();
  private final BundleCheck archive;

  /**
   * @param archive the checks every zip passes before MLeap opens it (MLeap 0.20 has no zip-slip or
   *     size guard of its own), usually {@code BundleArchive} with the configured limits
   */
  public MleapModelLoader(BundleCheck archive) {
    this.archive = archive;
  }

  @Override
  public ScoringModel load(Manifest manifest, Path bundleZip) {
    // MLeap opens a path as a zip file system only when the name ends in ".zip".
    if (!bundleZip.getFileName().toString().endsWith(".zip")) {
      throw new IllegalArgumentException("bundle file name must end in .zip: " + bundleZip);
    }
    archive.check(bundleZip);
    Transformer root;
    try {
      root = new BundleBuilder().load(bundleZip.toFile(), context).root();
    } catch (Exception | LinkageError e) {
      // Scala code throws checked exceptions (NoSuchFileException for a missing bundle.json)
      // undeclared.
      throw new ModelLoadException("MLeap cannot read the bundle: " + describe(e, bundleZip), e);
    }
    try {
      return MleapScoringModel.compile(manifest, root);
    } catch (ModelLoadException e) {
      root.close();
      throw e;
    } catch (Exception e) {
      root.close();
      throw new ModelLoadException(
          "bundle does not fit its manifest: " + describe(e, bundleZip), e);
    }
  }

  /** The exception without the local temporary path, which means nothing to an operator. */
  private static String describe(Throwable e, Path bundleZip) {
    String message =
        String.valueOf(e.getMessage()).replace(bundleZip.toAbsolutePath().toString(), "bundle.zip");
    return e.getClass().getSimpleName() + ": " + message;
  }
}
