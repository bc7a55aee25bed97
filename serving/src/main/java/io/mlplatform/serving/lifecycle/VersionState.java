package io.mlplatform.serving.lifecycle;

/** Where one version of a model stands. */
public enum VersionState {
  /** Loaded and answering on the default route. */
  SERVING,
  /** Loaded: answers by version or alias (or is kept as the fallback of the default route). */
  LOADED,
  /** Loaded, but the default route fell back from it after too many errors. */
  DEGRADED,
  /** In the store and not loaded: nothing points at it. */
  AVAILABLE,
  /** Will never be served: failed a load-time check. */
  REFUSED,
  /** Could not be read at the last attempt; tried again at the next poll. */
  FAILED
}
