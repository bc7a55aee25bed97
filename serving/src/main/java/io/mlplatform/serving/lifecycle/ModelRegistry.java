package io.mlplatform.serving.lifecycle;

import io.mlplatform.serving.config.FallbackSection;
import io.mlplatform.serving.config.ModelsSection;
import io.mlplatform.serving.scoring.ScoringModelLoader;
import io.mlplatform.store.format.Alias;
import io.mlplatform.store.format.AliasChange;
import io.mlplatform.store.format.RoutingDoc;
import io.mlplatform.store.format.RuntimeState;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models being served. Requests read an immutable snapshot; every change (a store read, a pin,
 * a fallback) builds a new snapshot and swaps it in with one compare-and-set, so a request sees
 * either all of a change or none of it. Loading happens before the swap, outside any lock requests
 * take. Versions a swap drops are retired: requests holding them finish, then they are closed.
 *
 * <p>The store being unreachable changes nothing that is loaded; {@link #storeStatus()} says so.
 *
 * <p>What operators change at runtime (pins, routing rules, alias moves) is written to the store
 * first and applied here only once the write succeeded; every other replica applies it at its next
 * poll, which reads each model's {@code runtime/} documents. A write that fails changes nothing
 * here.
 */
public final class ModelRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

  /**
   * The models at one point in time, by name; {@code loaded} is false before the first successful
   * read.
   */
  private record Snapshot(boolean loaded, SortedMap<String, ModelEntry> models, StoreStatus store) {
    Snapshot {
      models = Collections.unmodifiableSortedMap(new TreeMap<>(models));
    }

    Snapshot with(
        SortedMap<String, ModelEntry> newModels, StoreStatus newStore, boolean nowLoaded) {
      return new Snapshot(nowLoaded, newModels, newStore);
    }
  }

  /**
   * What the loading phase produced for one model, before it is merged into the current snapshot.
   */
  private record Prepared(
      ModelEntry entry, Map<Integer, LoadedModel> newlyLoaded, boolean pinChanged) {
    Prepared(ModelEntry entry, Map<Integer, LoadedModel> newlyLoaded) {
      this(entry, newlyLoaded, false);
    }
  }

  /** A version that could not be loaded (I/O, an Error) and when it may be tried again. */
  private record Retry(int attempts, long notBefore, String reason) {}

  private record VersionKey(String model, int version) {}

  // After the n-th failure in a row a version waits RETRY_BASE * 2^(n-1), at most RETRY_MAX.
  private static final long RETRY_BASE_NANOS = 5_000_000_000L;
  private static final long RETRY_MAX_NANOS = 600_000_000_000L;

  private final VersionLoader loader;
  private final ModelStore store;
  private final FallbackSection policy;
  private final ModelEvents events;
  private final LongSupplier nanoClock;
  private final AtomicReference<Snapshot> current =
      new AtomicReference<>(new Snapshot(false, new TreeMap<>(), StoreStatus.NEVER_READ));
  // Serializes what loads models (store reads, pins); requests and fallbacks never take it.
  private final Object loadLock = new Object();
  // Guarded by loadLock.
  private final Map<VersionKey, Retry> retries = new HashMap<>();
  // The store's routing document per model, as last read or written; no key: none.
  private final Map<String, RoutingDoc> routing = new ConcurrentHashMap<>();
  private final List<RoutingListener> routingListeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /** A registry with the default settings (self-test required, default fallback policy). */
  public ModelRegistry(ModelStore store, ScoringModelLoader loader) {
    this(store, loader, ModelsSection.DEFAULTS, FallbackSection.DEFAULTS, ModelEvents.NONE);
  }

  /**
   * @param models how versions are found, checked and warmed up
   * @param fallback when the default route falls back to the version it served before
   */
  public ModelRegistry(
      ModelStore store,
      ScoringModelLoader loader,
      ModelsSection models,
      FallbackSection fallback,
      ModelEvents events) {
    this(
        new VersionLoader(store, loader, models, fallback.window()),
        fallback,
        events,
        System::nanoTime);
  }

  /**
   * @param nanoClock the time used for error windows ({@link System#nanoTime} outside tests)
   */
  public ModelRegistry(
      VersionLoader loader, FallbackSection policy, ModelEvents events, LongSupplier nanoClock) {
    this.loader = loader;
    this.store = loader.store();
    this.policy = policy;
    this.events = events;
    this.nanoClock = nanoClock;
  }

  /** The first read of the store; the same as {@link #refresh()}. */
  public StoreStatus loadAll() {
    return refresh();
  }

  /**
   * Reads the store, loads what is new (versions, alias targets), and swaps the result in. A store
   * that cannot be read leaves every model as it is.
   */
  public StoreStatus refresh() {
    synchronized (loadLock) {
      if (closed) {
        return storeStatus();
      }
      String now = Instant.now().toString();
      List<String> names;
      try {
        names = store.models();
      } catch (StoreException e) {
        LOG.warn(
            "cannot read the model store {}: {}; loaded models keep serving",
            store.uri(),
            e.getMessage());
        events.storeRead(false);
        return swap(
                s -> s.with(s.models(), s.store().failed(now, e.getMessage()), s.loaded()),
                List.of())
            .store();
      }
      Snapshot before = current.get();
      Map<String, Prepared> prepared = new TreeMap<>();
      Map<String, Optional<RoutingDoc>> routingSeen = new TreeMap<>();
      Set<String> all = new TreeSet<>(names);
      all.addAll(before.models().keySet());
      boolean swapped = false;
      try {
        for (String name : all) {
          ModelEntry entry = before.models().getOrDefault(name, ModelEntry.empty(name));
          if (!names.contains(name)) {
            prepared.put(
                name,
                new Prepared(
                    entry.withStoreError(
                        "no longer listed in the store; what is loaded" + " keeps serving"),
                    Map.of()));
            continue;
          }
          try {
            List<Integer> versions = store.versions(name);
            Map<String, Integer> aliases = aliases(name);
            RuntimeState runtime = store.runtime(name);
            Integer pin = pinOf(name, runtime, versions);
            Prepared p = prepare(withStoreView(entry, versions, aliases).withPinned(pin));
            prepared.put(
                name,
                new Prepared(p.entry(), p.newlyLoaded(), !Objects.equals(pin, entry.pinned())));
            routingSeen.put(name, Optional.ofNullable(runtime.routing()));
          } catch (StoreException e) {
            LOG.warn("cannot read model {} from the store: {}", name, e.getMessage());
            prepared.put(name, new Prepared(entry.withStoreError(e.getMessage()), Map.of()));
          } catch (RuntimeException | Error e) {
            // One model's trouble never keeps the others from loading.
            LOG.error("cannot refresh model {}", name, e);
            prepared.put(
                name,
                new Prepared(
                    entry.withStoreError(
                        "unexpected "
                            + e.getClass().getSimpleName()
                            + " while reading the store; see the server log"),
                    Map.of()));
          }
        }
        retries
            .keySet()
            .removeIf(
                k ->
                    !names.contains(k.model())
                        || !prepared.get(k.model()).entry().versions().contains(k.version()));
        List<LoadedModel> extra =
            prepared.values().stream().flatMap(p -> p.newlyLoaded().values().stream()).toList();
        Snapshot after =
            swap(
                s -> {
                  SortedMap<String, ModelEntry> models = new TreeMap<>(s.models());
                  // A pin another replica made clears a fallback here too, as a local pin does.
                  prepared.forEach(
                      (name, p) ->
                          models.put(name, merge(s.models().get(name), p, !p.pinChanged())));
                  return s.with(models, s.store().succeeded(now), true);
                },
                extra);
        swapped = true;
        routingSeen.forEach((name, doc) -> routingRead(name, doc.orElse(null)));
        events.storeRead(true);
        return after.store();
      } finally {
        if (!swapped) {
          // Nothing reached a snapshot: release what this read loaded instead of leaking it.
          prepared.values().forEach(p -> p.newlyLoaded().values().forEach(LoadedModel::retire));
        }
      }
    }
  }

  public Optional<ModelEntry> find(String name) {
    return Optional.ofNullable(current.get().models().get(name));
  }

  /** Every model, sorted by name. */
  public List<ModelEntry> all() {
    return new ArrayList<>(current.get().models().values());
  }

  /** True once the store was read and every model in it has a version serving its default route. */
  public boolean ready() {
    Snapshot snapshot = current.get();
    return snapshot.loaded()
        && snapshot.models().values().stream().allMatch(m -> m.serving() != null);
  }

  /** The models with no version serving their default route, with why (for readiness). */
  public SortedMap<String, String> notReady() {
    SortedMap<String, String> missing = new TreeMap<>();
    for (ModelEntry entry : current.get().models().values()) {
      if (entry.serving() == null) {
        String error = entry.error();
        missing.put(entry.name(), error != null ? error : "no version can serve");
      }
    }
    return missing;
  }

  public StoreStatus storeStatus() {
    return current.get().store();
  }

  public String storeUri() {
    return store.uri().toString();
  }

  /**
   * Holds the version a request asks for until the lease is closed.
   *
   * @throws SelectionException when the model, version or alias cannot serve, saying what exists
   */
  public Lease lease(String name, Selector selector) {
    // A failed acquire means a swap released the model just now: the next snapshot has its
    // successor.
    for (int attempt = 0; attempt < 1000; attempt++) {
      ModelEntry entry = current.get().models().get(name);
      if (entry == null) {
        throw new SelectionException(
            SelectionException.Reason.MODEL_NOT_FOUND, "model '" + name + "' not found");
      }
      LoadedModel model = Selection.select(entry, selector);
      if (model.tryAcquire()) {
        return new Lease(model);
      }
    }
    throw new IllegalStateException("no stable snapshot for " + name + " after 1000 attempts");
  }

  /**
   * Serves {@code version} on the default route of every replica until {@link #unpin}, whatever the
   * aliases say; clears a fallback. The version is loaded and checked here first if it is not in
   * memory, then the pin is written to the store ({@code runtime/pin.json}, recorded as made by
   * {@code by}), then applied here.
   *
   * @throws SelectionException when the model or version does not exist or the version is refused
   *     (nothing is written)
   * @throws StoreException when the store refuses the write (nothing changes here)
   */
  public ModelEntry pin(String name, int version, String by, String reason) {
    synchronized (loadLock) {
      ModelEntry entry = require(name);
      if (!entry.versions().contains(version) && !entry.loaded().containsKey(version)) {
        throw new SelectionException(
            SelectionException.Reason.VERSION_NOT_FOUND,
            "model '"
                + name
                + "' has no version "
                + version
                + " (versions: "
                + entry.versions()
                + ")");
      }
      Prepared prepared = prepare(entry.withPinned(version).withFallback(null));
      if (!entry.loaded().containsKey(version) && !prepared.newlyLoaded().containsKey(version)) {
        // The pin is not recorded when the version cannot serve; its refusal or failure is.
        Prepared unpinned =
            new Prepared(
                prepared.entry().withPinned(entry.pinned()).withFallback(entry.fallback()),
                prepared.newlyLoaded());
        swap(
            s -> replace(s, name, merge(s.models().get(name), unpinned, true)),
            unpinned.newlyLoaded().values());
        Refusal refusal = unpinned.entry().refused().get(version);
        throw new SelectionException(
            refusal != null
                ? SelectionException.Reason.REFUSED
                : SelectionException.Reason.UNAVAILABLE,
            "v"
                + version
                + " of '"
                + name
                + "' cannot serve: "
                + (refusal != null ? refusal : unpinned.entry().failed().get(version)));
      }
      try {
        store.as(by).pin(name, version, reason);
      } catch (RuntimeException e) {
        prepared.newlyLoaded().values().forEach(LoadedModel::retire);
        throw e;
      }
      swap(
          s -> replace(s, name, merge(s.models().get(name), prepared, false)),
          prepared.newlyLoaded().values());
      ModelEntry after = require(name);
      LOG.info("pinned {} to v{} (by {})", name, version, by);
      return after;
    }
  }

  /**
   * Returns every replica's default route to the store's choice ({@code production}, else the
   * latest): the store first, then here; clears a fallback.
   *
   * @throws StoreException when the store refuses the write (nothing changes here)
   */
  public ModelEntry unpin(String name, String by, String reason) {
    synchronized (loadLock) {
      require(name);
      store.as(by).unpin(name, reason);
      Prepared prepared = prepare(require(name).withPinned(null).withFallback(null));
      swap(
          s -> replace(s, name, merge(s.models().get(name), prepared, false)),
          prepared.newlyLoaded().values());
      LOG.info("unpinned {} (by {})", name, by);
      return require(name);
    }
  }

  /**
   * Sets (or with a null rule removes, overriding the config file) the canary or shadow rule of
   * every replica: the store first, then the listeners here. The caller has checked the rule.
   *
   * @throws StoreException when the store refuses the write (nothing changes here)
   */
  public RoutingDoc setRouting(String name, RoutingDoc.Rule rule, String by, String reason) {
    synchronized (loadLock) {
      require(name);
      RoutingDoc doc = store.as(by).setRouting(name, rule, reason);
      routingRead(name, doc);
      return doc;
    }
  }

  /**
   * Points an alias of the model at a version in the store, then reads the store as a poll does so
   * that this replica serves the change at once. A version this replica refused is refused before
   * anything is written.
   *
   * @throws SelectionException when this replica refused the version
   * @throws StoreException when the store refuses the change (the version is missing or incomplete,
   *     the write fails); nothing changes here
   */
  public AliasChange setAlias(String name, String alias, int version, String by, String reason) {
    synchronized (loadLock) {
      ModelEntry entry = require(name);
      Refusal refusal = entry.refused().get(version);
      if (refusal != null) {
        throw new SelectionException(
            SelectionException.Reason.REFUSED,
            "v" + version + " of '" + name + "' cannot serve: " + refusal);
      }
      AliasChange change = store.as(by).setAlias(name, alias, version, reason);
      LOG.info("{} {} now points at v{} (by {})", name, alias, version, by);
      refresh();
      return change;
    }
  }

  /**
   * Adds a listener and tells it every routing document known now, so that one added after the
   * first read of the store starts from the fleet's state.
   */
  public void watchRouting(RoutingListener listener) {
    synchronized (loadLock) {
      routingListeners.add(listener);
      routing.forEach(listener::routingChanged);
    }
  }

  /** The store that runtime changes are written to. */
  public ModelStore store() {
    return store;
  }

  /**
   * Records how a request on {@code model} went. When the version serves the default route and its
   * error rate passes the threshold, the route falls back to the version it served before.
   */
  public void recordOutcome(LoadedModel model, boolean failed) {
    ErrorWindow.Rate rate = model.errors().record(failed, nanoClock.getAsLong());
    if (failed
        && rate.requests() >= policy.minRequests()
        && rate.failureRate() > policy.errorRate()) {
      fallBack(model, rate);
    }
  }

  @Override
  public void close() {
    synchronized (loadLock) {
      closed = true;
      swap(s -> s.with(new TreeMap<>(), s.store(), false), List.of());
    }
  }

  private void fallBack(LoadedModel model, ErrorWindow.Rate rate) {
    String reason =
        rate.failures()
            + " of "
            + rate.requests()
            + " requests failed within "
            + policy.window().toSeconds()
            + " s (threshold "
            + policy.errorRate()
            + ")";
    String at = Instant.now().toString();
    Snapshot before = current.get();
    Snapshot after =
        swap(
            s -> {
              ModelEntry e = s.models().get(model.name());
              if (e == null
                  || e.serving() == null
                  || e.serving() != model.version()
                  || e.previous() == null
                  || !e.loaded().containsKey(e.previous())) {
                return s; // already fallen back, or nothing to fall back to
              }
              ModelEntry fallen =
                  new ModelEntry(
                      e.name(),
                      e.versions(),
                      e.aliases(),
                      e.loaded(),
                      e.refused(),
                      e.failed(),
                      e.previous(),
                      null,
                      e.pinned(),
                      new FallbackEvent(e.serving(), e.previous(), at, reason),
                      e.storeError());
              return replace(s, e.name(), Activation.decide(fallen, e.loaded()));
            },
            List.of());
    ModelEntry now = after.models().get(model.name());
    if (after != before
        && now != null
        && now.fallback() != null
        && now.fallback().at().equals(at)) {
      LOG.warn(
          "{}: default route fell back from v{} to v{}: {}",
          model.name(),
          now.fallback().from(),
          now.fallback().to(),
          reason);
      events.fallback(model.name(), now.fallback().from(), now.fallback().to(), reason);
    }
  }

  /**
   * Loads what the entry wants and is not in memory; records refusals and failures in the entry.
   */
  private Prepared prepare(ModelEntry entry) {
    Map<Integer, LoadedModel> newly = new HashMap<>();
    try {
      return prepare(entry, newly);
    } catch (RuntimeException | Error e) {
      newly.values().forEach(LoadedModel::retire);
      throw e;
    }
  }

  private Prepared prepare(ModelEntry entry, Map<Integer, LoadedModel> newly) {
    SortedMap<Integer, Refusal> refused = new TreeMap<>(entry.refused());
    SortedMap<Integer, String> failed = new TreeMap<>();
    for (Integer version : Activation.wanted(entry)) {
      load(entry, version, newly, refused, failed);
    }
    Integer target = entry.target();
    boolean targetReady =
        target != null && (entry.loaded().containsKey(target) || newly.containsKey(target));
    if (entry.serving() == null && target != null && !targetReady) {
      // Nothing serves and the target will not: try a few older versions, newest first.
      int tried = 0;
      for (int i = entry.versions().size() - 1;
          i >= 0 && tried < Activation.OLDER_CANDIDATES;
          i--) {
        int version = entry.versions().get(i);
        if (version < target && !refused.containsKey(version)) {
          tried++;
          if (load(entry, version, newly, refused, failed)) {
            break;
          }
        }
      }
    }
    ModelEntry updated =
        new ModelEntry(
            entry.name(),
            entry.versions(),
            entry.aliases(),
            entry.loaded(),
            refused,
            failed,
            entry.serving(),
            entry.previous(),
            entry.pinned(),
            entry.fallback(),
            entry.storeError());
    return new Prepared(updated, newly);
  }

  /**
   * @return true when the version is (now) in memory
   */
  private boolean load(
      ModelEntry entry,
      int version,
      Map<Integer, LoadedModel> newly,
      Map<Integer, Refusal> refused,
      Map<Integer, String> failed) {
    if (entry.loaded().containsKey(version) || newly.containsKey(version)) {
      return true;
    }
    if (refused.containsKey(version) || !entry.versions().contains(version)) {
      return false;
    }
    VersionKey key = new VersionKey(entry.name(), version);
    Retry retry = retries.get(key);
    long now = nanoClock.getAsLong();
    if (retry != null && now - retry.notBefore() < 0) {
      failed.put(
          version,
          retry.reason()
              + " (attempt "
              + retry.attempts()
              + "; next in "
              + Math.max(1, (retry.notBefore() - now) / 1_000_000_000L)
              + " s)");
      return false;
    }
    VersionLoader.Outcome outcome = loader.load(entry.name(), version, events);
    if (outcome instanceof VersionLoader.Outcome.Loaded loaded) {
      retries.remove(key);
      newly.put(version, loaded.model());
      events.loaded(loaded.model(), loaded.took());
      return true;
    }
    if (outcome instanceof VersionLoader.Outcome.Refused r) {
      retries.remove(key);
      refused.put(version, r.refusal());
      events.refused(entry.name(), version, r.refusal());
    } else if (outcome instanceof VersionLoader.Outcome.Failed f) {
      int attempts = retry == null ? 1 : retry.attempts() + 1;
      long wait = Math.min(RETRY_MAX_NANOS, RETRY_BASE_NANOS << Math.min(attempts - 1, 20));
      retries.put(key, new Retry(attempts, now + wait, f.reason()));
      failed.put(
          version,
          f.reason() + " (attempt " + attempts + "; next in " + wait / 1_000_000_000L + " s)");
      events.loadFailed(entry.name(), version, f.reason());
    }
    return false;
  }

  /**
   * Merges what the loading phase prepared from an older snapshot into the current entry. Only a
   * fallback can have changed the entry meanwhile (everything else holds the load lock); a refresh
   * keeps it, a pin or unpin clears it.
   */
  private static ModelEntry merge(ModelEntry current, Prepared prepared, boolean keepFallback) {
    ModelEntry base = prepared.entry();
    Map<Integer, LoadedModel> pool = new HashMap<>(prepared.newlyLoaded());
    Integer serving = base.serving();
    Integer previous = base.previous();
    FallbackEvent fallback = base.fallback();
    if (current != null) {
      pool.putAll(current.loaded());
      serving = current.serving();
      previous = current.previous();
      fallback = keepFallback ? current.fallback() : base.fallback();
    }
    ModelEntry merged =
        new ModelEntry(
            base.name(),
            base.versions(),
            base.aliases(),
            base.loaded(),
            base.refused(),
            base.failed(),
            serving,
            previous,
            base.pinned(),
            fallback,
            base.storeError());
    return Activation.decide(merged, pool);
  }

  private static ModelEntry withStoreView(
      ModelEntry entry, List<Integer> versions, Map<String, Integer> aliases) {
    // Refusals of versions the store no longer has are forgotten; the rest are permanent.
    SortedMap<Integer, Refusal> refused = new TreeMap<>(entry.refused());
    refused.keySet().retainAll(versions);
    return new ModelEntry(
        entry.name(),
        versions,
        new TreeMap<>(aliases),
        entry.loaded(),
        refused,
        entry.failed(),
        entry.serving(),
        entry.previous(),
        entry.pinned(),
        entry.fallback(),
        null);
  }

  /** Tells the listeners when a model's routing document differs from the one known. */
  private void routingRead(String name, RoutingDoc doc) {
    RoutingDoc before = doc == null ? routing.remove(name) : routing.put(name, doc);
    if (!Objects.equals(before, doc)) {
      routingListeners.forEach(l -> l.routingChanged(name, doc));
    }
  }

  /**
   * The store's pin, or null. A pin to a version the store no longer lists (deleted since) is
   * ignored, with a warning, rather than leaving the default route aimed at nothing.
   */
  private static Integer pinOf(String name, RuntimeState runtime, List<Integer> versions) {
    Integer pin = runtime.pinnedVersion();
    if (pin != null && !versions.contains(pin)) {
      LOG.warn(
          "{} is pinned to v{} in the store, which no longer lists it; the pin is ignored",
          name,
          pin);
      return null;
    }
    return pin;
  }

  private Map<String, Integer> aliases(String name) {
    return store.aliases(name).stream()
        .collect(Collectors.toMap(Alias::name, Alias::version, (a, b) -> a));
  }

  private ModelEntry require(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new SelectionException(
                    SelectionException.Reason.MODEL_NOT_FOUND, "model '" + name + "' not found"));
  }

  private static Snapshot replace(Snapshot s, String name, ModelEntry entry) {
    SortedMap<String, ModelEntry> models = new TreeMap<>(s.models());
    models.put(name, entry);
    return s.with(models, s.store(), s.loaded());
  }

  /**
   * Applies a change with compare-and-set, then retires every loaded version that the new snapshot
   * no longer holds (including {@code extra} ones loaded for it but not kept).
   */
  private Snapshot swap(UnaryOperator<Snapshot> change, Collection<LoadedModel> extra) {
    while (true) {
      Snapshot old = current.get();
      Snapshot next = change.apply(old);
      if (next == old || current.compareAndSet(old, next)) {
        Set<LoadedModel> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        next.models().values().forEach(e -> kept.addAll(e.loaded().values()));
        List<LoadedModel> candidates = new ArrayList<>(extra);
        old.models().values().forEach(e -> candidates.addAll(e.loaded().values()));
        for (LoadedModel model : candidates) {
          if (!kept.contains(model)) {
            model.retire();
          }
        }
        announce(old, next);
        return next;
      }
    }
  }

  private void announce(Snapshot old, Snapshot next) {
    for (ModelEntry entry : next.models().values()) {
      ModelEntry before = old.models().get(entry.name());
      Integer was = before == null ? null : before.serving();
      if (entry.serving() != null && !entry.serving().equals(was)) {
        LOG.info(
            "{}: default route now serves v{}{}",
            entry.name(),
            entry.serving(),
            was == null ? "" : " (was v" + was + ")");
        events.activated(entry.name(), entry.serving(), was);
      }
    }
  }
}
