package io.mlplatform.serving.scoring;

import java.nio.file.Path;

/**
 * What a bundle zip must pass before the runtime opens it. The checks themselves live with model
 * loading ({@code lifecycle.bundle.BundleArchive}); this seam keeps them out of the MLeap package
 * and makes every {@link MleapModelLoader} name the checks it runs.
 */
@FunctionalInterface
public interface BundleCheck {

  /**
   * @throws ModelLoadException when the bundle must not be opened, saying why
   */
  void check(Path bundleZip);
}
