package io.mlplatform.serving.routing;

import io.mlplatform.serving.lifecycle.LoadedModel;
import io.mlplatform.serving.scoring.Score;
import java.util.List;

/** Whether two versions gave the same answer for a row. */
final class Agreement {

  private Agreement() {}

  /**
   * Rows on which the candidate agrees with the primary: the same class (by label when both
   * versions have labels, since two versions may index their classes differently), or for
   * regression a difference within {@code tolerance} times max(1, |primary|).
   */
  static int agreeing(
      LoadedModel primary,
      List<Score> primaryScores,
      LoadedModel candidate,
      List<Score> candidateScores,
      double tolerance) {
    int n = Math.min(primaryScores.size(), candidateScores.size());
    boolean classification = primary.manifest().task().isClassification();
    if (classification != candidate.manifest().task().isClassification()) {
      return 0;
    }
    List<String> primaryLabels = primary.manifest().outputs().labels();
    List<String> candidateLabels = candidate.manifest().outputs().labels();
    int agreed = 0;
    for (int i = 0; i < n; i++) {
      double a = primaryScores.get(i).prediction();
      double b = candidateScores.get(i).prediction();
      boolean same =
          classification
              ? label(primaryLabels, a).equals(label(candidateLabels, b))
              : Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a));
      if (same) {
        agreed++;
      }
    }
    return agreed;
  }

  private static String label(List<String> labels, double prediction) {
    int index = (int) prediction;
    return index == prediction && index >= 0 && index < labels.size()
        ? labels.get(index)
        : Double.toString(prediction);
  }
}
