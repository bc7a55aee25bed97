package io.mlplatform.serving.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mlplatform.serving.model.ModelEntry;
import io.mlplatform.serving.model.ModelState;
import io.mlplatform.store.FieldType;
import io.mlplatform.store.Manifest;
import io.mlplatform.store.Outputs;
import io.mlplatform.store.Task;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What {@code GET /v1/models} and {@code GET /v1/models/{name}} answer. */
final class ModelViews {

  private ModelViews() {}

  record ModelList(List<Summary> models) {}

  /** {@code loadedVersion} is null when the latest version failed to load. */
  record Summary(String name, ModelState state, int latestVersion, Integer loadedVersion) {}

  record Input(String name, FieldType type, boolean nullable) {}

  /** Manifest fields are absent when the manifest itself could not be read. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Detail(
      String name,
      ModelState state,
      String error,
      List<Integer> versions,
      int latestVersion,
      Integer loadedVersion,
      Task task,
      String createdAt,
      List<Input> inputs,
      Outputs outputs,
      List<String> labels,
      Map<String, Double> metrics) {}

  static ModelList list(List<ModelEntry> entries) {
    return new ModelList(entries.stream().map(ModelViews::summary).toList());
  }

  static Summary summary(ModelEntry entry) {
    return new Summary(entry.name(), entry.state(), entry.version(), loadedVersion(entry));
  }

  static Detail detail(ModelEntry entry) {
    Manifest m = entry.manifest();
    return new Detail(
        entry.name(),
        entry.state(),
        entry.error(),
        entry.versions(),
        entry.version(),
        loadedVersion(entry),
        m == null ? null : m.task(),
        m == null ? null : m.createdAt(),
        m == null ? null : m.inputs().stream().map(i -> new Input(i.name(), i.type(), i.nullable())).toList(),
        m == null ? null : m.outputs(),
        m == null ? null : m.outputs().labels(),
        m == null ? null : new TreeMap<>(m.metrics())); // sorted: stable output for diffs
  }

  private static Integer loadedVersion(ModelEntry entry) {
    return entry.loadedModel().map(l -> l.manifest().version()).orElse(null);
  }
}
