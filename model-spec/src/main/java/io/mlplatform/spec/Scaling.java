package io.mlplatform.spec;

/** How the assembled feature vector is scaled before the estimator. */
public enum Scaling {
  NONE,
  /** Divide by the standard deviation (no centring, so one-hot columns stay sparse). */
  STANDARD,
  MIN_MAX
}
