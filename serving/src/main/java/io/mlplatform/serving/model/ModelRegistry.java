package io.mlplatform.serving.model;

import io.mlplatform.serving.validation.InputSchema;
import io.mlplatform.store.Manifest;
import io.mlplatform.store.ModelStore;
import io.mlplatform.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models being served. Requests read an immutable snapshot that a load replaces in one atomic
 * swap, so a request never sees a half-updated set; hot reload and aliases will build a new
 * snapshot the same way. A model that fails to load is kept as FAILED with its error.
 */
public final class ModelRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

  /** The models at one point in time, by name (sorted); {@code loaded} is false before the first load. */
  private record Snapshot(boolean loaded, Map<String, ModelEntry> models) {}

  private final ModelStore store;
  private final ScoringModelLoader loader;
  private final AtomicReference<Snapshot> current = new AtomicReference<>(new Snapshot(false, Map.of()));

  public ModelRegistry(ModelStore store, ScoringModelLoader loader) {
    this.store = store;
    this.loader = loader;
  }

  /**
   * Loads the latest version of every model in the store and makes them current.
   *
   * @throws StoreException when the store itself cannot be listed
   */
  public void loadAll() {
    TreeMap<String, ModelEntry> models = new TreeMap<>();
    for (String name : store.models()) {
      models.put(name, loadLatest(name));
    }
    // Replaced models are not closed here: once hot reload exists, in-flight requests may still
    // hold them, so retiring them needs reference counting or a grace period.
    current.set(new Snapshot(true, Collections.unmodifiableSortedMap(models)));
  }

  public Optional<ModelEntry> find(String name) {
    return Optional.ofNullable(current.get().models().get(name));
  }

  /** Every model, sorted by name. */
  public List<ModelEntry> all() {
    return new ArrayList<>(current.get().models().values());
  }

  /** True once loaded and every model found in the store loaded successfully. */
  public boolean ready() {
    Snapshot snapshot = current.get();
    return snapshot.loaded() && snapshot.models().values().stream().allMatch(m -> m.state() == ModelState.LOADED);
  }

  public String storeUri() {
    return store.uri().toString();
  }

  @Override
  public void close() {
    Snapshot last = current.getAndSet(new Snapshot(false, Map.of()));
    last.models().values().forEach(m -> m.loadedModel().ifPresent(loaded -> loaded.scorer().close()));
  }

  private ModelEntry loadLatest(String name) {
    List<Integer> versions = List.of();
    int version = 0;
    Manifest manifest = null;
    Path bundle = null;
    try {
      versions = store.versions(name);
      version = versions.get(versions.size() - 1);
      manifest = store.manifest(name, version);
      if (!name.equals(manifest.model()) || manifest.version() != version) {
        throw new ModelLoadException("manifest names " + manifest.model() + " v" + manifest.version());
      }
      InputSchema inputs = InputSchema.of(manifest);
      bundle = Files.createTempFile("mlp-" + name + "-v" + version + "-", ".zip");
      store.copyBundleTo(name, version, bundle);
      long start = System.nanoTime();
      ScoringModel scorer = loader.load(manifest, bundle);
      LOG.info("loaded model {} v{} in {} ms", name, version, (System.nanoTime() - start) / 1_000_000);
      return ModelEntry.loaded(name, versions, new LoadedModel(manifest, inputs, scorer));
    } catch (StoreException | ModelLoadException | IllegalArgumentException e) {
      LOG.error("cannot load model {} v{}: {}", name, version, e.getMessage(), e);
      return ModelEntry.failed(name, versions, version, manifest, e.getMessage());
    } catch (Exception | LinkageError e) {
      // Unknown failures keep their details in the log only; the entry says where to look.
      LOG.error("cannot load model {} v{}", name, version, e);
      return ModelEntry.failed(name, versions, version, manifest,
          "unexpected " + e.getClass().getSimpleName() + " while loading; see the server log");
    } finally {
      deleteQuietly(bundle);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.warn("cannot delete temporary bundle {}: {}", file, e.getMessage());
      }
    }
  }
}
