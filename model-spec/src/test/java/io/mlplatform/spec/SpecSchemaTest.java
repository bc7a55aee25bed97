package io.mlplatform.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlplatform.config.JsonSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * conf/schemas/model-spec.schema.json against the loader, so editors complete exactly what the
 * loader reads.
 */
class SpecSchemaTest {

  private static final Path ROOT = JsonSchemas.root();
  private static final Path SCHEMA = ROOT.resolve("conf/schemas/model-spec.schema.json");

  @Test
  void theSchemaDescribesExactlyTheKeysTheLoaderAccepts() {
    assertThat(JsonSchemas.keys(JsonSchemas.read(SCHEMA))).isEqualTo(new TreeMap<>(SpecKeys.KNOWN));
  }

  @Test
  void everyKeyHasADescription() {
    List<String> undescribed = new java.util.ArrayList<>();
    describe(JsonSchemas.read(SCHEMA).get("properties"), "", undescribed);
    assertThat(undescribed).isEmpty();
  }

  private static void describe(JsonNode properties, String path, List<String> undescribed) {
    properties
        .fields()
        .forEachRemaining(
            e -> {
              String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
              if (!e.getValue().hasNonNull("description")) {
                undescribed.add(key);
              }
              if (e.getValue().has("properties")) {
                describe(e.getValue().get("properties"), key, undescribed);
              }
            });
  }

  /** Per model type, model.params and tuning.grid name exactly the parameters a spec can set. */
  @ParameterizedTest
  @EnumSource(ModelType.class)
  void theSchemaListsEachModelTypesParameters(ModelType type) {
    JsonNode then = null;
    for (JsonNode rule : JsonSchemas.read(SCHEMA).get("allOf")) {
      if (rule.at("/if/properties/model/properties/type/const").asText().equals(type.key())) {
        then = rule.get("then");
      }
    }
    assertThat(then).as("an allOf rule for model.type " + type.key()).isNotNull();
    Set<String> settable = new TreeSet<>();
    EstimatorParams.of(type)
        .forEach(
            (name, kind) -> {
              if (kind != ParamKind.MATRIX && kind != ParamKind.VECTOR) {
                settable.add(name);
              }
            });
    Set<String> params = new TreeSet<>();
    then.at("/properties/model/properties/params/properties")
        .fieldNames()
        .forEachRemaining(params::add);
    Set<String> grid = new TreeSet<>();
    then.at("/properties/tuning/properties/grid/propertyNames/enum")
        .forEach(n -> grid.add(n.asText()));

    assertThat(params).isEqualTo(settable);
    assertThat(grid).isEqualTo(settable);
  }

  static Stream<Path> specs() throws IOException {
    List<Path> dirs =
        List.of(
            ROOT.resolve("conf/models"),
            ROOT.resolve("e2e-tests/src/test/resources/families"),
            ROOT.resolve("benchmarks/conf"));
    List<Path> files = new java.util.ArrayList<>();
    for (Path dir : dirs) {
      try (Stream<Path> list = Files.list(dir)) {
        list.filter(p -> p.toString().endsWith(".yaml")).forEach(files::add);
      }
    }
    assertThat(files).as("spec files found").hasSizeGreaterThan(10);
    return files.stream().sorted();
  }

  /** Every spec in the repository is valid by the schema and by the loader. */
  @ParameterizedTest
  @MethodSource("specs")
  void everySpecInTheRepositoryValidates(Path spec) {
    assertThat(JsonSchemas.validate(SCHEMA, spec)).as(spec.toString()).isEmpty();
    assertThat(SpecLoader.load(spec).name()).isNotBlank();
  }

  @Test
  void theShippedSpecNamesTheSchemaForEditors() {
    assertThat(JsonSchemas.declaredSchema(ROOT.resolve("conf/models/penguins.yaml")))
        .isEqualTo(SCHEMA);
  }

  /** The schema refuses what the loader refuses: old spellings, unknown params, bad values. */
  @Test
  void theSchemaRefusesWhatTheLoaderRefuses() {
    ObjectNode penguins = (ObjectNode) JsonSchemas.read(ROOT.resolve("conf/models/penguins.yaml"));
    ObjectNode renamed = penguins.deepCopy();
    renamed.set("label", renamed.remove("target"));
    ObjectNode unknownParam = penguins.deepCopy();
    ((ObjectNode) unknownParam.at("/model/params")).put("numTrees", 5);
    ObjectNode badFraction = penguins.deepCopy();
    ((ObjectNode) badFraction.get("split")).put("testFraction", 1.5);

    for (var bad :
        Map.of("label", renamed, "numTrees", unknownParam, "testFraction", badFraction)
            .entrySet()) {
      assertThat(JsonSchemas.validate(SCHEMA, bad.getValue()))
          .as(bad.getKey())
          .isNotEmpty()
          .anyMatch(m -> m.contains(bad.getKey()) || m.contains("split"));
    }
  }
}
