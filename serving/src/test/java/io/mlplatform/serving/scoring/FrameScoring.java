package io.mlplatform.serving.scoring;

import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ml.combust.mleap.core.types.StructField;
import ml.combust.mleap.core.types.StructType;
import ml.combust.mleap.runtime.frame.ArrayRow;
import ml.combust.mleap.runtime.frame.DefaultLeapFrame;
import ml.combust.mleap.runtime.frame.Row;
import ml.combust.mleap.runtime.frame.Transformer;
import ml.combust.mleap.runtime.javadsl.BundleBuilder;
import ml.combust.mleap.runtime.javadsl.ContextBuilder;
import ml.combust.mleap.runtime.javadsl.LeapFrameBuilder;
import ml.combust.mleap.runtime.javadsl.LeapFrameSupport;
import ml.combust.mleap.tensor.Tensor;
import scala.Option;
import scala.collection.mutable.WrappedArray;

/**
 * The other way of scoring many rows with MLeap: one {@link DefaultLeapFrame} of all of them
 * through {@link Transformer#transform}, for comparison with the served {@link MleapScoringModel}'s
 * compiled row transformer (BatchBreakdown measures both).
 */
public final class FrameScoring implements AutoCloseable {

  private static final LeapFrameBuilder FRAMES = new LeapFrameBuilder();
  private static final LeapFrameSupport SUPPORT = new LeapFrameSupport();

  private final Transformer transformer;
  private final StructType schema;
  private final String predictionColumn;
  private final String probabilityColumn;

  private FrameScoring(
      Transformer transformer, StructType schema, String prediction, String probability) {
    this.transformer = transformer;
    this.schema = schema;
    this.predictionColumn = prediction;
    this.probabilityColumn = probability;
  }

  public static FrameScoring load(Manifest manifest, Path bundleZip) throws Exception {
    Transformer root =
        new BundleBuilder()
            .load(bundleZip.toFile(), new ContextBuilder().createMleapContext())
            .root();
    StructType inputs = root.inputSchema();
    List<StructField> fields = new ArrayList<>();
    for (InputField input : manifest.inputs()) {
      Option<StructField> inBundle = inputs.getField(input.name());
      fields.add(
          inBundle.isDefined()
              ? inBundle.get()
              : FRAMES.createField(
                  input.name(),
                  input.type() == FieldType.DOUBLE
                      ? FRAMES.createDouble(false)
                      : FRAMES.createString(false)));
    }
    return new FrameScoring(
        root,
        FRAMES.createSchema(fields),
        manifest.outputs().predictionColumn(),
        manifest.outputs().probabilityColumn());
  }

  public List<Score> score(List<Object[]> input) {
    List<Row> rows = new ArrayList<>(input.size());
    for (Object[] values : input) {
      rows.add(new ArrayRow(WrappedArray.make(values)));
    }
    DefaultLeapFrame frame = FRAMES.createFrame(schema, rows);
    List<String> columns =
        probabilityColumn == null
            ? List.of(predictionColumn)
            : List.of(predictionColumn, probabilityColumn);
    DefaultLeapFrame out = SUPPORT.select(transformer.transform(frame).get(), columns);
    List<Score> scores = new ArrayList<>(input.size());
    for (Row row : SUPPORT.collect(out)) {
      double prediction = ((Number) row.get(0)).doubleValue();
      double[] probabilities = null;
      if (probabilityColumn != null) {
        @SuppressWarnings("unchecked")
        Tensor<Object> tensor = (Tensor<Object>) row.getTensor(1);
        probabilities = (double[]) tensor.toDense().rawValues();
      }
      scores.add(new Score(prediction, probabilities));
    }
    return scores;
  }

  @Override
  public void close() {
    transformer.close();
  }
}
