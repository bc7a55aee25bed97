package io.mlplatform.training.data;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.spec.SpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Checks a spec against the columns the data really has, naming the key of each problem. */
public final class SchemaCheck {

  private SchemaCheck() {}

  public static void check(ModelSpec spec, StructType schema, String source) {
    List<String> problems = new ArrayList<>();
    List<String> columns = Arrays.stream(schema.fields()).map(StructField::name).toList();
    String known = " (columns: " + String.join(", ", columns) + ")";

    DataType labelType = type(schema, spec.target());
    if (labelType == null) {
      problems.add("target: column '" + spec.target() + "' not found in the data" + known);
    } else if (!spec.model().type().isClassifier() && !(labelType instanceof NumericType)) {
      problems.add(
          "target: column '"
              + spec.target()
              + "' has type "
              + labelType.simpleString()
              + "; "
              + spec.model().type().key()
              + " needs a numeric target");
    }
    List<String> numeric = spec.features().numeric();
    for (int i = 0; i < numeric.size(); i++) {
      DataType type = type(schema, numeric.get(i));
      String key = "features.numeric[" + i + "]: column '" + numeric.get(i) + "'";
      if (type == null) {
        problems.add(key + " not found in the data" + known);
      } else if (!(type instanceof NumericType)) {
        problems.add(
            key
                + " has type "
                + type.simpleString()
                + ", not a number"
                + (spec.data().format().name().equals("CSV")
                    ? " (for CSV set data.options.inferSchema: \"true\")"
                    : ""));
      }
    }
    List<String> categorical = spec.features().categorical();
    for (int i = 0; i < categorical.size(); i++) {
      DataType type = type(schema, categorical.get(i));
      String key = "features.categorical[" + i + "]: column '" + categorical.get(i) + "'";
      if (type == null) {
        problems.add(key + " not found in the data" + known);
      } else if (!type.equals(DataTypes.StringType)) {
        problems.add(
            key + " has type " + type.simpleString() + "; categorical columns must be strings");
      }
    }
    List<String> text = spec.features().text().columns();
    for (int i = 0; i < text.size(); i++) {
      DataType type = type(schema, text.get(i));
      String key = "features.text[" + i + "]: column '" + text.get(i) + "'";
      if (type == null) {
        problems.add(key + " not found in the data" + known);
      } else if (!type.equals(DataTypes.StringType)) {
        problems.add(key + " has type " + type.simpleString() + "; text columns must be strings");
      }
    }
    if (!problems.isEmpty()) {
      throw new SpecException(source, problems);
    }
  }

  private static DataType type(StructType schema, String column) {
    for (StructField field : schema.fields()) {
      if (field.name().equals(column)) {
        return field.dataType();
      }
    }
    return null;
  }
}
