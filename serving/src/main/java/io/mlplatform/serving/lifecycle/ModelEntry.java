package io.mlplatform.serving.lifecycle;

import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One model as the registry holds it at one point in time. Immutable: every change builds a new
 * entry inside a new registry snapshot.
 *
 * @param name the model's name in the store
 * @param versions the versions visible in the store at the last successful read, ascending
 * @param aliases alias name to version, as the store said at the last successful read
 * @param loaded the versions in memory
 * @param refused versions that failed a load-time check, with why; never retried
 * @param failed versions that could not be loaded at the last attempt (I/O, an Error), with why;
 *     retried with back-off
 * @param serving the version behind the default route, or null when none can serve
 * @param previous the version the default route served before {@code serving}, kept loaded for
 *     fallback
 * @param pinned the version an admin pinned the default route to, or null
 * @param fallback the automatic fallback in force, or null
 * @param storeError why the last read of this model failed, or null
 */
public record ModelEntry(
    String name,
    List<Integer> versions,
    SortedMap<String, Integer> aliases,
    SortedMap<Integer, LoadedModel> loaded,
    SortedMap<Integer, Refusal> refused,
    SortedMap<Integer, String> failed,
    Integer serving,
    Integer previous,
    Integer pinned,
    FallbackEvent fallback,
    String storeError) {

  public ModelEntry {
    versions = List.copyOf(versions);
    aliases = Collections.unmodifiableSortedMap(new TreeMap<>(aliases));
    loaded = Collections.unmodifiableSortedMap(new TreeMap<>(loaded));
    refused = Collections.unmodifiableSortedMap(new TreeMap<>(refused));
    failed = Collections.unmodifiableSortedMap(new TreeMap<>(failed));
  }

  static ModelEntry empty(String name) {
    return new ModelEntry(
        name,
        List.of(),
        new TreeMap<>(),
        new TreeMap<>(),
        new TreeMap<>(),
        new TreeMap<>(),
        null,
        null,
        null,
        null,
        null);
  }

  public ModelState state() {
    return serving != null ? ModelState.LOADED : ModelState.FAILED;
  }

  /** The latest version in the store, or 0 when the store listed none. */
  public int latestVersion() {
    return versions.isEmpty() ? 0 : versions.get(versions.size() - 1);
  }

  /**
   * The version the default route should serve: pinned, else {@code production}, else the latest.
   */
  public Integer target() {
    if (pinned != null) {
      return pinned;
    }
    Integer production = aliases.get(Layout.PRODUCTION);
    return production != null ? production : versions.isEmpty() ? null : latestVersion();
  }

  /** The model behind the default route. */
  public Optional<LoadedModel> loadedModel() {
    return Optional.ofNullable(serving == null ? null : loaded.get(serving));
  }

  /** The serving version's manifest, else null. */
  public Manifest manifest() {
    return loadedModel().map(LoadedModel::manifest).orElse(null);
  }

  /** Why the default route does not serve its target, or null when it does. */
  public String error() {
    Integer target = target();
    if (target == null) {
      return storeError != null ? storeError : "the store lists no version";
    }
    if (refused.containsKey(target)) {
      return "v" + target + " refused: " + refused.get(target);
    }
    if (failed.containsKey(target)) {
      return "v" + target + " " + failed.get(target);
    }
    if (fallback != null && fallback.from() == target) {
      return "v" + target + " fell back to v" + fallback.to() + ": " + fallback.reason();
    }
    return null;
  }

  public VersionState stateOf(int version) {
    if (loaded.containsKey(version)) {
      if (serving != null && serving == version) {
        return VersionState.SERVING;
      }
      return fallback != null && fallback.from() == version
          ? VersionState.DEGRADED
          : VersionState.LOADED;
    }
    if (refused.containsKey(version)) {
      return VersionState.REFUSED;
    }
    return failed.containsKey(version) ? VersionState.FAILED : VersionState.AVAILABLE;
  }

  /** The aliases pointing at a version. */
  public List<String> aliasesOf(int version) {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, Integer> alias : aliases.entrySet()) {
      if (alias.getValue() == version) {
        names.add(alias.getKey());
      }
    }
    return names;
  }

  ModelEntry withPinned(Integer version) {
    return new ModelEntry(
        name,
        versions,
        aliases,
        loaded,
        refused,
        failed,
        serving,
        previous,
        version,
        fallback,
        storeError);
  }

  ModelEntry withFallback(FallbackEvent event) {
    return new ModelEntry(
        name,
        versions,
        aliases,
        loaded,
        refused,
        failed,
        serving,
        previous,
        pinned,
        event,
        storeError);
  }

  ModelEntry withStoreError(String error) {
    return new ModelEntry(
        name, versions, aliases, loaded, refused, failed, serving, previous, pinned, fallback,
        error);
  }
}
