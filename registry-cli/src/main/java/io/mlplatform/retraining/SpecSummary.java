package io.mlplatform.retraining;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What the scheduler needs from a training spec: the model's name and where its data is. The training
 * job validates the whole spec; this reads only these keys so the scheduler needs no Spark.
 *
 * @param dataLocation {@code data.path} resolved as the training job resolves it (local paths against
 *     the working directory)
 */
record SpecSummary(Path file, String model, String dataLocation, Integer latestFiles) {

  static SpecSummary read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new RetrainException("cannot read spec " + file + ": " + e.getMessage());
    }
    if (root == null || !root.path("name").isTextual()) {
      throw new RetrainException("spec " + file + ": name: is missing (the model's name)");
    }
    JsonNode path = root.path("data").path("path");
    if (!path.isTextual()) {
      throw new RetrainException("spec " + file + ": data.path: is missing");
    }
    JsonNode latest = root.path("data").path("latestFiles");
    return new SpecSummary(file, root.get("name").asText(), resolve(path.asText()),
        latest.isIntegralNumber() ? latest.asInt() : null);
  }

  private static String resolve(String path) {
    if (path.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      return path;
    }
    return Path.of(path).toAbsolutePath().normalize().toUri().toString();
  }
}
