package io.mlplatform.store.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a live value is binned as, in one place for the service (which bins each request it scores)
 * and the monitor job (which bins the prediction log): both must put a value into the same bin of
 * {@link Distribution#binOf}, or their PSI would differ for the same traffic.
 */
public final class LiveValues {

  private LiveValues() {}

  /** An input value as the caller sent it (before missing values are filled). */
  public static Object input(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isIntegralNumber()) {
      // As serving converts it for a string input (1776 is the category "1776", not "1776.0"); a
      // numeric distribution parses the text back.
      return node.canConvertToLong() ? (Object) node.longValue() : node.asText();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    return node.isTextual() ? node.textValue() : node.toString();
  }

  /**
   * What a prediction is compared by: the class label for classifiers ({@code labels} by index),
   * the value for regression.
   */
  public static Object prediction(double prediction, boolean classification, List<String> labels) {
    if (!classification) {
      return prediction;
    }
    int index = (int) prediction;
    return index >= 0 && index < labels.size() ? labels.get(index) : Double.toString(prediction);
  }
}
