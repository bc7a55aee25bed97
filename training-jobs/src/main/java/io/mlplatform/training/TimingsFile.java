package io.mlplatform.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --timings FILE}: one JSON line per published model, so several specs can share one file.
 */
final class TimingsFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TimingsFile() {}

  static void append(Path file, TrainJob.Result result) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("model", result.model());
    line.put("version", result.version());
    line.put("phases", result.phases());
    line.put(
        "totalSeconds", result.phases().values().stream().mapToDouble(Double::doubleValue).sum());
    try {
      Files.writeString(
          file,
          JSON.writeValueAsString(line) + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write timings to " + file + ": " + e.getMessage(), e);
    }
  }
}
