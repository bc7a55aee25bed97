package io.mlplatform.serving.model;

import io.mlplatform.store.Manifest;
import java.util.List;
import java.util.Optional;

/**
 * One model of the store as the registry saw it at its last load.
 *
 * @param name the model's name in the store
 * @param versions the versions visible in the store at load time, ascending
 * @param version the version the registry tried to load (the latest)
 * @param manifest that version's manifest, or null when even the manifest could not be read
 * @param loaded the loaded model, or null when loading failed
 * @param error why loading failed, or null when it succeeded
 */
public record ModelEntry(
    String name, List<Integer> versions, int version, Manifest manifest, LoadedModel loaded, String error) {

  public ModelEntry {
    versions = List.copyOf(versions);
  }

  static ModelEntry loaded(String name, List<Integer> versions, LoadedModel model) {
    return new ModelEntry(name, versions, model.manifest().version(), model.manifest(), model, null);
  }

  static ModelEntry failed(String name, List<Integer> versions, int version, Manifest manifest, String error) {
    return new ModelEntry(name, versions, version, manifest, null, error);
  }

  public ModelState state() {
    return loaded != null ? ModelState.LOADED : ModelState.FAILED;
  }

  public Optional<LoadedModel> loadedModel() {
    return Optional.ofNullable(loaded);
  }
}
