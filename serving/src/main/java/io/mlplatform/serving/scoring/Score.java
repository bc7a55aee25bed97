package io.mlplatform.serving.scoring;

/**
 * What a model produced for one row.
 *
 * @param prediction the prediction column (a class index for classifiers)
 * @param probabilities class probabilities by class index, or null when the model has none. The
 *     array is owned by this record; callers must not modify it.
 */
public record Score(double prediction, double[] probabilities) {}
