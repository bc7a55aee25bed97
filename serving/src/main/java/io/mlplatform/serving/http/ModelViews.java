package io.mlplatform.serving.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.lifecycle.FallbackEvent;
import io.mlplatform.serving.lifecycle.LoadedModel;
import io.mlplatform.serving.lifecycle.ModelEntry;
import io.mlplatform.serving.lifecycle.ModelState;
import io.mlplatform.serving.lifecycle.Refusal;
import io.mlplatform.serving.lifecycle.StoreStatus;
import io.mlplatform.serving.lifecycle.VersionState;
import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.Lineage;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.Outputs;
import io.mlplatform.store.format.Task;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** What the model endpoints answer: the registry's state, never the store's (views stay fast). */
final class ModelViews {

  private ModelViews() {}

  record ModelList(List<Summary> models, StoreStatus store) {}

  /** {@code loadedVersion} is the default route's version, null when none can serve. */
  record Summary(
      String name,
      ModelState state,
      int latestVersion,
      Integer loadedVersion,
      Map<String, Integer> aliases) {}

  record Input(String name, FieldType type, boolean nullable) {}

  /** One version: where it stands, the aliases on it, and why it does not serve if it does not. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Version(
      int version, VersionState state, List<String> aliases, String check, String reason) {}

  /** Manifest fields are absent when no version is loaded. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Detail(
      String name,
      ModelState state,
      String error,
      List<Integer> versions,
      int latestVersion,
      Integer loadedVersion,
      Map<String, Integer> aliases,
      Integer pinnedVersion,
      FallbackEvent fallback,
      List<Version> versionStates,
      Task task,
      String createdAt,
      List<Input> inputs,
      Outputs outputs,
      List<String> labels,
      Map<String, Double> metrics) {}

  /**
   * An input as the metadata endpoint describes it: with the value that replaces null.
   *
   * @param source the Spark reader training used, which decides whether a decimal is accepted for a
   *     string input (README, "Input types accepted"); null for models trained before it was
   *     recorded
   */
  record InputMetadata(String name, FieldType type, boolean nullable, Object fill, String source) {}

  /**
   * Everything a caller needs to build requests and trust the answers, from one version's manifest.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Metadata(
      String name,
      int version,
      Task task,
      String createdAt,
      List<InputMetadata> inputs,
      Outputs outputs,
      List<String> labels,
      Map<String, Double> metrics,
      Lineage lineage,
      String sparkVersion,
      String mleapVersion,
      JsonNode training) {}

  /**
   * @param full false for a predict key: the store's error (it names store paths) is left out
   */
  static ModelList list(List<ModelEntry> entries, StoreStatus store, boolean full) {
    StoreStatus shown =
        full || store.lastError() == null
            ? store
            : new StoreStatus(
                store.reachable(), store.lastSuccess(), store.lastAttempt(), "see the admin view");
    return new ModelList(entries.stream().map(ModelViews::summary).toList(), shown);
  }

  static Summary summary(ModelEntry entry) {
    return new Summary(
        entry.name(), entry.state(), entry.latestVersion(), entry.serving(), entry.aliases());
  }

  /**
   * @param full false for a predict key: errors in a few words, no reasons (they may name store
   *     paths)
   */
  static Detail detail(ModelEntry entry, boolean full) {
    Manifest m = entry.manifest();
    String error = entry.error();
    return new Detail(
        entry.name(),
        entry.state(),
        full || error == null ? error : HealthHandler.brief(error),
        entry.versions(),
        entry.latestVersion(),
        entry.serving(),
        entry.aliases(),
        entry.pinned(),
        entry.fallback(),
        versions(entry, full),
        m == null ? null : m.task(),
        m == null ? null : m.createdAt(),
        m == null
            ? null
            : m.inputs().stream().map(i -> new Input(i.name(), i.type(), i.nullable())).toList(),
        m == null ? null : m.outputs(),
        m == null ? null : m.outputs().labels(),
        m == null ? null : new TreeMap<>(m.metrics())); // sorted: stable output for diffs
  }

  static Version version(ModelEntry entry, int version, boolean full) {
    Refusal refusal = entry.refused().get(version);
    String reason = refusal != null ? refusal.reason() : entry.failed().get(version);
    if (reason == null && entry.fallback() != null && entry.fallback().from() == version) {
      reason = entry.fallback().reason();
    }
    return new Version(
        version,
        entry.stateOf(version),
        entry.aliasesOf(version),
        refusal == null ? null : refusal.kind().id(),
        full || reason == null ? reason : HealthHandler.brief(reason));
  }

  /**
   * @param full false for a predict key: no lineage and no training spec (data and store paths)
   */
  static Metadata metadata(LoadedModel model, boolean full) {
    Manifest m = model.manifest();
    return new Metadata(
        m.model(),
        m.version(),
        m.task(),
        m.createdAt(),
        m.inputs().stream()
            .map(i -> new InputMetadata(i.name(), i.type(), i.nullable(), i.fill(), i.source()))
            .toList(),
        m.outputs(),
        m.outputs().labels(),
        new TreeMap<>(m.metrics()),
        full ? m.lineage() : null,
        m.sparkVersion(),
        m.mleapVersion(),
        full ? m.training() : null);
  }

  /** Every version in the store or in memory, newest first. */
  private static List<Version> versions(ModelEntry entry, boolean full) {
    TreeSet<Integer> all = new TreeSet<>(entry.versions());
    all.addAll(entry.loaded().keySet());
    return all.descendingSet().stream().map(v -> version(entry, v, full)).toList();
  }
}
