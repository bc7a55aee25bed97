package io.mlplatform.serving.scoring;

import java.util.List;

/**
 * A loaded model that scores rows. The serving code depends on this, never on MLeap or Scala types,
 * so the runtime behind it can change without touching HTTP or validation code. Implementations
 * must be safe for concurrent use.
 */
public interface ScoringModel extends AutoCloseable {

  /**
   * Scores rows that passed validation.
   *
   * @param rows one array per instance, values in {@code manifest.inputs()} order: {@link Double}
   *     for DOUBLE inputs, {@link String} for STRING inputs, never null (fill values already
   *     applied)
   * @return one score per row, in the same order
   */
  List<Score> score(List<Object[]> rows);

  /** Releases the model's resources; never fails. */
  @Override
  void close();
}
