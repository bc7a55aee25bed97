package io.mlplatform.serving.lifecycle;

import io.mlplatform.serving.config.ModelsSection;
import io.mlplatform.serving.config.SelfTestMode;
import io.mlplatform.serving.lifecycle.bundle.BundleArchive;
import io.mlplatform.serving.scoring.ModelLoadException;
import io.mlplatform.serving.scoring.ScoringModel;
import io.mlplatform.serving.scoring.ScoringModelLoader;
import io.mlplatform.serving.validation.InputSchema;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one version in the store into a {@link LoadedModel}, or says why it will not serve:
 * manifest, then archive checks on a private temporary copy, then MLeap, then the self-test on the
 * reference rows, then warm-up. Only a version that passes everything is returned.
 */
public final class VersionLoader {

  /** What came of one load. */
  public sealed interface Outcome {
    record Loaded(LoadedModel model, Duration took) implements Outcome {}

    record Refused(Refusal refusal) implements Outcome {}

    /**
     * The store or the JVM failed; the version may be fine and is tried again later, with back-off.
     */
    record Failed(String reason) implements Outcome {}
  }

  private static final Logger LOG = LoggerFactory.getLogger(VersionLoader.class);

  private final ModelStore store;
  private final ScoringModelLoader loader;
  private final BundleArchive archive;
  private final ModelsSection settings;
  private final Duration errorWindow;
  private final SelfTest selfTest;

  /**
   * @param errorWindow the window of each version's error rate (fallback)
   */
  public VersionLoader(
      ModelStore store, ScoringModelLoader loader, ModelsSection settings, Duration errorWindow) {
    this.store = store;
    this.loader = loader;
    this.archive = new BundleArchive(settings.maxBundleBytes(), settings.maxBundleEntries());
    this.settings = settings;
    this.errorWindow = errorWindow;
    this.selfTest = new SelfTest(settings.selfTestTolerance());
  }

  public ModelStore store() {
    return store;
  }

  /** Loads a version; {@code events.released} is called once the model is eventually released. */
  public Outcome load(String name, int version, ModelEvents events) {
    long start = System.nanoTime();
    Path dir = null;
    Stage stage = Stage.MANIFEST;
    ScoringModel scorer = null;
    try {
      Manifest manifest = store.manifest(name, version);
      if (!name.equals(manifest.model()) || manifest.version() != version) {
        throw new ModelLoadException(
            "manifest names " + manifest.model() + " v" + manifest.version());
      }
      InputSchema inputs = InputSchema.of(manifest);
      stage = Stage.SELF_TEST;
      List<ReferenceRow> reference = referenceRows(name, version);
      List<Object[]> rows = SelfTest.rows(reference, inputs);
      // Everything the bundle touches stays inside this private directory, removed below.
      dir = Files.createTempDirectory("mlp-load-");
      Path zip = dir.resolve(Layout.BUNDLE);
      stage = Stage.ARCHIVE;
      store.copyBundleTo(name, version, zip);
      archive.check(zip);
      stage = Stage.BUNDLE;
      scorer = loader.load(manifest, zip);
      stage = Stage.SELF_TEST;
      if (!reference.isEmpty()) {
        String problem = selfTest.check(manifest, scorer, rows, reference);
        if (problem != null) {
          throw new ModelLoadException(problem);
        }
      }
      Warmup.run(scorer, rows, settings.warmupRows());
      LoadedModel model =
          new LoadedModel(
              manifest,
              inputs,
              scorer,
              reference.stream().map(ReferenceRow::prediction).toList(),
              new ErrorWindow(errorWindow),
              events::released);
      LOG.info(
          "loaded {} v{} in {} ms ({} reference rows reproduced)",
          name,
          version,
          (System.nanoTime() - start) / 1_000_000,
          reference.size());
      return new Outcome.Loaded(model, Duration.ofNanos(System.nanoTime() - start));
    } catch (StoreException e) {
      closeQuietly(scorer);
      // Only content is a refusal (unparseable, checksum, self-test); a read that failed may work
      // next time.
      if (e.kind() == StoreException.Kind.CORRUPT || e.kind() == StoreException.Kind.INVALID) {
        return refused(name, version, stage.kind, e.getMessage());
      }
      LOG.warn(
          "cannot read {} v{} from the store: {}; retrying later", name, version, e.getMessage());
      return new Outcome.Failed(
          (e.kind() == StoreException.Kind.IO
                  ? "unavailable: I/O error, retrying: "
                  : "unavailable: not readable yet, retrying: ")
              + e.getMessage());
    } catch (ModelLoadException | IllegalArgumentException e) {
      closeQuietly(scorer);
      return refused(name, version, stage.kind, e.getMessage());
    } catch (IOException e) {
      closeQuietly(scorer);
      LOG.warn("cannot load {} v{}: {}", name, version, e.toString());
      return new Outcome.Failed("unavailable: local I/O error, retrying: " + e.getMessage());
    } catch (RuntimeException | LinkageError e) {
      // Unknown failures keep their details in the log only; the refusal says where to look.
      closeQuietly(scorer);
      LOG.error("cannot load {} v{}", name, version, e);
      return refused(
          name,
          version,
          stage.kind,
          "unexpected " + e.getClass().getSimpleName() + " while loading; see the server log");
    } catch (Error e) {
      // OutOfMemoryError, StackOverflowError: the JVM's trouble, maybe not the bundle's. Contained
      // here so the other versions of the same read still load; retried with back-off.
      closeQuietly(scorer);
      LOG.error("cannot load {} v{}; retrying later", name, version, e);
      return new Outcome.Failed(
          "unavailable: "
              + e.getClass().getSimpleName()
              + " while loading, retrying; see the server log");
    } finally {
      deleteRecursively(dir);
    }
  }

  /** The order of the load, and the refusal kind of a failure at each step. */
  private enum Stage {
    MANIFEST(Refusal.Kind.MANIFEST),
    ARCHIVE(Refusal.Kind.ARCHIVE),
    BUNDLE(Refusal.Kind.BUNDLE),
    SELF_TEST(Refusal.Kind.SELF_TEST);

    final Refusal.Kind kind;

    Stage(Refusal.Kind kind) {
      this.kind = kind;
    }
  }

  private List<ReferenceRow> referenceRows(String name, int version) {
    if (settings.selfTest() == SelfTestMode.OFF) {
      return List.of();
    }
    try {
      return store.referenceRows(name, version);
    } catch (StoreException e) {
      if (e.kind() != StoreException.Kind.NOT_FOUND) {
        throw e;
      }
      if (settings.selfTest() == SelfTestMode.REQUIRED) {
        throw new ModelLoadException(
            "no "
                + Layout.REFERENCE_ROWS
                + " to check the bundle against"
                + " (selfTest: REQUIRED)");
      }
      return List.of();
    }
  }

  private static Outcome refused(String name, int version, Refusal.Kind kind, String reason) {
    LOG.error("refused {} v{} ({}): {}", name, version, kind.id(), reason);
    return new Outcome.Refused(new Refusal(kind, reason));
  }

  private static void closeQuietly(ScoringModel scorer) {
    if (scorer != null) {
      try {
        scorer.close();
      } catch (RuntimeException | Error e) {
        LOG.warn("cannot close a model that failed to load: {}", e.toString());
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("cannot delete temporary directory {}: {}", dir, e.getMessage());
    }
  }
}
