package io.mlplatform.serving.lifecycle;

/** Where a model stands in the registry. */
public enum ModelState {
  /** The default route answers. */
  LOADED,
  /** No version of the model can be served; the entry says why. */
  FAILED
}
