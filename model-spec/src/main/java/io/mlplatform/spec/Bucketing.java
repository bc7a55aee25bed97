package io.mlplatform.spec;

import java.util.List;

/**
 * How one numeric column is cut into buckets, which are then one-hot encoded in place of the value.
 *
 * @param splits inner boundaries in increasing order (the platform adds -Infinity and +Infinity),
 *     empty when {@code quantiles} is used
 * @param quantiles number of buckets of about equal size learned from the training split, or 0
 */
public record Bucketing(List<Double> splits, int quantiles) {

  public Bucketing {
    splits = List.copyOf(splits);
  }

  public boolean isQuantile() {
    return quantiles > 0;
  }
}
