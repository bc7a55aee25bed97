package io.mlplatform.serving.model;

/** Where a model stands in the registry. */
public enum ModelState {
  /** Scoring requests are answered. */
  LOADED,
  /** The latest version could not be loaded; the entry says why. */
  FAILED
}
