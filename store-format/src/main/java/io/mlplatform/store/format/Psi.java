package io.mlplatform.store.format;

/**
 * Population Stability Index: {@code sum over bins of (live - reference) * ln(live / reference)},
 * shares on both sides. 0 means identical distributions; the usual reading is below 0.1 no shift,
 * 0.1 to 0.2 moderate, above 0.2 significant.
 */
public final class Psi {

  /**
   * Stands in for an empty bin on either side: ln(0) is undefined, and a bin that training never
   * saw but live traffic fills (an unseen category, nulls) must still count, strongly. 1e-4 is
   * below one row in any window of practical size, so it never hides a real share.
   */
  public static final double EPSILON = 1e-4;

  private Psi() {}

  /**
   * @param live counts per bin, same bins as {@code reference}; {@code total} their sum, above 0
   */
  public static double of(double[] reference, long[] live, long total) {
    double psi = 0;
    for (int i = 0; i < reference.length; i++) {
      double r = Math.max(reference[i], EPSILON);
      double l = Math.max(live[i] / (double) total, EPSILON);
      psi += (l - r) * Math.log(l / r);
    }
    return psi;
  }
}
