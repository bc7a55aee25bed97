package io.mlplatform.serving.scoring;

import java.util.Arrays;
import java.util.List;

/** A served model's rows scored on the calling thread only, for BatchBreakdown's comparison. */
public final class OneThread {

  private OneThread() {}

  public static List<Score> score(ScoringModel model, List<Object[]> rows) {
    return Arrays.asList(RowChunks.score(rows, ((MleapScoringModel) model)::scoreRow, null, 0));
  }
}
