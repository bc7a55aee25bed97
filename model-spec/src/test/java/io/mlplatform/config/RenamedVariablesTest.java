package io.mlplatform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RenamedVariablesTest {

  @Test
  void aSetOldVariableIsRefusedNamingTheNewOneAndABlankOneCountsAsUnset() {
    assertThat(
            RenamedVariables.problems(
                Map.of("SERVING_API_KEYS", "k", "MODEL_STORE", "/m", "SERVING_AUTH_ENABLED", " ")))
        .containsExactly(
            "environment variable MODEL_STORE was renamed to MLPLATFORM_STORE: set MLPLATFORM_STORE"
                + " instead and unset MODEL_STORE",
            "environment variable SERVING_API_KEYS was renamed to MLPLATFORM_API_KEYS: set"
                + " MLPLATFORM_API_KEYS instead and unset SERVING_API_KEYS");
    assertThat(RenamedVariables.problems(Map.of("HOST", "box", "MLPLATFORM_STORE", "/m")))
        .isEmpty();
  }
}
