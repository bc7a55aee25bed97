package io.mlplatform.training.export;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.mlplatform.store.FieldType;
import io.mlplatform.store.InputField;
import io.mlplatform.store.ReferenceRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ml.combust.bundle.BundleRegistry;
import ml.combust.bundle.BundleRegistry$;
import ml.combust.mleap.core.types.BasicType;
import ml.combust.mleap.core.types.ScalarType;
import ml.combust.mleap.core.types.StructField;
import ml.combust.mleap.core.types.StructType;
import ml.combust.mleap.runtime.MleapContext;
import ml.combust.mleap.runtime.frame.DefaultLeapFrame;
import ml.combust.mleap.runtime.frame.Row;
import ml.combust.mleap.runtime.frame.Transformer;
import ml.combust.mleap.runtime.javadsl.BundleBuilder;
import ml.combust.mleap.runtime.javadsl.ContextBuilder;
import ml.combust.mleap.runtime.javadsl.LeapFrameBuilder;
import ml.combust.mleap.runtime.javadsl.LeapFrameSupport;
import ml.combust.mleap.runtime.javadsl.TensorSupport;
import scala.Option;

/**
 * Proves a bundle before it is published: loads it with the MLeap runtime (the training classpath
 * has MLeap 0.16's), scores the reference rows exactly as serving will (nulls replaced by the
 * manifest's fills, numbers as doubles) and compares every output with Spark's. All MLeap and
 * Scala types of the check stay in this class.
 */
public final class ExportCheck {

  /** Largest difference allowed between Spark's and MLeap's outputs. */
  public static final double TOLERANCE = 1e-9;

  private static final LeapFrameBuilder FRAMES = new LeapFrameBuilder();
  private static final int SHOWN = 3;
  private static final String RUNTIME_REGISTRY = "ml.combust.mleap.registry.default";
  private static final String RUNTIME_OPS = "ml.combust.mleap.registry.builtin-ops";

  private ExportCheck() {}

  /** What the check compared, for the job's console. */
  public record Outcome(int rows, int outputs, double maxDifference) {}

  /**
   * @param inputs the manifest's inputs (name, type, fill), in bundle order
   * @throws ExportMismatchException when MLeap cannot load or score the bundle, or any output
   *     differs from Spark's by more than {@link #TOLERANCE}
   */
  public static Outcome verify(Path bundleZip, List<InputField> inputs, List<ReferenceRow> rows,
      String predictionColumn, String probabilityColumn) {
    Transformer root;
    try {
      BreezeCompat.ensure();
      MleapContext context = new ContextBuilder().createMleapContext(registry());
      root = new BundleBuilder().load(bundleZip.toFile(), context).root();
    } catch (Exception | LinkageError e) {
      throw new ExportMismatchException("the MLeap runtime cannot load the bundle just written: " + e, e);
    }
    try {
      return compare(root, inputs, rows, predictionColumn, probabilityColumn);
    } finally {
      root.close();
    }
  }

  private static Outcome compare(Transformer root, List<InputField> inputs, List<ReferenceRow> rows,
      String predictionColumn, String probabilityColumn) {
    DefaultLeapFrame scored;
    List<Row> out;
    try {
      scored = root.transform(frame(root.inputSchema(), inputs, rows)).get();
      // Frames are lazy streams: copying forces every stage on every row inside this try.
      out = new ArrayList<>(new LeapFrameSupport().collect(scored));
    } catch (Exception | LinkageError e) {
      throw new ExportMismatchException("the MLeap runtime cannot score the reference rows: " + e, e);
    }
    int prediction = index(scored.schema(), predictionColumn);
    int probability = probabilityColumn == null ? -1 : index(scored.schema(), probabilityColumn);

    List<String> mismatches = new ArrayList<>();
    int mismatchedRows = 0;
    int outputs = 0;
    double max = 0;
    for (int i = 0; i < rows.size(); i++) {
      ReferenceRow expected = rows.get(i);
      List<String> problems = new ArrayList<>();
      double served = ((Number) out.get(i).get(prediction)).doubleValue();
      max = Math.max(max, check(problems, "prediction", expected.prediction(), served));
      outputs++;
      if (expected.probabilities() != null) {
        if (probability < 0) {
          throw new ExportMismatchException("Spark produced probabilities but the bundle has no column '"
              + probabilityColumn + "'");
        }
        List<Object> values = new TensorSupport().toArray(out.get(i).getTensor(probability));
        if (values.size() != expected.probabilities().size()) {
          problems.add("probability has " + values.size() + " values, Spark had " + expected.probabilities().size());
        } else {
          for (int k = 0; k < values.size(); k++) {
            max = Math.max(max, check(problems, "probability[" + k + "]", expected.probabilities().get(k),
                ((Number) values.get(k)).doubleValue()));
            outputs++;
          }
        }
      }
      if (!problems.isEmpty()) {
        mismatchedRows++;
        if (mismatches.size() < SHOWN) {
          mismatches.add("row " + i + " " + String.join(", ", problems));
        }
      }
    }
    if (mismatchedRows > 0) {
      throw new ExportMismatchException(String.format(Locale.ROOT,
          "the MLeap bundle does not reproduce Spark on %d of %d reference rows (tolerance %.0e): %s",
          mismatchedRows, rows.size(), TOLERANCE, String.join("; ", mismatches)));
    }
    return new Outcome(rows.size(), outputs, max);
  }

  private static double check(List<String> problems, String output, double spark, double mleap) {
    double difference = Math.abs(spark - mleap);
    if (!(difference <= TOLERANCE) && !(Double.isNaN(spark) && Double.isNaN(mleap))) {
      problems.add(String.format(Locale.ROOT, "%s: Spark %.17g, MLeap %.17g", output, spark, mleap));
    }
    return Double.isNaN(difference) ? 0 : difference;
  }

  /** The rows as serving builds them: bundle's own field types, fills for nulls, numbers as doubles. */
  private static DefaultLeapFrame frame(StructType bundleInputs, List<InputField> inputs, List<ReferenceRow> rows) {
    List<StructField> fields = new ArrayList<>();
    for (InputField input : inputs) {
      BasicType base = input.type() == FieldType.DOUBLE ? FRAMES.createBasicDouble() : FRAMES.createBasicString();
      Option<StructField> inBundle = bundleInputs.getField(input.name());
      fields.add(inBundle.isDefined() ? inBundle.get() : FRAMES.createField(input.name(), new ScalarType(base, false)));
    }
    List<Row> frameRows = new ArrayList<>();
    for (ReferenceRow row : rows) {
      List<Object> values = new ArrayList<>();
      for (InputField input : inputs) {
        Object value = row.input().get(input.name());
        if (value == null) {
          value = input.fill();
        }
        values.add(input.type() == FieldType.DOUBLE && value instanceof Number n ? n.doubleValue() : value);
      }
      frameRows.add(FRAMES.createRowFromIterable(values));
    }
    return FRAMES.createFrame(FRAMES.createSchema(fields), frameRows);
  }

  /**
   * MLeap 0.16's runtime registry, like its Spark one, instantiates an LDA op that cannot load
   * against Spark 3.5's breeze (NoClassDefFoundError), so it is built without it. Serving uses
   * MLeap 0.20, which has no such problem.
   */
  private static BundleRegistry registry() {
    ClassLoader loader = ExportCheck.class.getClassLoader();
    Config base = ConfigFactory.load(loader);
    List<String> ops = new ArrayList<>(base.getStringList(RUNTIME_OPS));
    ops.removeIf(op -> op.endsWith(".LDAModelOp"));
    Config config = ConfigFactory.parseMap(Map.of(RUNTIME_OPS, ops)).withFallback(base);
    return BundleRegistry$.MODULE$.apply(RUNTIME_REGISTRY, Option.apply(config), Option.apply(loader));
  }

  private static int index(StructType schema, String column) {
    if (schema.getField(column).isEmpty()) {
      throw new ExportMismatchException("the bundle has no output column '" + column + "'");
    }
    return (Integer) schema.indexOf(column).get();
  }
}
