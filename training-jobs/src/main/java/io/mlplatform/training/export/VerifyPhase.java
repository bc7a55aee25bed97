package io.mlplatform.training.export;

import java.util.function.Consumer;

/**
 * Scores the reference rows with the exported bundle in the MLeap runtime serving uses, before the
 * store is touched: a bundle that does not reproduce Spark is never published.
 */
public final class VerifyPhase {

  private final Consumer<String> progress;

  public VerifyPhase(Consumer<String> progress) {
    this.progress = progress;
  }

  /**
   * @throws ExportMismatchException when the bundle cannot be loaded or an output differs from
   *     Spark's
   */
  public ExportCheck.Outcome run(ExportPhase.Exported exported) {
    ExportCheck.Outcome checked =
        ExportCheck.verify(
            exported.bundle(),
            exported.manifest().inputs(),
            exported.reference(),
            exported.manifest().outputs().predictionColumn(),
            exported.manifest().outputs().probabilityColumn());
    progress.accept(
        "export check: MLeap "
            + checked.runtime()
            + " matches Spark on "
            + checked.rows()
            + " reference rows, "
            + checked.outputs()
            + " outputs (largest difference "
            + checked.maxDifference()
            + ")");
    return checked;
  }
}
