package io.mlplatform.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract across the class-loader boundary, without a bundle (training-jobs' ExportCheckTest
 * scores real ones): only java.* values come back, errors included, with the runtime's version.
 */
class BundleScorerTest {

  @TempDir Path dir;

  @Test
  void aMissingBundleIsALoadErrorAndTheAnswerNamesTheRuntime() {
    Map<String, Object> request = new HashMap<>();
    request.put("bundle", dir.resolve("absent.zip").toString());
    request.put("fields", List.of(Map.of("name", "x", "type", "double")));
    request.put("rows", List.of(List.of(1.0)));
    request.put("prediction", "prediction");
    request.put("probability", null);

    Map<String, Object> answer = new BundleScorer().apply(request);

    assertThat(answer).containsEntry("runtime", "0.20.0").containsEntry("error", "load");
    assertThat((String) answer.get("message")).isNotBlank();
    assertThat(answer.get("cause")).isInstanceOf(Throwable.class);
    assertThat(answer).doesNotContainKey("predictions");
  }
}
