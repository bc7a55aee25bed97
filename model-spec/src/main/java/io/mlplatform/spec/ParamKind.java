package io.mlplatform.spec;

import java.util.List;
import java.util.Locale;

/** The value type of an estimator parameter, and the conversion of a YAML value to it. */
public enum ParamKind {
  INT,
  LONG,
  DOUBLE,
  BOOLEAN,
  STRING,
  INT_ARRAY,
  DOUBLE_ARRAY,
  /**
   * Spark has matrix and vector parameters (coefficient bounds, initial weights); YAML cannot
   * express them.
   */
  MATRIX,
  VECTOR;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The value as the estimator takes it: Integer, Long, Double, Boolean, String, int[] or double[].
   *
   * @throws IllegalArgumentException with a reason a user can act on
   */
  public Object convert(Object value) {
    return switch (this) {
      case INT -> Math.toIntExact(toWhole(value));
      case LONG -> toWhole(value);
      case DOUBLE -> toNumber(value).doubleValue();
      case BOOLEAN -> {
        if (value instanceof Boolean b) {
          yield b;
        }
        throw new IllegalArgumentException("expected true or false");
      }
      case STRING -> {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
          yield String.valueOf(value);
        }
        throw new IllegalArgumentException("expected a single value");
      }
      case INT_ARRAY -> list(value).stream().mapToInt(v -> Math.toIntExact(toWhole(v))).toArray();
      case DOUBLE_ARRAY ->
          list(value).stream().mapToDouble(v -> toNumber(v).doubleValue()).toArray();
      case MATRIX, VECTOR ->
          throw new IllegalArgumentException("a " + key() + " parameter cannot be set from a spec");
    };
  }

  private static Number toNumber(Object value) {
    if (value instanceof Number n) {
      return n;
    }
    throw new IllegalArgumentException("expected a number");
  }

  private static long toWhole(Object value) {
    Number n = toNumber(value);
    if (n.doubleValue() % 1 != 0) {
      throw new IllegalArgumentException("expected a whole number");
    }
    return n.longValue();
  }

  private static List<?> list(Object value) {
    if (value instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException("expected a list");
  }
}
