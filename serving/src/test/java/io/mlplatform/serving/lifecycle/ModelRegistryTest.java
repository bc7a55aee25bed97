package io.mlplatform.serving.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlplatform.serving.Fixtures;
import io.mlplatform.serving.FlakyFileSystem;
import io.mlplatform.serving.config.FallbackSection;
import io.mlplatform.serving.config.ModelsSection;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.scoring.Score;
import io.mlplatform.serving.scoring.ScoringModel;
import io.mlplatform.serving.scoring.ScoringModelLoader;
import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's lifecycle rules against a real store, with {@link FakeLoader} standing in for
 * MLeap.
 */
class ModelRegistryTest {

  @TempDir Path dir;
  private final FakeLoader loader = new FakeLoader();
  private final AtomicLong clock = new AtomicLong();
  private ModelStore store;
  private ModelRegistry registry;
  private Path zip;

  @BeforeEach
  void setUp() {
    store = ModelStore.open(dir.resolve("store").toString());
    zip = Fixtures.zipBundle("penguins-logistic", dir.resolve("b.zip"));
    registry = registry(store);
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  @Test
  void notReadyBeforeTheFirstReadAndReadyWhenTheStoreIsEmpty() {
    assertThat(registry.ready()).isFalse();
    assertThat(registry.storeStatus().reachable()).isFalse();

    registry.refresh();

    assertThat(registry.ready()).isTrue();
    assertThat(registry.all()).isEmpty();
    assertThat(registry.storeStatus().reachable()).isTrue();
  }

  @Test
  void servesTheLatestVersionOfEveryModelAndLoadsNothingElse() {
    publish("penguins");
    publish("penguins");
    publish("mass");

    registry.refresh();

    assertThat(loader.loads).containsExactly("mass v1", "penguins v2");
    assertThat(registry.ready()).isTrue();
    ModelEntry penguins = registry.find("penguins").orElseThrow();
    assertThat(penguins.state()).isEqualTo(ModelState.LOADED);
    assertThat(penguins.versions()).containsExactly(1, 2);
    assertThat(penguins.serving()).isEqualTo(2);
    assertThat(penguins.stateOf(1)).isEqualTo(VersionState.AVAILABLE);
    assertThat(leasedVersion("penguins", Selector.DEFAULT)).isEqualTo(2);
    assertThatThrownBy(() -> registry.lease("penguins", new Selector.Version(1)))
        .isInstanceOfSatisfying(
            SelectionException.class,
            e -> assertThat(e.reason()).isEqualTo(SelectionException.Reason.VERSION_NOT_FOUND))
        .hasMessageContaining("v1 is not loaded");
    assertThatThrownBy(() -> registry.lease("penguins", new Selector.Version(7)))
        .hasMessageContaining("has no version 7 (versions: [1, 2])");
    assertThat(registry.all()).extracting(ModelEntry::name).containsExactly("mass", "penguins");
  }

  @Test
  void theProductionAliasDecidesTheDefaultRouteAndEveryAliasIsServed() {
    publish("penguins");
    publish("penguins");
    publish("penguins");
    store.setAlias("penguins", Layout.PRODUCTION, 1, "test");
    store.setAlias("penguins", Layout.STAGING_ALIAS, 2, "test");

    registry.refresh();

    ModelEntry entry = registry.find("penguins").orElseThrow();
    assertThat(entry.serving()).isEqualTo(1);
    assertThat(entry.loaded().keySet()).containsExactly(1, 2);
    assertThat(entry.stateOf(3)).isEqualTo(VersionState.AVAILABLE);
    assertThat(leasedVersion("penguins", Selector.DEFAULT)).isEqualTo(1);
    assertThat(leasedVersion("penguins", new Selector.Alias("staging"))).isEqualTo(2);
    assertThat(leasedVersion("penguins", new Selector.Version(2))).isEqualTo(2);
    assertThatThrownBy(() -> registry.lease("penguins", new Selector.Alias("canary")))
        .hasMessage("model 'penguins' has no alias 'canary' (aliases: production, staging)");

    store.setAlias("penguins", Layout.PRODUCTION, 3, "promote");
    registry.refresh();

    entry = registry.find("penguins").orElseThrow();
    assertThat(entry.serving()).isEqualTo(3);
    assertThat(entry.previous()).isEqualTo(1);
    assertThat(entry.loaded().keySet()).containsExactly(1, 2, 3);
  }

  @Test
  void aSwapReleasesADroppedVersionOnlyAfterItsLastRequest() {
    publish("penguins");
    registry.refresh();
    Lease inFlight = registry.lease("penguins", Selector.DEFAULT);
    LoadedModel v1 = inFlight.model();

    publish("penguins");
    registry.refresh(); // v2 serves, v1 is kept as the fallback
    publish("penguins");
    registry.refresh(); // v3 serves, v2 is the fallback, v1 is dropped

    assertThat(registry.find("penguins").orElseThrow().loaded().keySet()).containsExactly(2, 3);
    assertThat(leasedVersion("penguins", Selector.DEFAULT)).isEqualTo(3);
    assertThat(loader.closed).isEmpty();
    assertThat(v1.released()).isFalse();
    assertThat(inFlight.model().scorer().score(List.<Object[]>of(new Object[] {"Dream", 1.0})))
        .hasSize(1);

    inFlight.close();

    assertThat(loader.closed).containsExactly("penguins v1");
    assertThat(v1.released()).isTrue();
  }

  @Test
  void aRefusedVersionLeavesThePreviousOneServingAndIsNeverRetried() {
    publish("penguins");
    registry.refresh();
    publish("penguins");
    loader.refuse.add("penguins v2");

    registry.refresh();
    registry.refresh();

    ModelEntry entry = registry.find("penguins").orElseThrow();
    assertThat(entry.serving()).isEqualTo(1);
    assertThat(entry.stateOf(2)).isEqualTo(VersionState.REFUSED);
    assertThat(entry.refused().get(2).kind()).isEqualTo(Refusal.Kind.BUNDLE);
    assertThat(entry.error())
        .isEqualTo("v2 refused: bundle: bundle does not fit its manifest: test");
    assertThat(loader.loads).containsExactly("penguins v1", "penguins v2");
    assertThat(registry.ready()).isTrue();
  }

  @Test
  void withNothingServingYetAnOlderVersionServesWhenTheTargetIsRefused() {
    publish("penguins");
    publish("penguins");
    publish("broken");
    loader.refuse.add("penguins v2");
    loader.refuse.add("broken v1");

    registry.refresh();

    assertThat(registry.find("penguins").orElseThrow().serving()).isEqualTo(1);
    ModelEntry broken = registry.find("broken").orElseThrow();
    assertThat(broken.state()).isEqualTo(ModelState.FAILED);
    assertThat(broken.serving()).isNull();
    assertThat(registry.ready()).isFalse();
    assertThatThrownBy(() -> registry.lease("broken", Selector.DEFAULT))
        .isInstanceOfSatisfying(
            SelectionException.class,
            e -> assertThat(e.reason()).isEqualTo(SelectionException.Reason.UNAVAILABLE))
        .hasMessageContaining("v1 refused");
  }

  @Test
  void aManifestThatContradictsItselfIsRefusedBeforeTheBundleIsRead() {
    Manifest badFill =
        Fixtures.manifest(
            "penguins",
            Fixtures.classifierManifest().task(),
            List.of(new InputField("Beak Length (mm)", FieldType.DOUBLE, true, "not a number")),
            Fixtures.classifierManifest().outputs());
    Fixtures.publish(store, badFill, zip);

    registry.refresh();

    ModelEntry entry = registry.find("penguins").orElseThrow();
    assertThat(entry.refused().get(1).kind()).isEqualTo(Refusal.Kind.MANIFEST);
    assertThat(entry.error()).contains("fill value");
    assertThat(loader.loads).isEmpty();
  }

  @Test
  void anUnreachableStoreChangesNothingThatIsLoaded() throws Exception {
    Path root = dir.resolve("flaky");
    ModelStore writer = ModelStore.open(root.toString());
    Fixtures.publish(writer, manifest("penguins"), zip);
    ModelRegistry flaky =
        registry(ModelStore.open(FlakyFileSystem.uri(root), FlakyFileSystem.configuration()));
    try {
      flaky.refresh();
      assertThat(flaky.ready()).isTrue();

      FlakyFileSystem.down(root, true);
      StoreStatus status = flaky.refresh();

      assertThat(status.reachable()).isFalse();
      assertThat(status.lastError()).contains("simulated outage");
      assertThat(status.lastSuccess()).isNotNull();
      assertThat(flaky.ready()).isTrue();
      try (Lease lease = flaky.lease("penguins", Selector.DEFAULT)) {
        assertThat(lease.model().version()).isEqualTo(1);
      }

      FlakyFileSystem.down(root, false);
      Fixtures.publish(writer, manifest("penguins"), zip);
      assertThat(flaky.refresh().reachable()).isTrue();
      assertThat(flaky.find("penguins").orElseThrow().serving()).isEqualTo(2);
    } finally {
      FlakyFileSystem.down(root, false);
      flaky.close();
    }
  }

  @Test
  void aStoreUnreachableAtStartMeansNotReadyUntilItCanBeRead() {
    Path root = dir.resolve("flaky");
    Fixtures.publish(ModelStore.open(root.toString()), manifest("penguins"), zip);
    ModelRegistry flaky =
        registry(ModelStore.open(FlakyFileSystem.uri(root), FlakyFileSystem.configuration()));
    try {
      FlakyFileSystem.down(root, true);
      flaky.refresh();
      assertThat(flaky.ready()).isFalse();

      FlakyFileSystem.down(root, false);
      flaky.refresh();
      assertThat(flaky.ready()).isTrue();
    } finally {
      FlakyFileSystem.down(root, false);
      flaky.close();
    }
  }

  @Test
  void fallsBackAfterTooManyErrorsAndResumesWhenTheStoreMovesOn() {
    publish("penguins");
    registry.refresh();
    publish("penguins");
    registry.refresh();
    LoadedModel v2 = registry.find("penguins").orElseThrow().loadedModel().orElseThrow();

    // Policy: more than half of at least 4 requests within 60 s.
    registry.recordOutcome(v2, false);
    registry.recordOutcome(v2, true);
    registry.recordOutcome(v2, true);
    assertThat(registry.find("penguins").orElseThrow().serving())
        .isEqualTo(2); // 3 requests: too few to judge
    registry.recordOutcome(v2, true);

    ModelEntry fallen = registry.find("penguins").orElseThrow();
    assertThat(fallen.serving()).isEqualTo(1);
    assertThat(fallen.fallback().from()).isEqualTo(2);
    assertThat(fallen.fallback().to()).isEqualTo(1);
    assertThat(fallen.fallback().reason())
        .isEqualTo("3 of 4 requests failed within 60 s (threshold 0.5)");
    assertThat(fallen.stateOf(2)).isEqualTo(VersionState.DEGRADED);
    assertThat(fallen.error()).startsWith("v2 fell back to v1");
    assertThat(leasedVersion("penguins", Selector.DEFAULT)).isEqualTo(1);
    assertThat(leasedVersion("penguins", new Selector.Version(2)))
        .isEqualTo(2); // still there when asked for

    registry.refresh(); // the store still says v2: the fallback holds
    assertThat(registry.find("penguins").orElseThrow().serving()).isEqualTo(1);

    publish("penguins");
    registry.refresh(); // v3 is the new target: the fallback ends

    ModelEntry recovered = registry.find("penguins").orElseThrow();
    assertThat(recovered.serving()).isEqualTo(3);
    assertThat(recovered.fallback()).isNull();
    assertThat(recovered.previous()).isEqualTo(1);
  }

  @Test
  void oldErrorsLeaveTheWindow() {
    publish("penguins");
    registry.refresh();
    publish("penguins");
    registry.refresh();
    LoadedModel v2 = registry.find("penguins").orElseThrow().loadedModel().orElseThrow();

    for (int i = 0; i < 3; i++) {
      registry.recordOutcome(v2, true);
    }
    clock.addAndGet(Duration.ofSeconds(61).toNanos());
    registry.recordOutcome(v2, true);
    registry.recordOutcome(v2, false);

    assertThat(registry.find("penguins").orElseThrow().fallback()).isNull();
  }

  @Test
  void pinsAndUnpinsTheDefaultRoute() {
    publish("penguins");
    publish("penguins");
    publish("penguins");
    loader.refuse.add("penguins v2");
    registry.refresh();

    ModelEntry pinned = registry.pin("penguins", 1, "test", null);

    assertThat(pinned.pinned()).isEqualTo(1);
    assertThat(pinned.serving()).isEqualTo(1);
    assertThat(leasedVersion("penguins", Selector.DEFAULT)).isEqualTo(1);
    assertThatThrownBy(() -> registry.pin("penguins", 2, "test", null))
        .isInstanceOfSatisfying(
            SelectionException.class,
            e -> assertThat(e.reason()).isEqualTo(SelectionException.Reason.REFUSED));
    assertThatThrownBy(() -> registry.pin("penguins", 9, "test", null))
        .isInstanceOfSatisfying(
            SelectionException.class,
            e -> assertThat(e.reason()).isEqualTo(SelectionException.Reason.VERSION_NOT_FOUND));
    assertThat(registry.find("penguins").orElseThrow().pinned()).isEqualTo(1);

    registry.refresh(); // a poll keeps the pin
    assertThat(registry.find("penguins").orElseThrow().serving()).isEqualTo(1);

    ModelEntry unpinned = registry.unpin("penguins", "test", null);
    assertThat(unpinned.pinned()).isNull();
    assertThat(unpinned.serving()).isEqualTo(3);
  }

  @Test
  void aPollAppliesTheStoresPinAndIgnoresOneOnADeletedVersion() {
    publish("penguins");
    publish("penguins");
    publish("penguins");
    registry.refresh();
    java.util.List<String> routed = new java.util.ArrayList<>();
    registry.watchRouting(
        (model, doc) -> routed.add(model + " " + (doc == null ? null : doc.by())));

    store.as("another-replica").pin("penguins", 2, "made elsewhere");
    store
        .as("another-replica")
        .setRouting(
            "penguins",
            new io.mlplatform.store.format.RoutingDoc.Rule("shadow", "1", 1, 0.01),
            null);
    registry.refresh();

    assertThat(registry.find("penguins").orElseThrow().pinned()).isEqualTo(2);
    assertThat(leasedVersion("penguins", Selector.DEFAULT)).isEqualTo(2);
    assertThat(routed).containsExactly("penguins another-replica");

    store.as("another-replica").unpin("penguins", null);
    store.pin("penguins", 1, "pinned, then deleted behind the API's back");
    registry.refresh();
    assertThat(leasedVersion("penguins", Selector.DEFAULT)).isEqualTo(1);
    store.unpin("penguins", null);
    store.deleteVersion("penguins", 1, "gone");
    writePin("{\"version\": 1}");
    registry.refresh();

    assertThat(registry.find("penguins").orElseThrow().pinned()).isNull();
    assertThat(leasedVersion("penguins", Selector.DEFAULT)).isEqualTo(3);
    assertThat(routed).as("an unchanged routing document is not announced again").hasSize(1);
  }

  private void writePin(String json) {
    try {
      java.nio.file.Files.writeString(dir.resolve("store/penguins/runtime/pin.json"), json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void loadsFromAPrivateTemporaryCopyThatIsDeletedAfterwards() {
    publish("penguins");

    registry.refresh();

    assertThat(loader.bundles).hasSize(1);
    assertThat(Files.exists(loader.bundles.get(0))).isFalse();
    assertThat(Files.exists(loader.bundles.get(0).getParent())).isFalse();
  }

  @Test
  void anErrorWhileLoadingOneVersionIsContainedClosedBackedOffAndReported() {
    publish("mass");
    Fixtures.publish(store, manifest("penguins"), zip, Fixtures.classifierReferenceRows());
    publish("zebra");
    // penguins loads, then dies in its warm-up; zebra's bundle is "too big" to load at all.
    ScoringModelLoader erring =
        (manifest, bundle) -> {
          ScoringModel model = loader.load(manifest, bundle);
          if (manifest.model().equals("zebra")) {
            model.close();
            throw new OutOfMemoryError("test: Java heap space");
          }
          if (manifest.model().equals("penguins")) {
            return new ScoringModel() {
              @Override
              public List<Score> score(List<Object[]> rows) {
                throw new StackOverflowError("test");
              }

              @Override
              public void close() {
                model.close();
              }
            };
          }
          return model;
        };
    registry.close();
    registry = registry(store, erring, 1);

    registry.refresh();

    assertThat(registry.find("mass").orElseThrow().serving()).isEqualTo(1);
    ModelEntry penguins = registry.find("penguins").orElseThrow();
    assertThat(penguins.serving()).isNull();
    assertThat(penguins.stateOf(1)).isEqualTo(VersionState.FAILED);
    assertThat(penguins.error()).contains("StackOverflowError").contains("retrying");
    assertThat(loader.closed).contains("penguins v1", "zebra v1");
    assertThat(registry.find("zebra").orElseThrow().error()).contains("OutOfMemoryError");
    assertThat(registry.ready()).isFalse();
    assertThat(registry.notReady()).containsOnlyKeys("penguins", "zebra");

    int loads = loader.loads.size();
    registry.refresh(); // within the back-off: not tried again
    assertThat(loader.loads).hasSize(loads);
    clock.addAndGet(Duration.ofMinutes(11).toNanos());
    registry.refresh();
    assertThat(loader.loads).hasSize(loads + 2);
  }

  @Test
  void anIoErrorIsRetriedWithBackOffAndAContentErrorIsARefusal() {
    publish("penguins");
    publish("mass");
    java.util.concurrent.atomic.AtomicInteger ioFailures =
        new java.util.concurrent.atomic.AtomicInteger(2);
    ScoringModelLoader flaky =
        (manifest, bundle) -> {
          if (manifest.model().equals("penguins") && ioFailures.getAndDecrement() > 0) {
            throw new StoreException(StoreException.Kind.IO, "connection reset by peer (test)");
          }
          if (manifest.model().equals("mass")) {
            throw new StoreException(StoreException.Kind.CORRUPT, "checksum mismatch (test)");
          }
          return loader.load(manifest, bundle);
        };
    registry.close();
    registry = registry(store, flaky, 0);

    registry.refresh();

    ModelEntry penguins = registry.find("penguins").orElseThrow();
    assertThat(penguins.stateOf(1)).isEqualTo(VersionState.FAILED);
    assertThat(penguins.error())
        .contains("unavailable: I/O error, retrying")
        .contains("connection reset");
    assertThat(registry.find("mass").orElseThrow().stateOf(1)).isEqualTo(VersionState.REFUSED);

    registry.refresh(); // within the back-off: not tried, still shown as unavailable
    assertThat(ioFailures.get()).isEqualTo(1);
    assertThat(registry.find("penguins").orElseThrow().error())
        .contains("unavailable: I/O error, retrying");

    clock.addAndGet(Duration.ofSeconds(6).toNanos());
    registry.refresh(); // second failure: the back-off doubles
    assertThat(ioFailures.get()).isEqualTo(0);
    clock.addAndGet(Duration.ofSeconds(6).toNanos());
    registry.refresh();
    assertThat(registry.find("penguins").orElseThrow().serving()).isNull();
    clock.addAndGet(Duration.ofSeconds(6).toNanos());
    registry.refresh();
    assertThat(registry.find("penguins").orElseThrow().serving()).isEqualTo(1);
    assertThat(registry.find("penguins").orElseThrow().failed()).isEmpty();
  }

  private ModelRegistry registry(ModelStore modelStore) {
    ServingConfig config = Fixtures.config();
    return new ModelRegistry(
        new VersionLoader(modelStore, loader, config.models(), Duration.ofSeconds(60)),
        new FallbackSection(0.5, Duration.ofSeconds(60), 4),
        ModelEvents.NONE,
        clock::get);
  }

  private ModelRegistry registry(
      ModelStore modelStore, ScoringModelLoader scoring, int warmupRows) {
    ModelsSection m = Fixtures.config().models();
    ModelsSection models =
        new ModelsSection(
            m.pollInterval(),
            m.selfTest(),
            m.selfTestTolerance(),
            warmupRows,
            m.maxBundleBytes(),
            m.maxBundleEntries());
    return new ModelRegistry(
        new VersionLoader(modelStore, scoring, models, Duration.ofSeconds(60)),
        new FallbackSection(0.5, Duration.ofSeconds(60), 4),
        ModelEvents.NONE,
        clock::get);
  }

  private int leasedVersion(String name, Selector selector) {
    try (Lease lease = registry.lease(name, selector)) {
      return lease.model().version();
    }
  }

  private void publish(String name) {
    Fixtures.publish(store, manifest(name), zip);
  }

  private static Manifest manifest(String name) {
    Manifest m = Fixtures.classifierManifest();
    return Fixtures.manifest(name, m.task(), m.inputs(), m.outputs());
  }
}
