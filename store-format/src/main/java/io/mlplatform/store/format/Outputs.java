package io.mlplatform.store.format;

import java.util.List;

/**
 * Where a bundle's results are and how to read them.
 *
 * @param predictionColumn bundle column holding the prediction (a class index for classifiers)
 * @param probabilityColumn bundle column holding class probabilities, or null when the model has
 *     none
 * @param labels class names by index for classifiers (index i is {@code labels.get(i)}), else empty
 */
public record Outputs(String predictionColumn, String probabilityColumn, List<String> labels) {
  public Outputs {
    labels = labels == null ? List.of() : List.copyOf(labels);
  }
}
