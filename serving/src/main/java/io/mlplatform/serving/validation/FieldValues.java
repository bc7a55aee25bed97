package io.mlplatform.serving.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;

/**
 * Converts one non-null JSON value to the type the bundle expects, accepting what Spark's reader
 * accepted for that column at training time and converting it the way Spark did (pinned by
 * training-jobs' ReaderConversionTest; the README's "Input types accepted" lists the same rules):
 *
 * <ul>
 *   <li>numeric field: a JSON number; or a string as Spark's CSV reader parses a double column
 *       ({@link Double#parseDouble}: sign, decimals, exponent, surrounding whitespace, hex, a d/f
 *       suffix); the empty string is null, as Spark's CSV reader reads an empty cell. NaN and
 *       infinities are refused, spelled either way.
 *   <li>string field: a string; an integer as its digits; {@code true}/{@code false} as that text;
 *       a decimal number as the text of its double ({@code 1.50} as {@code "1.5"}) when the column
 *       was read from JSON, because that is what Spark's JSON reader wrote. From CSV a decimal's
 *       text was the cell's, which JSON does not keep ({@code 1.50} and {@code 1.5} parse the
 *       same), so it is refused there rather than guessed.
 *   <li>arrays and objects are never accepted.
 * </ul>
 */
final class FieldValues {

  private FieldValues() {}

  /** A numeric field's text that Spark's CSV reader reads as null. */
  static boolean isNullText(InputField field, JsonNode value) {
    return field.type() == FieldType.DOUBLE && value.isTextual() && value.textValue().isEmpty();
  }

  /** The converted value, or null when it does not fit (see {@link #problem}). */
  static Object convert(InputField field, JsonNode value) {
    if (field.type() == FieldType.STRING) {
      if (value.isTextual()) {
        return value.textValue();
      }
      if (value.isIntegralNumber() || value.isBoolean()) {
        return value.asText();
      }
      if (value.isNumber() && InputField.JSON.equals(field.source())) {
        double d = value.doubleValue();
        return Double.isFinite(d) ? Double.toString(d) : null;
      }
      return null;
    }
    double d;
    if (value.isNumber()) {
      d = value.doubleValue();
    } else if (value.isTextual()) {
      d = parse(value.textValue());
    } else {
      return null;
    }
    return Double.isFinite(d) ? d : null;
  }

  static String problem(InputField field, JsonNode value) {
    if (field.type() == FieldType.STRING) {
      if (value.isNumber() && InputField.JSON.equals(field.source())) {
        return "is out of range for a double";
      }
      if (value.isNumber()) {
        return "must be a string, got a decimal number (its text is only known for columns read from JSON;"
            + " send the text as the training data has it)";
      }
      return "must be a string, got " + RequestValidator.typeOf(value);
    }
    if (value.isNumber()) {
      return "is out of range for a double";
    }
    if (value.isTextual()) {
      return Double.isNaN(parse(value.textValue())) && !isNaNText(value.textValue())
          ? "must be a number, got a string that is not one"
          : "must be a finite number";
    }
    return "must be a number, got " + RequestValidator.typeOf(value);
  }

  /** Spark's CSV reader: its nanValue/positiveInf/negativeInf defaults, else Scala's toDouble. */
  private static double parse(String text) {
    switch (text) {
      case "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          return Double.NaN;
        }
    }
  }

  private static boolean isNaNText(String text) {
    try {
      return Double.isNaN(Double.parseDouble(text));
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
