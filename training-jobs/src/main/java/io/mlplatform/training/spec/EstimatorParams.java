package io.mlplatform.training.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/** Sets Spark ML parameters named in a spec on an estimator, converting YAML values to the param's type. */
public final class EstimatorParams {

  // The platform wires these columns itself; letting a spec move them would break the bundle contract.
  private static final Set<String> RESERVED =
      Set.of("featuresCol", "labelCol", "predictionCol", "probabilityCol", "rawPredictionCol",
          "varianceCol", "leafCol", "weightCol");

  private EstimatorParams() {}

  /** Applies every param it can; returns one problem per param it cannot, keyed {@code prefix.name}. */
  public static List<String> apply(Params estimator, Map<String, Object> values, String prefix) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      String key = prefix + "." + entry.getKey();
      if (RESERVED.contains(entry.getKey())) {
        problems.add(key + ": set by the platform, remove it from the spec");
        continue;
      }
      if (!estimator.hasParam(entry.getKey())) {
        problems.add(key + ": unknown parameter of " + estimator.getClass().getSimpleName()
            + " (known: " + String.join(", ", names(estimator)) + ")");
        continue;
      }
      Param<Object> param = uncheckedParam(estimator.getParam(entry.getKey()));
      try {
        estimator.set(param, convert(param, entry.getValue()));
      } catch (IllegalArgumentException | ClassCastException | ArithmeticException e) {
        problems.add(key + ": invalid value " + entry.getValue() + " (" + describe(e) + ")");
      }
    }
    return problems;
  }

  private static Object convert(Param<?> param, Object value) {
    if (param instanceof IntParam) {
      return Math.toIntExact(toWhole(value));
    } else if (param instanceof LongParam) {
      return toWhole(value);
    } else if (param instanceof DoubleParam) {
      return toNumber(value).doubleValue();
    } else if (param instanceof FloatParam) {
      return toNumber(value).floatValue();
    } else if (param instanceof BooleanParam) {
      if (value instanceof Boolean b) {
        return b;
      }
      throw new IllegalArgumentException("expected true or false");
    } else if (param instanceof IntArrayParam) {
      return list(value).stream().mapToInt(v -> Math.toIntExact(toWhole(v))).toArray();
    } else if (param instanceof DoubleArrayParam) {
      return list(value).stream().mapToDouble(v -> toNumber(v).doubleValue()).toArray();
    } else if (param instanceof StringArrayParam) {
      return list(value).stream().map(String::valueOf).toArray(String[]::new);
    } else if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value instanceof String s ? s : String.valueOf(value);
    }
    throw new IllegalArgumentException("unsupported parameter type " + param.getClass().getSimpleName());
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

  @SuppressWarnings("unchecked")
  private static Param<Object> uncheckedParam(Param<?> param) {
    return (Param<Object>) param;
  }

  private static List<String> names(Params estimator) {
    return Arrays.stream(estimator.params()).map(Param::name).filter(n -> !RESERVED.contains(n)).sorted().toList();
  }

  private static String describe(RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    // Spark prefixes messages with the estimator's random uid, which means nothing to a user.
    return message.replaceAll("\\b[A-Za-z]+_[0-9a-f]{12}\\b\\s*", "").trim();
  }
}
