package io.mlplatform.retraining;

/** How a retraining run ended; each has the exit code of {@code scripts/retrain}. */
enum Outcome {
  /** A new version was published and the promotion gate made it production. */
  PROMOTED(0),
  /** Every attempt failed or timed out; production is untouched. */
  FAILED(1),
  /** A new version was published; the gate kept production where it was. */
  NOT_PROMOTED(3),
  /** Nothing to do: the data has not changed since the latest version was trained on it. */
  SKIPPED_NO_NEW_DATA(4),
  /** Another run of the same model is still going. */
  SKIPPED_RUNNING(5);

  final int exitCode;

  Outcome(int exitCode) {
    this.exitCode = exitCode;
  }

  String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
