package io.mlplatform.verifier;

import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
 * Loads a bundle with this module's MLeap runtime and scores rows with it, as serving does.
 *
 * <p>The training job creates this class in a class loader of its own, so only {@code java.*} types
 * cross: the request and the answer are maps of strings, numbers and lists.
 *
 * <p>Request: {@code bundle} (absolute path of the zip), {@code fields} (list of {@code name},
 * {@code type} "double" or "string"), {@code rows} (list of value lists in field order, nulls
 * already filled), {@code prediction} and {@code probability} (output columns; the latter may be
 * null). Answer: {@code runtime} (this MLeap's version) and either {@code predictions} (doubles)
 * and {@code probabilities} (lists of doubles, only with a probability column), or {@code error}
 * ({@code load}, {@code score} or {@code column}) with {@code message} and, for the first two,
 * {@code cause} (the Throwable).
 */
public final class BundleScorer implements Function<Map<String, Object>, Map<String, Object>> {

  private static final String REGISTRY = "ml.combust.mleap.registry.default";
  private static final LeapFrameBuilder FRAMES = new LeapFrameBuilder();

  /** This MLeap runtime's version, from its jar's manifest. */
  public static String runtimeVersion() {
    return String.valueOf(MleapContext.class.getPackage().getImplementationVersion());
  }

  @Override
  public Map<String, Object> apply(Map<String, Object> request) {
    // MLeap and Typesafe Config look up classes and reference.conf through the context loader.
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(BundleScorer.class.getClassLoader());
    try {
      return score(request);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static Map<String, Object> score(Map<String, Object> request) {
    Map<String, Object> answer = new HashMap<>();
    answer.put("runtime", runtimeVersion());
    Transformer root;
    try {
      // Serving's registry (MleapModelLoader: the runtime's default one), read from this loader
      // only.
      ClassLoader loader = BundleScorer.class.getClassLoader();
      BundleRegistry registry =
          BundleRegistry$.MODULE$.apply(
              REGISTRY, Option.apply(ConfigFactory.load(loader)), Option.apply(loader));
      MleapContext context = new ContextBuilder().createMleapContext(registry);
      root = new BundleBuilder().load(new File((String) request.get("bundle")), context).root();
    } catch (Exception | LinkageError e) {
      return error(answer, "load", e);
    }
    try {
      return outputs(answer, root, request);
    } finally {
      root.close();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> outputs(
      Map<String, Object> answer, Transformer root, Map<String, Object> request) {
    DefaultLeapFrame scored;
    List<Row> out;
    try {
      DefaultLeapFrame frame =
          frame(
              root.inputSchema(),
              (List<Map<String, Object>>) request.get("fields"),
              (List<List<Object>>) request.get("rows"));
      scored = root.transform(frame).get();
      // Frames are lazy streams: copying forces every stage on every row inside this try.
      out = new ArrayList<>(new LeapFrameSupport().collect(scored));
    } catch (Exception | LinkageError e) {
      return error(answer, "score", e);
    }
    String predictionColumn = (String) request.get("prediction");
    String probabilityColumn = (String) request.get("probability");
    for (String column : new String[] {predictionColumn, probabilityColumn}) {
      if (column != null && scored.schema().getField(column).isEmpty()) {
        answer.put("error", "column");
        answer.put("message", "the bundle has no output column '" + column + "'");
        return answer;
      }
    }
    int prediction = (Integer) scored.schema().indexOf(predictionColumn).get();
    List<Double> predictions = new ArrayList<>();
    out.forEach(row -> predictions.add(((Number) row.get(prediction)).doubleValue()));
    answer.put("predictions", predictions);
    if (probabilityColumn != null) {
      int probability = (Integer) scored.schema().indexOf(probabilityColumn).get();
      List<List<Double>> probabilities = new ArrayList<>();
      for (Row row : out) {
        List<Double> values = new ArrayList<>();
        new TensorSupport()
            .toArray(row.getTensor(probability))
            .forEach(v -> values.add(((Number) v).doubleValue()));
        probabilities.add(values);
      }
      answer.put("probabilities", probabilities);
    }
    return answer;
  }

  /** The rows as serving builds them: the bundle's own field types where it names the field. */
  private static DefaultLeapFrame frame(
      StructType bundleInputs, List<Map<String, Object>> fields, List<List<Object>> rows) {
    List<StructField> schema = new ArrayList<>();
    for (Map<String, Object> field : fields) {
      String name = (String) field.get("name");
      BasicType base =
          "double".equals(field.get("type"))
              ? FRAMES.createBasicDouble()
              : FRAMES.createBasicString();
      Option<StructField> inBundle = bundleInputs.getField(name);
      schema.add(
          inBundle.isDefined()
              ? inBundle.get()
              : FRAMES.createField(name, new ScalarType(base, false)));
    }
    List<Row> frameRows = new ArrayList<>();
    rows.forEach(values -> frameRows.add(FRAMES.createRowFromIterable(values)));
    return FRAMES.createFrame(FRAMES.createSchema(schema), frameRows);
  }

  /**
   * The throwable itself crosses too (it is a java.lang.Throwable): the job logs it as the cause.
   */
  private static Map<String, Object> error(Map<String, Object> answer, String kind, Throwable e) {
    answer.put("error", kind);
    answer.put("message", e.toString());
    answer.put("cause", e);
    return answer;
  }
}
