package io.mlplatform.store.format;

public enum Task {
  BINARY_CLASSIFICATION,
  MULTICLASS_CLASSIFICATION,
  REGRESSION;

  public boolean isClassification() {
    return this != REGRESSION;
  }
}
