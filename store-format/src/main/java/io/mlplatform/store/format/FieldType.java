package io.mlplatform.store.format;

/** The type a bundle input column has. Numeric features are always fed to the bundle as double. */
public enum FieldType {
  DOUBLE,
  STRING
}
