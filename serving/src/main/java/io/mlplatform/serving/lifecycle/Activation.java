package io.mlplatform.serving.lifecycle;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides which version each route of a model serves, as a pure function of the model's entry and
 * the versions in memory, so that every rule can be tested without a store or MLeap.
 *
 * <ul>
 *   <li>The default route serves its target (pinned, else {@code production}, else the latest) once
 *       that version is loaded; the version it served before stays loaded as the fallback.
 *   <li>A target that cannot be loaded changes nothing: the current version keeps serving. With
 *       nothing serving yet, the newest loaded version older than the target serves.
 *   <li>After an automatic fallback the failing version is not re-activated until the target moves.
 * </ul>
 */
final class Activation {

  /** Older versions tried, newest first, when the target will not load and nothing serves yet. */
  static final int OLDER_CANDIDATES = 3;

  private Activation() {}

  /** Versions that must be in memory: the default route's target, every alias target, the pin. */
  static SortedSet<Integer> wanted(ModelEntry entry) {
    SortedSet<Integer> wanted = new TreeSet<>(entry.aliases().values());
    if (entry.target() != null) {
      wanted.add(entry.target());
    }
    return wanted;
  }

  /**
   * @param entry the entry with the store's latest view, pin and fallback already applied
   * @param pool every version in memory for this model: the entry's own plus any just loaded
   * @return the entry with serving, previous, fallback and loaded versions decided
   */
  static ModelEntry decide(ModelEntry entry, Map<Integer, LoadedModel> pool) {
    Integer target = entry.target();
    FallbackEvent fallback = entry.fallback();
    if (fallback != null && !Objects.equals(target, fallback.from())) {
      fallback = null; // the store (or an admin) moved on from the failing version
    }
    Integer serving =
        entry.serving() != null && pool.containsKey(entry.serving()) ? entry.serving() : null;
    Integer previous = entry.previous();
    if (target != null && pool.containsKey(target) && fallback == null) {
      if (!target.equals(serving)) {
        previous = serving;
        serving = target;
      }
    } else if (serving == null) {
      serving = newestBelow(pool, target);
    }
    if (previous != null && (previous.equals(serving) || !pool.containsKey(previous))) {
      previous = null;
    }
    SortedSet<Integer> keep = wanted(entry);
    if (serving != null) {
      keep.add(serving);
    }
    if (previous != null) {
      keep.add(previous);
    }
    Map<Integer, LoadedModel> loaded = new HashMap<>();
    for (Integer version : keep) {
      if (pool.containsKey(version)) {
        loaded.put(version, pool.get(version));
      }
    }
    return new ModelEntry(
        entry.name(),
        entry.versions(),
        entry.aliases(),
        new TreeMap<>(loaded),
        entry.refused(),
        entry.failed(),
        serving,
        previous,
        entry.pinned(),
        fallback,
        entry.storeError());
  }

  private static Integer newestBelow(Map<Integer, LoadedModel> pool, Integer target) {
    Integer best = null;
    for (Integer version : pool.keySet()) {
      if ((target == null || version < target) && (best == null || version > best)) {
        best = version;
      }
    }
    return best;
  }
}
