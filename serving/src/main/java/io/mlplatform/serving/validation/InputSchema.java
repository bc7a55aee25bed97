package io.mlplatform.serving.validation;

import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Manifest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The inputs a model accepts, prepared once per loaded model.
 *
 * @param fields the manifest's inputs, in bundle order
 * @param fills per field, the value substituted for null, or null when null is rejected
 * @param names the field names, for unknown-field checks
 */
public record InputSchema(List<InputField> fields, List<Object> fills, Set<String> names) {

  public InputSchema {
    fields = List.copyOf(fields);
    fills = Collections.unmodifiableList(new ArrayList<>(fills)); // List.copyOf refuses nulls
    names = Set.copyOf(names);
  }

  /**
   * @throws IllegalArgumentException when the manifest contradicts itself (say, a text fill for a
   *     numeric field), so that a bad model fails at load time rather than on the first request
   */
  public static InputSchema of(Manifest manifest) {
    List<Object> fills = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (InputField field : manifest.inputs()) {
      if (!names.add(field.name())) {
        throw new IllegalArgumentException("manifest lists input '" + field.name() + "' twice");
      }
      fills.add(field.nullable() ? fill(field) : null);
    }
    return new InputSchema(manifest.inputs(), fills, names);
  }

  private static Object fill(InputField field) {
    Object fill = field.fill();
    if (fill == null) {
      return null;
    }
    if (field.type() == FieldType.DOUBLE
        && fill instanceof Number number
        && Double.isFinite(number.doubleValue())) {
      return number.doubleValue();
    }
    if (field.type() == FieldType.STRING && fill instanceof String) {
      return fill;
    }
    throw new IllegalArgumentException(
        "manifest input '"
            + field.name()
            + "' is "
            + field.type()
            + " but its fill value is "
            + fill);
  }
}
