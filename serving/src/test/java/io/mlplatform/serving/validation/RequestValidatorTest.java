package io.mlplatform.serving.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.Outputs;
import io.mlplatform.store.format.Task;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestValidatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Manifest MANIFEST =
      new Manifest(
          1,
          "penguins",
          1,
          "2026-01-01T00:00:00Z",
          Task.MULTICLASS_CLASSIFICATION,
          List.of(
              new InputField("Beak Length (mm)", FieldType.DOUBLE, true, 43.9),
              new InputField("Body Mass (g)", FieldType.DOUBLE, false, null),
              new InputField("Island", FieldType.STRING, true, "__missing__", "csv"),
              new InputField("Sex", FieldType.STRING, false, null),
              new InputField("Year", FieldType.DOUBLE, true, 2008),
              new InputField("Sex JSON", FieldType.STRING, true, "__missing__", "json")),
          new Outputs("prediction", "probability", List.of("Adelie", "Chinstrap", "Gentoo")),
          Map.of(),
          null,
          "3.5.7",
          "0.16.0",
          null);
  private static final InputSchema SCHEMA = InputSchema.of(MANIFEST);
  private static final String VALID =
      "{'Beak Length (mm)': 39.1, 'Body Mass (g)': 3750, 'Island': 'Biscoe', 'Sex': 'MALE', 'Year': 2007, 'Sex JSON': 'M'}";

  private final RequestValidator validator = new RequestValidator(3, false);

  @Test
  void convertsValidInstancesInManifestOrder() {
    List<Object[]> rows = validator.validate(json("{'instances': [" + VALID + "]}"), SCHEMA);

    assertThat(rows).hasSize(1);
    assertThat(rows.get(0)).containsExactly(39.1, 3750.0, "Biscoe", "MALE", 2007.0, "M");
  }

  @Test
  void replacesNullsWithTheirFill() {
    List<Object[]> rows =
        validator.validate(
            json(
                "{'instances': [{'Beak Length (mm)': null, 'Body Mass (g)': 1, 'Sex': 'F', 'Island': null, 'Year': '',"
                    + " 'Sex JSON': null}]}"),
            SCHEMA);

    // Integer fills in the manifest (2008) still reach the model as doubles; '' is null as in a CSV
    // cell.
    assertThat(rows.get(0)).containsExactly(43.9, 1.0, "__missing__", "F", 2008.0, "__missing__");
  }

  @Test
  void anAbsentFieldIsAnErrorEvenWhenNullIsAllowed() {
    assertThatThrownBy(
            () ->
                validator.validate(
                    json(
                        "{'instances': [{'Beak Length (mm)': 1, 'Body Mass (g)': 1, 'Sex': 'F', 'Year': 1, 'Sex JSON': 'F'}]}"),
                    SCHEMA))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(
            e ->
                assertThat(((InvalidRequestException) e).violations())
                    .containsExactly(
                        new Violation(
                            0, "Island", "is required (send null when the value is unknown)")));
  }

  @Test
  void keepsNumbersExact() {
    List<Object[]> rows =
        validator.validate(
            json(
                "{'instances': [{'Body Mass (g)': 0.1, 'Sex': 'F', 'Island': null,"
                    + " 'Beak Length (mm)': 4.9E-324, 'Year': 1.7976931348623157E308, 'Sex JSON': null}]}"),
            SCHEMA);

    assertThat(rows.get(0))
        .containsExactly(4.9E-324, 0.1, "__missing__", "F", 1.7976931348623157E308, "__missing__");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
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
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.getMessage()).startsWith(message);
              if (field == null) {
                assertThat(e.violations()).isEmpty();
              } else {
                assertThat(e.violations()).containsExactly(new Violation(null, field, reason));
              }
            });
  }

  /**
   * What Spark's readers accepted at training time (training-jobs' ReaderConversionTest pins each
   * one on Spark itself), converted the way Spark converted it. Values are raw JSON text.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
      integer in string col, JSON   | Sex JSON      | 1776                 | 1776
      integer in string col, CSV    | Island        | 1776                 | 1776
      integer in string col, old    | Sex           | 1776                 | 1776
      huge integer in string col    | Sex JSON      | 12345678901234567890 | 12345678901234567890
      decimal as its double's text  | Sex JSON      | 1.50                 | 1.5
      exponent as its double's text | Sex JSON      | 1e3                  | 1000.0
      small decimal in Java form    | Sex JSON      | 1.0e-7               | 1.0E-7
      negative zero                 | Sex JSON      | -0.0                 | -0.0
      true as text                  | Sex JSON      | true                 | true
      false as text, CSV            | Island        | false                | false
      numeric string                | Body Mass (g) | '3750'               | 3750.0
      decimal string                | Body Mass (g) | '12.5'               | 12.5
      exponent string               | Body Mass (g) | '1e3'                | 1000.0
      signed string                 | Body Mass (g) | '+5'                 | 5.0
      leading dot                   | Body Mass (g) | '.5'                 | 0.5
      trailing dot                  | Body Mass (g) | '5.'                 | 5.0
      surrounding whitespace        | Body Mass (g) | ' 2 '                | 2.0
      hex float as Java reads it    | Body Mass (g) | '0x1p3'              | 8.0
      Java double suffix            | Body Mass (g) | '1d'                 | 1.0
      """)
  void acceptsWhatSparksReaderAccepted(
      String caseName, String field, String value, String expected) {
    String instance =
        VALID.replaceFirst(
            "'" + Pattern.quote(field) + "': [^,}]+",
            "'" + Matcher.quoteReplacement(field) + "': " + Matcher.quoteReplacement(value));
    int at = SCHEMA.fields().stream().map(InputField::name).toList().indexOf(field);

    Object converted =
        validator.validate(json("{'instances': [" + instance + "]}"), SCHEMA).get(0)[at];

    assertThat(String.valueOf(converted)).isEqualTo(expected);
    assertThat(converted)
        .isInstanceOf(
            SCHEMA.fields().get(at).type() == FieldType.DOUBLE ? Double.class : String.class);
  }

  @Test
  void checkKeepsEveryInstanceAndNullsTheInvalidOnes() {
    String bad = VALID.replace("3750", "'heavy'");
    RequestValidator.Checked checked =
        validator.check(json("{'instances': [" + VALID + ", " + bad + "]}"), SCHEMA);

    assertThat(checked.invalid()).isEqualTo(1);
    assertThat(checked.rows()).hasSize(2);
    assertThat(checked.rows().get(0)).isNotNull();
    assertThat(checked.rows().get(1)).isNull();
    assertThat(checked.violations())
        .containsExactly(
            new Violation(1, "Body Mass (g)", "must be a number, got a string that is not one"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      absent               | {}                                 | false |
      null                 | {'options': null}                  | false |
      partial true         | {'options': {'partial': true}}     | true  |
      partial false        | {'options': {'partial': false}}    | false |
      partial null         | {'options': {'partial': null}}     | false |
      options not object   | {'options': true}                  |       | options: must be an object, got boolean
      partial not boolean  | {'options': {'partial': 'yes'}}    |       | options.partial: must be true or false, got string
      unknown option       | {'options': {'parital': true}}     |       | options.parital: is not an option (known: partial)
      """)
  void readsThePartialOption(String caseName, String body, Boolean partial, String problem) {
    if (problem == null) {
      assertThat(RequestValidator.partial(json(body))).isEqualTo(partial);
      return;
    }
    String[] parts = problem.split(": ", 2);
    assertThatThrownBy(() -> RequestValidator.partial(json(body)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e ->
                assertThat(e.violations())
                    .containsExactly(new Violation(null, parts[0], parts[1])));
  }

  /**
   * Values are raw JSON text, spliced into an otherwise valid instance (quoteCharacter keeps the '
   * quotes).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
      non-numeric string   | Body Mass (g) | 'x'        | must be a number, got a string that is not one
      grouped digits       | Body Mass (g) | '1_000'    | must be a number, got a string that is not one
      decimal comma        | Body Mass (g) | '1,5'      | must be a number, got a string that is not one
      blank string         | Body Mass (g) | '  '       | must be a number, got a string that is not one
      NaN string           | Body Mass (g) | 'NaN'      | must be a finite number
      Inf string           | Year          | 'Inf'      | must be a finite number
      minus Inf string     | Year          | '-Inf'     | must be a finite number
      Infinity string      | Year          | 'Infinity' | must be a finite number
      overflowing string   | Year          | '1e400'    | must be a finite number
      decimal, CSV column  | Island        | 1.5        | must be a string, got a decimal number (its text is only known for columns read from JSON; send the text as the training data has it)
      decimal, old model   | Sex           | 1.5        | must be a string, got a decimal number (its text is only known for columns read from JSON; send the text as the training data has it)
      overflow, JSON col   | Sex JSON      | 1e400      | is out of range for a double
      boolean for number   | Body Mass (g) | true       | must be a number, got boolean
      object for number    | Body Mass (g) | {'v': 1}   | must be a number, got object
      array for string     | Sex           | ['F']      | must be a string, got array
      object for string    | Sex JSON      | {'a': 1}   | must be a string, got object
      array for number     | Year          | [1, 2]     | must be a number, got array
      double overflow      | Body Mass (g) | 1e400      | is out of range for a double
      negative overflow    | Year          | -1.8e308   | is out of range for a double
      null not allowed     | Sex           | null       | must not be null
      """)
  void rejectsBadFieldValues(String caseName, String field, String value, String reason) {
    String instance =
        VALID.replaceFirst(
            "'" + Pattern.quote(field) + "': [^,}]+",
            "'" + Matcher.quoteReplacement(field) + "': " + Matcher.quoteReplacement(value));
    assertThat(instance).isNotEqualTo(VALID);
    String body = "{'instances': [" + VALID + ", " + instance + "]}";

    assertThatThrownBy(() -> validator.validate(json(body), SCHEMA))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.violations()).containsExactly(new Violation(1, field, reason)));
  }

  @Test
  void listsEveryOffendingInstanceAndField() {
    String body =
        "{'instances': [1, {'Island': [3], 'Beak Length (mm)': null, 'Year': null, 'Sex JSON': 1}, "
            + VALID
            + ", {'Body Mass (g)': 'x', 'Sex': null, 'Beak Length (mm)': 1, 'Island': 'Dream', 'Year': 1, 'Sex JSON': 1}]}";

    assertThatThrownBy(() -> new RequestValidator(10, false).validate(json(body), SCHEMA))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo("3 of 4 instance(s) are invalid");
              assertThat(e.violations())
                  .containsExactly(
                      new Violation(0, null, "instance must be a JSON object, got number"),
                      new Violation(1, "Body Mass (g)", "is required"),
                      new Violation(1, "Island", "must be a string, got array"),
                      new Violation(1, "Sex", "is required"),
                      new Violation(
                          3, "Body Mass (g)", "must be a number, got a string that is not one"),
                      new Violation(3, "Sex", "must not be null"));
            });
  }

  @Test
  void unknownFieldsAreIgnoredOrRejectedAsConfigured() {
    String body =
        "{'instances': [" + VALID.replace("}", ", 'beak length': 1, 'Species': 'Adelie'}") + "]}";

    assertThat(new RequestValidator(3, false).validate(json(body), SCHEMA)).hasSize(1);
    assertThatThrownBy(() -> new RequestValidator(3, true).validate(json(body), SCHEMA))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e ->
                assertThat(e.violations())
                    .containsExactly(
                        new Violation(0, "beak length", "is not an input of this model"),
                        new Violation(0, "Species", "is not an input of this model")));
  }

  @Test
  void nullableFieldWithoutFillStillRejectsNull() {
    Manifest noFill =
        new Manifest(
            1,
            "m",
            1,
            "t",
            Task.REGRESSION,
            List.of(new InputField("x", FieldType.DOUBLE, true, null)),
            new Outputs("prediction", null, null),
            null,
            null,
            null,
            null,
            null);

    assertThatThrownBy(
            () -> validator.validate(json("{'instances': [{'x': null}]}"), InputSchema.of(noFill)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e ->
                assertThat(e.violations())
                    .containsExactly(new Violation(0, "x", "must not be null")));
  }

  @Test
  void manifestWithMistypedFillIsRefused() {
    Manifest bad =
        new Manifest(
            1,
            "m",
            1,
            "t",
            Task.REGRESSION,
            List.of(new InputField("x", FieldType.STRING, true, 3)),
            new Outputs("prediction", null, null),
            null,
            null,
            null,
            null,
            null);

    assertThatThrownBy(() -> InputSchema.of(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'x' is STRING");
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
