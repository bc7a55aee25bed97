package io.mlplatform.serving.scoring;

import io.mlplatform.store.format.Manifest;
import java.nio.file.Path;

/** Turns a local bundle file into a {@link ScoringModel}; the seam that keeps MLeap swappable. */
@FunctionalInterface
public interface ScoringModelLoader {

  /**
   * @param manifest the version's manifest: which columns go in and which come out
   * @param bundleZip a local copy of the bundle, which the caller deletes after this returns
   * @throws ModelLoadException when the bundle cannot be used, with a message fit for an operator
   */
  ScoringModel load(Manifest manifest, Path bundleZip);
}
