package io.mlplatform.retraining;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlplatform.config.JsonSchemas;
import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * conf/schemas/retraining.schema.json against ScheduleConfig, so editors complete exactly what it
 * reads.
 */
class RetrainingSchemaTest {

  private static final Path ROOT = JsonSchemas.root();
  private static final Path SCHEMA = ROOT.resolve("conf/schemas/retraining.schema.json");
  private static final Path SHIPPED = ROOT.resolve("conf/retraining.yaml");

  @Test
  void theSchemaDescribesExactlyTheKeysTheSchedulerAccepts() {
    assertThat(JsonSchemas.keys(JsonSchemas.read(SCHEMA)))
        .isEqualTo(new TreeMap<>(ScheduleConfig.KEYS));
  }

  @Test
  void theShippedFileValidatesAndNamesTheSchemaForEditors() {
    assertThat(JsonSchemas.validate(SCHEMA, SHIPPED)).isEmpty();
    assertThat(JsonSchemas.declaredSchema(SHIPPED)).isEqualTo(SCHEMA);
  }

  @Test
  void theSchemaRefusesADurationWithoutUnitAndAnUnknownKey() {
    ObjectNode config = (ObjectNode) JsonSchemas.read(SHIPPED);
    ((ObjectNode) config.get("models").get(0)).put("timeout", "30");
    config.put("storeUri", "x");

    assertThat(JsonSchemas.validate(SCHEMA, config))
        .anyMatch(m -> m.contains("timeout"))
        .anyMatch(m -> m.contains("storeUri"));
  }
}
