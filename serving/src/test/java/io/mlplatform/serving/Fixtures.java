package io.mlplatform.serving;

import io.mlplatform.serving.config.ModelsSection;
import io.mlplatform.serving.config.SelfTestMode;
import io.mlplatform.serving.config.ServingConfig;
import io.mlplatform.serving.config.ShutdownSection;
import io.mlplatform.serving.lifecycle.ModelEvents;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.bundle.BundleArchive;
import io.mlplatform.serving.scoring.MleapModelLoader;
import io.mlplatform.serving.scoring.ScoringModelLoader;
import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.Outputs;
import io.mlplatform.store.format.ReferenceRow;
import io.mlplatform.store.format.Task;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.Staging;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Small real MLeap bundles for serving's own tests, kept unzipped under src/test/resources/bundles
 * (written once with mleap-runtime 0.20's serializer), with manifests that follow the training
 * job's contract. Real trained bundles are tested in e2e-tests.
 *
 * <p>penguins-logistic: StringIndexer(Island, keep) -> OneHotEncoder(dropLast) -> VectorAssembler
 * -> multinomial LogisticRegression over [Biscoe, Dream, Torgersen one-hot, Beak Length (mm)].
 * penguins-mass-linear: VectorAssembler -> LinearRegression, 20.5 * beak + 15.25 * flipper -
 * 1234.5.
 */
public final class Fixtures {

  public static final String CLASSIFIER = "penguins";
  public static final String REGRESSOR = "mass";
  public static final List<String> SPECIES = List.of("Adelie", "Chinstrap", "Gentoo");

  /** The classifier's coefficients, row k = class k, columns [Biscoe, Dream, Torgersen, beak]. */
  public static final double[][] COEFFICIENTS = {
    {0.5, -0.3, 0.05, 0.02}, {-0.25, 0.7, 0.1, -0.01}, {0.1, 0.2, -0.6, 0.015}
  };

  public static final double[] INTERCEPTS = {0.1, -0.2, 0.3};
  public static final double BEAK_FILL = 43.9;

  private Fixtures() {}

  public static Manifest classifierManifest() {
    return manifest(
        CLASSIFIER,
        Task.MULTICLASS_CLASSIFICATION,
        List.of(
            new InputField("Island", FieldType.STRING, true, "__missing__"),
            new InputField("Beak Length (mm)", FieldType.DOUBLE, false, null)),
        new Outputs("prediction", "probability", SPECIES));
  }

  public static Manifest regressorManifest() {
    return manifest(
        REGRESSOR,
        Task.REGRESSION,
        List.of(
            new InputField("Beak Length (mm)", FieldType.DOUBLE, true, BEAK_FILL),
            new InputField("Flipper Length (mm)", FieldType.DOUBLE, false, null)),
        new Outputs("prediction", null, List.of()));
  }

  public static Manifest manifest(
      String model, Task task, List<InputField> inputs, Outputs outputs) {
    return new Manifest(
        Manifest.FORMAT_VERSION,
        model,
        0,
        "2026-01-01T00:00:00Z",
        task,
        inputs,
        outputs,
        Map.of("accuracy", 0.9),
        null,
        "3.5.7",
        "0.16.0",
        null);
  }

  /**
   * Zips a bundle directory from test resources, entries relative to the bundle root as MLeap
   * writes them.
   */
  public static Path zipBundle(String resourceDir, Path zip) {
    Path dir = resource("bundles/" + resourceDir);
    try (OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(file);
        Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new ZipEntry(dir.relativize(path).toString().replace('\\', '/')));
        Files.copy(path, out);
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return zip;
  }

  /**
   * Publishes one version of a model without reference rows (a hand-made copy, not a training run).
   */
  public static int publish(ModelStore store, Manifest manifest, Path bundleZip) {
    return publish(store, manifest, bundleZip, null);
  }

  /** Publishes one version of a model into a store, as the training job would. */
  public static int publish(
      ModelStore store, Manifest manifest, Path bundleZip, List<ReferenceRow> referenceRows) {
    Staging staging = store.stage(manifest.model());
    staging.putFile(Layout.BUNDLE, bundleZip);
    if (referenceRows != null) {
      staging.putJsonLines(Layout.REFERENCE_ROWS, referenceRows);
    }
    return store.publish(staging, manifest);
  }

  /** Publishes the classifier fixture (bundle, manifest named {@code name}, reference rows). */
  public static int publishClassifier(ModelStore store, String name, Path workDir) {
    Manifest m = classifierManifest();
    Path zip = workDir.resolve("classifier.zip");
    if (!Files.exists(zip)) {
      zipBundle("penguins-logistic", zip);
    }
    return publish(
        store, manifest(name, m.task(), m.inputs(), m.outputs()), zip, classifierReferenceRows());
  }

  /** Publishes the regressor fixture (bundle, manifest named {@code name}, reference rows). */
  public static int publishRegressor(ModelStore store, String name, Path workDir) {
    Manifest m = regressorManifest();
    Path zip = workDir.resolve("regressor.zip");
    if (!Files.exists(zip)) {
      zipBundle("penguins-mass-linear", zip);
    }
    return publish(
        store, manifest(name, m.task(), m.inputs(), m.outputs()), zip, regressorReferenceRows());
  }

  /** A store at {@code dir} holding both fixture models at version 1, with reference rows. */
  public static ModelStore storeWithBothModels(Path dir) {
    ModelStore store = ModelStore.open(dir.resolve("store").toString());
    publishClassifier(store, CLASSIFIER, dir);
    publishRegressor(store, REGRESSOR, dir);
    return store;
  }

  /** Settings for tests: no auth, no polling, no shutdown delay, reference rows optional. */
  /** The MLeap loader with the default bundle checks, as the service builds it. */
  public static MleapModelLoader mleap() {
    return new MleapModelLoader(BundleArchive.withDefaultLimits());
  }

  /** A registry with the config's model and fallback sections, as {@code Service} builds it. */
  public static ModelRegistry registry(
      ModelStore store, ScoringModelLoader loader, ServingConfig config, ModelEvents events) {
    return new ModelRegistry(store, loader, config.models(), config.fallback(), events);
  }

  public static ServingConfig config() {
    ServingConfig local = ServingConfig.local();
    ModelsSection m = local.models();
    return local
        .withModels(
            new ModelsSection(
                Duration.ZERO,
                SelfTestMode.IF_PRESENT,
                m.selfTestTolerance(),
                50,
                m.maxBundleBytes(),
                m.maxBundleEntries()))
        .withShutdown(new ShutdownSection(Duration.ZERO, Duration.ofSeconds(5)))
        .withPort(0);
  }

  /** {@link #config()} without the self-test, for models stood in by a fake loader. */
  public static ServingConfig fakeConfig() {
    ModelsSection m = config().models();
    return config()
        .withModels(
            new ModelsSection(
                m.pollInterval(),
                SelfTestMode.OFF,
                m.selfTestTolerance(),
                0,
                m.maxBundleBytes(),
                m.maxBundleEntries()));
  }

  /** Rows as training would record them for the classifier: formula outputs, nulls included. */
  public static List<ReferenceRow> classifierReferenceRows() {
    List<ReferenceRow> rows = new ArrayList<>();
    String[] islands = {"Biscoe", "Dream", "Torgersen", null, "Atlantis"};
    for (int i = 0; i < 20; i++) {
      String island = islands[i % islands.length];
      double beak = 32.5 + 1.37 * i;
      double[] p = expectedProbabilities(island == null ? "__missing__" : island, beak);
      Map<String, Object> input = new LinkedHashMap<>();
      input.put("Island", island);
      input.put("Beak Length (mm)", beak);
      rows.add(new ReferenceRow(input, argmax(p), List.of(p[0], p[1], p[2])));
    }
    return rows;
  }

  /**
   * Rows as training would record them for the regressor, null beaks filled with {@link
   * #BEAK_FILL}.
   */
  public static List<ReferenceRow> regressorReferenceRows() {
    List<ReferenceRow> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Double beak = i % 4 == 0 ? null : 35.0 + 0.9 * i;
      double flipper = 180 + 2.5 * i;
      Map<String, Object> input = new LinkedHashMap<>();
      input.put("Beak Length (mm)", beak);
      input.put("Flipper Length (mm)", flipper);
      rows.add(
          new ReferenceRow(
              input, 20.5 * (beak == null ? BEAK_FILL : beak) + 15.25 * flipper - 1234.5, null));
    }
    return rows;
  }

  public static int argmax(double[] p) {
    int best = 0;
    for (int k = 1; k < p.length; k++) {
      best = p[k] > p[best] ? k : best;
    }
    return best;
  }

  /** What the classifier fixture should answer, computed here independently of MLeap. */
  public static double[] expectedProbabilities(String island, double beak) {
    int slot =
        switch (island) {
          case "Biscoe" -> 0;
          case "Dream" -> 1;
          case "Torgersen" -> 2;
          default ->
              -1; // unseen: StringIndexer keep gives index 3, which dropLast encodes as all zeros
        };
    double[] margins = new double[3];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < 3; k++) {
      margins[k] =
          INTERCEPTS[k] + COEFFICIENTS[k][3] * beak + (slot >= 0 ? COEFFICIENTS[k][slot] : 0);
      max = Math.max(max, margins[k]);
    }
    double sum = 0;
    for (int k = 0; k < 3; k++) {
      margins[k] = Math.exp(margins[k] - max);
      sum += margins[k];
    }
    for (int k = 0; k < 3; k++) {
      margins[k] /= sum;
    }
    return margins;
  }

  private static Path resource(String name) {
    URL url = Fixtures.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new IllegalStateException("missing test resource " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
