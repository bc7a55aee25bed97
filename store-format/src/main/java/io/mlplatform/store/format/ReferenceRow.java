package io.mlplatform.store.format;

import java.util.List;
import java.util.Map;

/**
 * One held-out row and what Spark predicted for it at training time. Serving re-scores these to
 * prove that the bundle it loaded reproduces training.
 *
 * @param input the row as a caller would send it: training column names, raw values, nulls kept
 * @param prediction Spark's prediction column (class index for classifiers)
 * @param probabilities Spark's probability vector, or null for models without one
 */
public record ReferenceRow(
    Map<String, Object> input, double prediction, List<Double> probabilities) {}
