package io.mlplatform.store.storage;

import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Pin;
import io.mlplatform.store.format.RoutingDoc;
import io.mlplatform.store.format.RuntimeState;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * Changes to a model's runtime documents (pin, routing) and their history events. As with aliases,
 * every check comes before the first write, the document is written first and the event second: the
 * document is the truth every replica applies.
 */
final class RuntimeChanges {

  private final ModelStore store;
  private final RuntimeDocs docs;
  private final History history;

  RuntimeChanges(ModelStore store, RuntimeDocs docs, History history) {
    this.store = store;
    this.docs = docs;
    this.history = history;
  }

  Pin pin(String model, int version, String reason) {
    store.requireVersion(model, version);
    Integer before = store.runtime(model).pinnedVersion();
    Pin pin = new Pin(version, Instant.now().toString(), store.user(), why(reason, "pinned"));
    write(model, Layout.PIN, pin, "pin " + model + " to v" + version);
    record(
        model,
        HistoryEvent.Action.PIN,
        before,
        version,
        pin.reason(),
        null,
        model + " is pinned to v" + version);
    return pin;
  }

  Pin unpin(String model, String reason) {
    store.requireModel(model);
    RuntimeState state = store.runtime(model);
    Integer before = state.pinnedVersion();
    if (before == null && state.malformed().isEmpty()) {
      // Nothing to lift: nothing is written or recorded, as when an alias is set to its version.
      return state.pin() != null ? state.pin() : new Pin(null, null, null, null);
    }
    Pin pin = new Pin(null, Instant.now().toString(), store.user(), why(reason, "unpinned"));
    write(model, Layout.PIN, pin, "unpin " + model);
    record(
        model, HistoryEvent.Action.UNPIN, before, null, pin.reason(), null, model + " is unpinned");
    return pin;
  }

  /**
   * @param rule the rule, or null to remove routing on every replica (a config file's rule too)
   */
  RoutingDoc routing(String model, RoutingDoc.Rule rule, String reason) {
    store.requireModel(model);
    if (rule != null && rule.problem() != null) {
      throw new StoreException(StoreException.Kind.INVALID, rule.problem());
    }
    RoutingDoc current = store.runtime(model).routing();
    if (current != null && Objects.equals(current.rule(), rule)) {
      return current;
    }
    RoutingDoc doc =
        new RoutingDoc(
            rule,
            Instant.now().toString(),
            store.user(),
            why(reason, rule == null ? "routing removed" : "routing set"));
    write(model, Layout.ROUTING, doc, "set the routing of " + model);
    record(
        model,
        rule == null ? HistoryEvent.Action.ROUTING_REMOVED : HistoryEvent.Action.ROUTING_SET,
        null,
        null,
        doc.reason(),
        rule,
        rule == null ? model + " has no routing rule" : model + " routes by its new rule");
    return doc;
  }

  private void write(String model, String name, Object doc, String what) {
    try {
      docs.put(store.modelDir(model), store.stagingDir(model), name, doc);
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.IO, "cannot " + what + ": " + e.getMessage(), e);
    }
  }

  private void record(
      String model,
      HistoryEvent.Action action,
      Integer from,
      Integer to,
      String reason,
      RoutingDoc.Rule rule,
      String done) {
    HistoryEvent event =
        new HistoryEvent(
            0, Instant.now().toString(), store.user(), action, null, from, to, reason, null, rule);
    try {
      history.append(store.modelDir(model), store.stagingDir(model), event);
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO,
          done + ", but its history event could not be written: " + e.getMessage(),
          e);
    }
  }

  private static String why(String reason, String fallback) {
    return reason == null || reason.isBlank() ? fallback : reason.trim();
  }
}
