package io.mlplatform.store;

/**
 * One column a caller sends, named exactly as in the training data.
 *
 * @param fill the value training substituted for null (numeric: a statistic of the training split;
 *     categorical: a fixed token). Serving substitutes the same value, because the MLeap runtime
 *     here has no Imputer. {@code null} when the column may not be null.
 */
public record InputField(String name, FieldType type, boolean nullable, Object fill) {}
