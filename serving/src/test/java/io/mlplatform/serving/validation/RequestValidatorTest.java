package io.mlplatform.serving.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlplatform.store.FieldType;
import io.mlplatform.store.InputField;
import io.mlplatform.store.Manifest;
import io.mlplatform.store.Outputs;
import io.mlplatform.store.Task;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestValidatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Manifest MANIFEST = new Manifest(1, "penguins", 1, "2026-01-01T00:00:00Z",
      Task.MULTICLASS_CLASSIFICATION,
      List.of(
          new InputField("Beak Length (mm)", FieldType.DOUBLE, true, 43.9),
          new InputField("Body Mass (g)", FieldType.DOUBLE, false, null),
          new InputField("Island", FieldType.STRING, true, "__missing__"),
          new InputField("Sex", FieldType.STRING, false, null),
          new InputField("Year", FieldType.DOUBLE, true, 2008)),
      new Outputs("prediction", "probability", List.of("Adelie", "Chinstrap", "Gentoo")),
      Map.of(), null, "3.5.7", "0.16.0", null);
  private static final InputSchema SCHEMA = InputSchema.of(MANIFEST);
  private static final String VALID =
      "{'Beak Length (mm)': 39.1, 'Body Mass (g)': 3750, 'Island': 'Biscoe', 'Sex': 'MALE', 'Year': 2007}";

  private final RequestValidator validator = new RequestValidator(3, false);

  @Test
  void convertsValidInstancesInManifestOrder() {
    List<Object[]> rows = validator.validate(json("{'instances': [" + VALID + "]}"), SCHEMA);

    assertThat(rows).hasSize(1);
    assertThat(rows.get(0)).containsExactly(39.1, 3750.0, "Biscoe", "MALE", 2007.0);
  }

  @Test
  void replacesNullsWithTheirFill() {
    List<Object[]> rows = validator.validate(json(
        "{'instances': [{'Beak Length (mm)': null, 'Body Mass (g)': 1, 'Sex': 'F', 'Island': null, 'Year': null}]}"),
        SCHEMA);

    // Integer fills in the manifest (2008) still reach the model as doubles.
    assertThat(rows.get(0)).containsExactly(43.9, 1.0, "__missing__", "F", 2008.0);
  }

  @Test
  void anAbsentFieldIsAnErrorEvenWhenNullIsAllowed() {
    assertThatThrownBy(() -> validator.validate(
        json("{'instances': [{'Beak Length (mm)': 1, 'Body Mass (g)': 1, 'Sex': 'F', 'Year': 1}]}"), SCHEMA))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).violations())
            .containsExactly(new Violation(0, "Island", "is required (send null when the value is unknown)")));
  }

  @Test
  void keepsNumbersExact() {
    List<Object[]> rows = validator.validate(json("{'instances': [{'Body Mass (g)': 0.1, 'Sex': 'F', 'Island': null,"
        + " 'Beak Length (mm)': 4.9E-324, 'Year': 1.7976931348623157E308}]}"), SCHEMA);

    assertThat(rows.get(0)).containsExactly(4.9E-324, 0.1, "__missing__", "F", 1.7976931348623157E308);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not an object               | []                                  | request body must be a JSON object |        |
      scalar body                 | 42                                  | request body must be a JSON object |        |
      instances missing           | {}                                  | 'instances' is required            | instances | is required
      instances not an array      | {'instances': {}}                   | 'instances' must be an array       | instances | must be an array, got object
      instances a string          | {'instances': 'x'}                  | 'instances' must be an array       | instances | must be an array, got string
      instances empty             | {'instances': []}                   | 'instances' must not be empty      | instances | must not be empty
      too many instances          | {'instances': [{}, {}, {}, {}]}     | 'instances' has 4 elements         | instances | has 4 elements; at most 3 are allowed
      """)
  void rejectsBadBodies(String caseName, String body, String message, String field, String reason) {
    assertThatThrownBy(() -> validator.validate(json(body), SCHEMA))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getMessage()).startsWith(message);
          if (field == null) {
            assertThat(e.violations()).isEmpty();
          } else {
            assertThat(e.violations()).containsExactly(new Violation(null, field, reason));
          }
        });
  }

  /** Values are raw JSON text, spliced into an otherwise valid instance (quoteCharacter keeps the ' quotes). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      number as string     | Body Mass (g) | '3750'     | must be a number, got string
      string as number     | Sex           | 1          | must be a string, got number
      boolean for number   | Body Mass (g) | true       | must be a number, got boolean
      boolean for string   | Sex           | false      | must be a string, got boolean
      object for number    | Body Mass (g) | {'v': 1}   | must be a number, got object
      array for string     | Sex           | ['F']      | must be a string, got array
      array for number     | Year          | [1, 2]     | must be a number, got array
      double overflow      | Body Mass (g) | 1e400      | is out of range for a double
      negative overflow    | Year          | -1.8e308   | is out of range for a double
      huge integer         | Year          | 1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890 | is out of range for a double
      null not allowed     | Sex           | null       | must not be null
      """)
  void rejectsBadFieldValues(String caseName, String field, String value, String reason) {
    String instance = VALID.replaceFirst("'" + Pattern.quote(field) + "': [^,}]+", "'" + Matcher.quoteReplacement(field) + "': "
        + Matcher.quoteReplacement(value));
    assertThat(instance).isNotEqualTo(VALID);
    String body = "{'instances': [" + VALID + ", " + instance + "]}";

    assertThatThrownBy(() -> validator.validate(json(body), SCHEMA))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.violations()).containsExactly(new Violation(1, field, reason)));
  }

  @Test
  void listsEveryOffendingInstanceAndField() {
    String body = "{'instances': [1, {'Island': 3, 'Beak Length (mm)': null, 'Year': null}, " + VALID
        + ", {'Body Mass (g)': 'x', 'Sex': null, 'Beak Length (mm)': 1, 'Island': 'Dream', 'Year': 1}]}";

    assertThatThrownBy(() -> new RequestValidator(10, false).validate(json(body), SCHEMA))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("3 of 4 instance(s) are invalid");
          assertThat(e.violations()).containsExactly(
              new Violation(0, null, "instance must be a JSON object, got number"),
              new Violation(1, "Body Mass (g)", "is required"),
              new Violation(1, "Island", "must be a string, got number"),
              new Violation(1, "Sex", "is required"),
              new Violation(3, "Body Mass (g)", "must be a number, got string"),
              new Violation(3, "Sex", "must not be null"));
        });
  }

  @Test
  void unknownFieldsAreIgnoredOrRejectedAsConfigured() {
    String body = "{'instances': [" + VALID.replace("}", ", 'beak length': 1, 'Species': 'Adelie'}") + "]}";

    assertThat(new RequestValidator(3, false).validate(json(body), SCHEMA)).hasSize(1);
    assertThatThrownBy(() -> new RequestValidator(3, true).validate(json(body), SCHEMA))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.violations()).containsExactly(
            new Violation(0, "beak length", "is not an input of this model"),
            new Violation(0, "Species", "is not an input of this model")));
  }

  @Test
  void nullableFieldWithoutFillStillRejectsNull() {
    Manifest noFill = new Manifest(1, "m", 1, "t", Task.REGRESSION,
        List.of(new InputField("x", FieldType.DOUBLE, true, null)), new Outputs("prediction", null, null),
        null, null, null, null, null);

    assertThatThrownBy(() -> validator.validate(json("{'instances': [{'x': null}]}"), InputSchema.of(noFill)))
        .isInstanceOfSatisfying(InvalidRequestException.class,
            e -> assertThat(e.violations()).containsExactly(new Violation(0, "x", "must not be null")));
  }

  @Test
  void manifestWithMistypedFillIsRefused() {
    Manifest bad = new Manifest(1, "m", 1, "t", Task.REGRESSION,
        List.of(new InputField("x", FieldType.STRING, true, 3)), new Outputs("prediction", null, null),
        null, null, null, null, null);

    assertThatThrownBy(() -> InputSchema.of(bad))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x' is STRING");
  }

  /** JSON with single quotes, for readable tables. */
  private static JsonNode json(String singleQuoted) {
    try {
      return JSON.readTree(singleQuoted.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(singleQuoted, e);
    }
  }
}
