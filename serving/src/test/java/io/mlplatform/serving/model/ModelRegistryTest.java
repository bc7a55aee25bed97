package io.mlplatform.serving.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlplatform.serving.Fixtures;
import io.mlplatform.store.FieldType;
import io.mlplatform.store.InputField;
import io.mlplatform.store.Manifest;
import io.mlplatform.store.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry against a real store, with a hand-written loader standing in for MLeap. */
class ModelRegistryTest {

  @TempDir Path dir;

  private final List<String> loadedBundles = new ArrayList<>();

  /** Records what it was asked to load; fails for models named "broken". */
  private final ScoringModelLoader fakeLoader = (manifest, zip) -> {
    assertThat(zip).exists();
    assertThat(zip.toString()).endsWith(".zip");
    loadedBundles.add(manifest.model() + " v" + manifest.version());
    if (manifest.model().equals("broken")) {
      throw new ModelLoadException("bundle does not fit its manifest: test");
    }
    return new ScoringModel() {
      @Override
      public List<Score> score(List<Object[]> rows) {
        return rows.stream().map(r -> new Score(0.0, null)).toList();
      }

      @Override
      public void close() {}
    };
  };

  @Test
  void notReadyBeforeTheFirstLoad() {
    ModelRegistry registry = new ModelRegistry(ModelStore.open(dir.toString()), fakeLoader);

    assertThat(registry.ready()).isFalse();
    assertThat(registry.all()).isEmpty();
  }

  @Test
  void emptyStoreIsReadyOnceLoaded() {
    ModelRegistry registry = new ModelRegistry(ModelStore.open(dir.toString()), fakeLoader);

    registry.loadAll();

    assertThat(registry.ready()).isTrue();
  }

  @Test
  void loadsTheLatestVersionOfEveryModel() {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    Path zip = Fixtures.zipBundle("penguins-logistic", dir.resolve("b.zip"));
    Fixtures.publish(store, Fixtures.classifierManifest(), zip);
    Fixtures.publish(store, Fixtures.classifierManifest(), zip);
    Fixtures.publish(store, Fixtures.regressorManifest(), zip);
    ModelRegistry registry = new ModelRegistry(store, fakeLoader);

    registry.loadAll();

    assertThat(loadedBundles).containsExactly("mass v1", "penguins v2");
    assertThat(registry.ready()).isTrue();
    ModelEntry penguins = registry.find("penguins").orElseThrow();
    assertThat(penguins.state()).isEqualTo(ModelState.LOADED);
    assertThat(penguins.versions()).containsExactly(1, 2);
    assertThat(penguins.version()).isEqualTo(2);
    assertThat(penguins.loadedModel().orElseThrow().manifest().version()).isEqualTo(2);
    assertThat(registry.all()).extracting(ModelEntry::name).containsExactly("mass", "penguins");
    assertThat(registry.find("nope")).isEmpty();
  }

  @Test
  void recordsAFailedModelWithItsErrorAndKeepsTheOthers() {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    Path zip = Fixtures.zipBundle("penguins-logistic", dir.resolve("b.zip"));
    Fixtures.publish(store, Fixtures.classifierManifest(), zip);
    Manifest broken = Fixtures.manifest("broken", Fixtures.classifierManifest().task(),
        Fixtures.classifierManifest().inputs(), Fixtures.classifierManifest().outputs());
    Fixtures.publish(store, broken, zip);
    ModelRegistry registry = new ModelRegistry(store, fakeLoader);

    registry.loadAll();

    assertThat(registry.ready()).isFalse();
    ModelEntry failed = registry.find("broken").orElseThrow();
    assertThat(failed.state()).isEqualTo(ModelState.FAILED);
    assertThat(failed.error()).contains("does not fit its manifest");
    assertThat(failed.manifest()).isNotNull();
    assertThat(registry.find("penguins").orElseThrow().state()).isEqualTo(ModelState.LOADED);
  }

  @Test
  void aManifestThatContradictsItselfFailsAtLoadTime() {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    Manifest badFill = Fixtures.manifest("penguins", Fixtures.classifierManifest().task(),
        List.of(new InputField("Beak Length (mm)", FieldType.DOUBLE, true, "not a number")),
        Fixtures.classifierManifest().outputs());
    Fixtures.publish(store, badFill, Fixtures.zipBundle("penguins-logistic", dir.resolve("b.zip")));
    ModelRegistry registry = new ModelRegistry(store, fakeLoader);

    registry.loadAll();

    ModelEntry entry = registry.find("penguins").orElseThrow();
    assertThat(entry.state()).isEqualTo(ModelState.FAILED);
    assertThat(entry.error()).contains("fill value");
    assertThat(loadedBundles).isEmpty();
  }

  @Test
  void deletesTheTemporaryBundleCopy() throws Exception {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    Fixtures.publish(store, Fixtures.classifierManifest(), Fixtures.zipBundle("penguins-logistic", dir.resolve("b.zip")));
    List<Path> seen = new ArrayList<>();
    ModelRegistry registry = new ModelRegistry(store, (manifest, zip) -> {
      seen.add(zip);
      return fakeLoader.load(manifest, zip);
    });

    registry.loadAll();

    assertThat(seen).hasSize(1);
    assertThat(Files.exists(seen.get(0))).isFalse();
  }
}
