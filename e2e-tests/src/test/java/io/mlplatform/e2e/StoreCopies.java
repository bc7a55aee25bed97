package io.mlplatform.e2e;

import io.mlplatform.serving.Service;
import io.mlplatform.serving.config.ModelsSection;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.config.ShutdownSection;
import io.mlplatform.serving.http.AccessLog;
import io.mlplatform.serving.lifecycle.bundle.BundleArchive;
import io.mlplatform.serving.scoring.MleapModelLoader;
import io.mlplatform.serving.scoring.ScoringModelLoader;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.Staging;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Versions of the trained store copied into a test's own store, as new versions of any model name,
 * optionally with a bundle or reference rows changed: the real job's output, tampered with on
 * purpose.
 */
final class StoreCopies {

  private StoreCopies() {}

  /**
   * Publishes {@code from}'s latest version of {@code model} into {@code to} as the next version of
   * {@code as}.
   */
  static int copy(ModelStore from, String model, ModelStore to, String as, Path workDir) {
    return copy(from, model, to, as, workDir, UnaryOperator.identity(), UnaryOperator.identity());
  }

  /**
   * As {@link #copy(ModelStore, String, ModelStore, String, Path)}, keeping the manifest's
   * monitoring reference: the copy takes feedback and is watched for drift like the original.
   */
  static int copyMonitored(ModelStore from, String model, ModelStore to, String as, Path workDir) {
    return copy(
        from,
        model,
        to,
        as,
        workDir,
        UnaryOperator.identity(),
        UnaryOperator.identity(),
        from.manifest(model, from.latestVersion(model).orElseThrow()).monitoring());
  }

  /**
   * @param bundle given the local copy of the bundle, returns the file to publish instead
   * @param rows given the reference rows, returns the rows to publish instead
   */
  static int copy(
      ModelStore from,
      String model,
      ModelStore to,
      String as,
      Path workDir,
      UnaryOperator<Path> bundle,
      UnaryOperator<List<ReferenceRow>> rows) {
    return copy(from, model, to, as, workDir, bundle, rows, null);
  }

  private static int copy(
      ModelStore from,
      String model,
      ModelStore to,
      String as,
      Path workDir,
      UnaryOperator<Path> bundle,
      UnaryOperator<List<ReferenceRow>> rows,
      io.mlplatform.store.format.MonitoringReference monitoring) {
    int version = from.latestVersion(model).orElseThrow();
    Manifest m = from.manifest(model, version);
    Path zip = workDir.resolve(model + "-" + System.nanoTime() + ".zip");
    from.copyBundleTo(model, version, zip);
    Staging staging = to.stage(as);
    staging.putFile(Layout.BUNDLE, bundle.apply(zip));
    staging.putJsonLines(Layout.REFERENCE_ROWS, rows.apply(from.referenceRows(model, version)));
    return to.publish(
        staging,
        new Manifest(
            m.formatVersion(),
            as,
            0,
            m.createdAt(),
            m.task(),
            m.inputs(),
            m.outputs(),
            m.metrics(),
            m.spec(),
            m.sparkVersion(),
            m.mleapVersion(),
            m.lineage(),
            m.training(),
            monitoring,
            null));
  }

  /** The service as Main runs it (poller included), without auth, polling often, on port 0. */
  static Service serve(
      ModelStore store, ScoringModelLoader loader, UnaryOperator<ServingConfig> adjust) {
    ServingConfig local = ServingConfig.local();
    ModelsSection m = local.models();
    ServingConfig config =
        local
            .withPort(0)
            .withStore(store.uri().toString())
            .withModels(
                new ModelsSection(
                    Duration.ofMillis(200),
                    m.selfTest(),
                    m.selfTestTolerance(),
                    200,
                    m.maxBundleBytes(),
                    m.maxBundleEntries()))
            .withShutdown(new ShutdownSection(Duration.ZERO, Duration.ofSeconds(10)));
    return Service.start(adjust.apply(config), loader, new AccessLog(0, line -> {}));
  }

  static Service serve(ModelStore store) {
    return serve(
        store, new MleapModelLoader(BundleArchive.withDefaultLimits()), UnaryOperator.identity());
  }
}
