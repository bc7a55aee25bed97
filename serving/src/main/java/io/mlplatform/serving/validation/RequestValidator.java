package io.mlplatform.serving.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.store.FieldType;
import io.mlplatform.store.InputField;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Checks a parsed predict body against a model's inputs before the model sees anything, and turns
 * it into rows ready to score. Pure: no I/O, no model, so every rule is unit-testable.
 */
public final class RequestValidator {

  public static final String INSTANCES = "instances";
  // Field names come from the caller; cap what is repeated back to keep error bodies small.
  private static final int MAX_ECHOED_NAME = 100;

  private final int maxInstances;
  private final boolean rejectUnknownFields;

  public RequestValidator(int maxInstances, boolean rejectUnknownFields) {
    this.maxInstances = maxInstances;
    this.rejectUnknownFields = rejectUnknownFields;
  }

  /**
   * @return one row per instance, values in {@code schema.fields()} order, nulls replaced by fills
   * @throws InvalidRequestException listing every offending instance and field
   */
  public List<Object[]> validate(JsonNode body, InputSchema schema) {
    JsonNode instances = instances(body);
    List<Violation> violations = new ArrayList<>();
    List<Object[]> rows = new ArrayList<>(instances.size());
    int invalid = 0;
    for (int i = 0; i < instances.size(); i++) {
      int before = violations.size();
      rows.add(row(i, instances.get(i), schema, violations));
      invalid += violations.size() > before ? 1 : 0;
    }
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(
          invalid + " of " + instances.size() + " instance(s) are invalid", violations);
    }
    return rows;
  }

  private JsonNode instances(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException("request body must be a JSON object", List.of());
    }
    JsonNode instances = body.get(INSTANCES);
    String reason = null;
    if (instances == null) {
      reason = "is required";
    } else if (!instances.isArray()) {
      reason = "must be an array, got " + typeOf(instances);
    } else if (instances.isEmpty()) {
      reason = "must not be empty";
    } else if (instances.size() > maxInstances) {
      reason = "has " + instances.size() + " elements; at most " + maxInstances + " are allowed";
    }
    if (reason != null) {
      throw new InvalidRequestException(
          "'" + INSTANCES + "' " + reason, List.of(new Violation(null, INSTANCES, reason)));
    }
    return instances;
  }

  private Object[] row(int index, JsonNode instance, InputSchema schema, List<Violation> violations) {
    if (!instance.isObject()) {
      violations.add(new Violation(index, null, "instance must be a JSON object, got " + typeOf(instance)));
      return null;
    }
    List<InputField> fields = schema.fields();
    Object[] values = new Object[fields.size()];
    for (int f = 0; f < fields.size(); f++) {
      InputField field = fields.get(f);
      JsonNode value = instance.get(field.name());
      if (value == null) {
        // Absent is an error even where null is allowed: a misspelt field name must not be
        // silently replaced by its training-time fill.
        violations.add(new Violation(index, field.name(), schema.fills().get(f) == null
            ? "is required" : "is required (send null when the value is unknown)"));
      } else if (value.isNull()) {
        values[f] = schema.fills().get(f);
        if (values[f] == null) {
          violations.add(new Violation(index, field.name(), "must not be null"));
        }
      } else {
        values[f] = FieldValues.convert(field.type(), value);
        if (values[f] == null) {
          violations.add(new Violation(index, field.name(), FieldValues.problem(field.type(), value)));
        }
      }
    }
    if (rejectUnknownFields) {
      for (Iterator<String> names = instance.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!schema.names().contains(name)) {
          violations.add(new Violation(index, truncate(name), "is not an input of this model"));
        }
      }
    }
    return values;
  }

  static String typeOf(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String truncate(String name) {
    return name.length() <= MAX_ECHOED_NAME ? name : name.substring(0, MAX_ECHOED_NAME) + "...";
  }

  /** Conversion of one non-null JSON value to the type the bundle expects. */
  static final class FieldValues {
    private FieldValues() {}

    /** The converted value, or null when it does not fit (see {@link #problem}). */
    static Object convert(FieldType type, JsonNode value) {
      if (type == FieldType.STRING) {
        return value.isTextual() ? value.textValue() : null;
      }
      if (value.isNumber()) {
        double d = value.doubleValue();
        return Double.isFinite(d) ? d : null;
      }
      return null;
    }

    static String problem(FieldType type, JsonNode value) {
      if (type == FieldType.DOUBLE && value.isNumber()) {
        return "is out of range for a double";
      }
      return "must be a " + (type == FieldType.DOUBLE ? "number" : "string") + ", got " + typeOf(value);
    }
  }
}
