package io.mlplatform.serving.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.store.format.InputField;
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
  public static final String OPTIONS = "options";
  public static final String PARTIAL = "partial";
  // Field names come from the caller; cap what is repeated back to keep error bodies small.
  private static final int MAX_ECHOED_NAME = 100;

  private final int maxInstances;
  private final boolean rejectUnknownFields;

  public RequestValidator(int maxInstances, boolean rejectUnknownFields) {
    this.maxInstances = maxInstances;
    this.rejectUnknownFields = rejectUnknownFields;
  }

  /**
   * All or nothing: the default of the predict routes.
   *
   * @return one row per instance, values in {@code schema.fields()} order, nulls replaced by fills
   * @throws InvalidRequestException listing every offending instance and field
   */
  public List<Object[]> validate(JsonNode body, InputSchema schema) {
    Checked checked = check(body, schema);
    if (checked.invalid() > 0) {
      throw new InvalidRequestException(
          checked.invalid() + " of " + checked.rows().size() + " instance(s) are invalid",
          checked.violations());
    }
    return checked.rows();
  }

  /**
   * Every instance on its own, for {@code "options": {"partial": true}}.
   *
   * @throws InvalidRequestException only for a problem with the body itself (no instances, too
   *     many)
   */
  public Checked check(JsonNode body, InputSchema schema) {
    JsonNode instances = instances(body);
    List<Violation> violations = new ArrayList<>();
    List<Object[]> rows = new ArrayList<>(instances.size());
    int invalid = 0;
    for (int i = 0; i < instances.size(); i++) {
      int before = violations.size();
      Object[] row = row(i, instances.get(i), schema, violations);
      boolean bad = violations.size() > before;
      rows.add(bad ? null : row);
      invalid += bad ? 1 : 0;
    }
    return new Checked(rows, violations, invalid);
  }

  /**
   * The instances checked one by one.
   *
   * @param rows one per instance, in order; null where the instance is invalid
   * @param violations every problem, in instance order
   * @param invalid how many rows are null
   */
  public record Checked(List<Object[]> rows, List<Violation> violations, int invalid) {}

  /**
   * The request's {@code options}: only {@code partial} (boolean, default false) exists. Unknown
   * options are refused whatever {@code rejectUnknownFields} says: a misspelt option must not
   * silently change how errors are answered.
   */
  public static boolean partial(JsonNode body) {
    JsonNode options = body == null ? null : body.get(OPTIONS);
    if (options == null || options.isNull()) {
      return false;
    }
    if (!options.isObject()) {
      throw optionProblem(OPTIONS, "must be an object, got " + typeOf(options));
    }
    for (Iterator<String> names = options.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals(PARTIAL)) {
        throw optionProblem(
            OPTIONS + "." + truncate(name), "is not an option (known: " + PARTIAL + ")");
      }
    }
    JsonNode partial = options.get(PARTIAL);
    if (partial == null || partial.isNull()) {
      return false;
    }
    if (!partial.isBoolean()) {
      throw optionProblem(OPTIONS + "." + PARTIAL, "must be true or false, got " + typeOf(partial));
    }
    return partial.booleanValue();
  }

  private static InvalidRequestException optionProblem(String field, String reason) {
    return new InvalidRequestException(
        "'" + field + "' " + reason, List.of(new Violation(null, field, reason)));
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

  private Object[] row(
      int index, JsonNode instance, InputSchema schema, List<Violation> violations) {
    if (!instance.isObject()) {
      violations.add(
          new Violation(index, null, "instance must be a JSON object, got " + typeOf(instance)));
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
        violations.add(
            new Violation(
                index,
                field.name(),
                schema.fills().get(f) == null
                    ? "is required"
                    : "is required (send null when the value is unknown)"));
      } else if (value.isNull() || FieldValues.isNullText(field, value)) {
        values[f] = schema.fills().get(f);
        if (values[f] == null) {
          violations.add(new Violation(index, field.name(), "must not be null"));
        }
      } else {
        values[f] = FieldValues.convert(field, value);
        if (values[f] == null) {
          violations.add(new Violation(index, field.name(), FieldValues.problem(field, value)));
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
}
