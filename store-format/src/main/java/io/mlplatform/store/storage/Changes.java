package io.mlplatform.store.storage;

import io.mlplatform.store.format.Alias;
import io.mlplatform.store.format.AliasChange;
import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Lineage;
import io.mlplatform.store.format.Manifest;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's changes to a model: alias moves, rollbacks, deletions, and their history events.
 * Every check comes before the first write, so a refused change writes nothing. A change is made
 * first and recorded second: the alias file is the truth, and a crash in between loses an event,
 * never the consistency of what readers see.
 */
final class Changes {

  private static final Logger LOG = LoggerFactory.getLogger(Changes.class);

  private final ModelStore store;
  private final Aliases aliases;
  private final History history;
  private final PublishProtocol protocol;

  Changes(ModelStore store, Aliases aliases, History history, PublishProtocol protocol) {
    this.store = store;
    this.aliases = aliases;
    this.history = history;
    this.protocol = protocol;
  }

  AliasChange setAlias(String model, String alias, int version, String reason) {
    Aliases.checkName(alias);
    String why = requireReason(reason);
    requireComplete(model, version);
    Alias previous = currentOrNullIfCorrupt(model, alias);
    Integer from = previous == null ? null : previous.version();
    if (from != null && from == version) {
      return new AliasChange(model, alias, from, version);
    }
    writeChecked(model, alias, version, why, previous);
    record(
        model,
        HistoryEvent.Action.PROMOTE,
        alias,
        from,
        version,
        why,
        model + " " + alias + " now points at v" + version);
    return new AliasChange(model, alias, from, version);
  }

  AliasChange rollback(String model, String alias, String reason) {
    Aliases.checkName(alias);
    store.requireModel(model);
    int current =
        store
            .alias(model, alias)
            .orElseThrow(
                () ->
                    new StoreException(
                        StoreException.Kind.NOT_FOUND,
                        "model "
                            + model
                            + " has no "
                            + alias
                            + " alias, so there is nothing to roll back"));
    List<Integer> versions = store.versions(model);
    OptionalInt previous =
        History.previous(store.history(model), alias, current, versions::contains);
    if (previous.isEmpty()) {
      throw new StoreException(
          StoreException.Kind.INVALID,
          "cannot roll back "
              + model
              + " "
              + alias
              + ": v"
              + current
              + " is the earliest "
              + alias
              + " version still in the store (see `history "
              + model
              + "`)");
    }
    int target = previous.getAsInt();
    requireComplete(model, target);
    String why = reason == null || reason.isBlank() ? "rollback" : reason.trim();
    writeChecked(model, alias, target, why, currentOrNullIfCorrupt(model, alias));
    record(
        model,
        HistoryEvent.Action.ROLLBACK,
        alias,
        current,
        target,
        why,
        model + " " + alias + " now points at v" + target);
    return new AliasChange(model, alias, current, target);
  }

  void delete(String model, int version, String reason) {
    store.requireVersion(model, version);
    String why = reason == null || reason.isBlank() ? "deleted" : reason.trim();
    requireUnaliased(model, version, "");
    Path deleted =
        new Path(new Path(store.modelDir(model), ModelStore.DELETED), Integer.toString(version));
    Path dir = store.versionDir(model, version);
    try {
      protocol.hide(dir, deleted);
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "cannot delete " + model + " v" + version + ": " + e.getMessage(),
          e);
    }
    // An alias set to this version while it was being deleted would now point at nothing: undo.
    try {
      requireUnaliased(model, version, " while it was being deleted");
    } catch (StoreException e) {
      protocol.unhide(dir, deleted);
      throw e;
    }
    record(
        model,
        HistoryEvent.Action.DELETE,
        null,
        version,
        null,
        why,
        model + " v" + version + " is deleted");
    // The manifest stays as a record of what the version was; the large files go.
    try {
      protocol.purge(dir, deleted);
    } catch (IOException e) {
      LOG.warn(
          "{} v{} is deleted, but its files under {} could not be removed: {}",
          model,
          version,
          deleted,
          e.getMessage());
    }
  }

  HistoryEvent recordGateDecision(
      String model, String alias, int candidate, Integer current, boolean passed, String reason) {
    Aliases.checkName(alias);
    store.requireVersion(model, candidate);
    HistoryEvent.Action action =
        passed ? HistoryEvent.Action.GATE_PASSED : HistoryEvent.Action.GATE_FAILED;
    try {
      return history.append(
          store.modelDir(model),
          store.stagingDir(model),
          event(action, alias, current, candidate, requireReason(reason)));
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "cannot record the gate decision on " + model + " v" + candidate + ": " + e.getMessage(),
          e);
    }
  }

  HistoryEvent recordRetrain(
      String model,
      Integer production,
      Integer version,
      String summary,
      java.util.Map<String, Object> run) {
    ModelStore.checkName(model);
    HistoryEvent event =
        new HistoryEvent(
            0,
            Instant.now().toString(),
            store.user(),
            HistoryEvent.Action.RETRAIN,
            Layout.PRODUCTION,
            production,
            version,
            requireReason(summary),
            java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(run)));
    try {
      return history.append(store.modelDir(model), store.stagingDir(model), event);
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "cannot record the retraining run of " + model + ": " + e.getMessage(),
          e);
    }
  }

  /** Best effort: the version is visible whether or not its publish event can be written. */
  void recordPublished(Manifest manifest, int version) {
    Lineage lineage = manifest.lineage();
    String reason =
        lineage == null
            ? "published"
            : "trained on "
                + lineage.dataUri()
                + " ("
                + lineage.rows()
                + " rows, "
                + lineage.fingerprint()
                + ")";
    Integer parent = lineage == null ? null : lineage.parentVersion();
    try {
      history.append(
          store.modelDir(manifest.model()),
          store.stagingDir(manifest.model()),
          event(HistoryEvent.Action.PUBLISH, null, parent, version, reason));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "{} v{} is published, but its history event could not be written: {}",
          manifest.model(),
          version,
          e.getMessage());
    }
  }

  private void write(String model, String alias, int version, String reason) {
    try {
      aliases.put(
          store.modelDir(model),
          store.stagingDir(model),
          new Alias(alias, version, Instant.now().toString(), store.user(), reason));
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "cannot set "
              + model
              + " "
              + alias
              + " to v"
              + version
              + " (it is unchanged): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Writes the alias, then checks that its version is still there. A delete hides the version and
   * then checks for aliases; this writes the alias and then checks for the version. Whichever runs
   * second sees the other and backs out, so an alias never stays on a deleted version (both may
   * back out).
   */
  private void writeChecked(
      String model, String alias, int version, String reason, Alias previous) {
    write(model, alias, version, reason);
    if (store.versions(model).contains(version)) {
      return;
    }
    try {
      if (previous == null) {
        aliases.remove(store.modelDir(model), alias);
      } else {
        aliases.put(store.modelDir(model), store.stagingDir(model), previous);
      }
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          "cannot set "
              + model
              + " "
              + alias
              + " to v"
              + version
              + ": it was deleted meanwhile, and the alias could not be put back to "
              + (previous == null ? "unset" : "v" + previous.version())
              + ": "
              + e.getMessage(),
          e);
    }
    throw new StoreException(
        StoreException.Kind.NOT_FOUND,
        "cannot set "
            + model
            + " "
            + alias
            + " to v"
            + version
            + ": it was deleted meanwhile; "
            + alias
            + " is unchanged ("
            + (previous == null ? "unset" : "v" + previous.version())
            + ")");
  }

  private void record(
      String model,
      HistoryEvent.Action action,
      String alias,
      Integer from,
      Integer to,
      String reason,
      String done) {
    try {
      history.append(
          store.modelDir(model), store.stagingDir(model), event(action, alias, from, to, reason));
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          done + ", but its history event could not be written: " + e.getMessage(),
          e);
    }
  }

  private HistoryEvent event(
      HistoryEvent.Action action, String alias, Integer from, Integer to, String reason) {
    return new HistoryEvent(
        0, Instant.now().toString(), store.user(), action, alias, from, to, reason);
  }

  /**
   * An alias may only point at a version a reader can load: its manifest parses and its bundle
   * exists.
   */
  private void requireComplete(String model, int version) {
    store.requireVersion(model, version);
    store.manifest(model, version);
    Path bundle = new Path(store.versionDir(model, version), Layout.BUNDLE);
    try {
      if (!store.fs().exists(bundle)) {
        throw new StoreException(
            StoreException.Kind.CORRUPT, model + " v" + version + " has no " + Layout.BUNDLE);
      }
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "cannot check " + bundle + ": " + e.getMessage(), e);
    }
  }

  /**
   * A malformed alias file is replaced rather than blocking the repair; its old target is unknown.
   */
  private Alias currentOrNullIfCorrupt(String model, String alias) {
    try {
      return aliases.get(store.modelDir(model), model, alias).orElse(null);
    } catch (StoreException e) {
      if (e.kind() != StoreException.Kind.CORRUPT) {
        throw e;
      }
      LOG.warn("replacing a malformed alias: {}", e.getMessage());
      return null;
    }
  }

  private void requireUnaliased(String model, int version, String when) {
    // Strict: a malformed alias might name this version, so it blocks the delete until repaired.
    List<String> pointing =
        aliases.list(store.modelDir(model), model).stream()
            .filter(a -> a.version() == version)
            .map(Alias::name)
            .collect(Collectors.toList());
    if (!pointing.isEmpty()) {
      throw new StoreException(
          StoreException.Kind.INVALID,
          "cannot delete "
              + model
              + " v"
              + version
              + ": "
              + String.join(", ", pointing)
              + (pointing.size() == 1 ? " points" : " point")
              + " at it"
              + when
              + "; promote another version or roll back first");
    }
  }

  private static String requireReason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new StoreException(
          StoreException.Kind.INVALID, "a reason is required: say why, it goes into the history");
    }
    return reason.trim();
  }
}
