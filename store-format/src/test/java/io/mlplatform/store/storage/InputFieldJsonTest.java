package io.mlplatform.store.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.StoreJson;
import org.junit.jupiter.api.Test;

/** {@code source} is optional: manifests written before it existed must still load. */
class InputFieldJsonTest {

  @Test
  void readsAFieldWrittenBeforeSourceWasRecorded() throws Exception {
    InputField field =
        StoreJson.mapper()
            .readValue(
                "{\"name\":\"island\",\"type\":\"STRING\",\"nullable\":true,\"fill\":\"__missing__\"}",
                InputField.class);

    assertThat(field)
        .isEqualTo(new InputField("island", FieldType.STRING, true, "__missing__", null));
  }

  @Test
  void keepsTheSourceThroughAWriteAndARead() throws Exception {
    InputField field = new InputField("beak", FieldType.DOUBLE, true, 43.9, "json");

    String json = StoreJson.mapper().writeValueAsString(field);

    assertThat(StoreJson.mapper().readValue(json, InputField.class)).isEqualTo(field);
    assertThat(json).contains("\"source\" : \"json\"");
  }
}
