package io.mlplatform.serving.scoring;

import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Manifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import ml.combust.mleap.core.types.BasicType;
import ml.combust.mleap.core.types.DataType;
import ml.combust.mleap.core.types.ScalarType;
import ml.combust.mleap.core.types.StructField;
import ml.combust.mleap.core.types.StructType;
import ml.combust.mleap.core.types.TensorType;
import ml.combust.mleap.runtime.frame.ArrayRow;
import ml.combust.mleap.runtime.frame.Row;
import ml.combust.mleap.runtime.frame.RowTransformer;
import ml.combust.mleap.runtime.frame.Transformer;
import ml.combust.mleap.runtime.javadsl.LeapFrameBuilder;
import ml.combust.mleap.runtime.javadsl.LeapFrameSupport;
import ml.combust.mleap.runtime.javadsl.RowTransformerSupport;
import ml.combust.mleap.runtime.javadsl.TensorSupport;
import ml.combust.mleap.tensor.Tensor;
import scala.Option;
import scala.collection.mutable.WrappedArray;

/**
 * An MLeap pipeline compiled once into a {@link RowTransformer}: scoring a row then runs the
 * stages' functions directly, without building a LeapFrame per request (several times faster for
 * one row).
 */
final class MleapScoringModel implements ScoringModel {

  private static final LeapFrameBuilder FRAMES = new LeapFrameBuilder();

  private final Transformer transformer;
  private final RowTransformer rows;
  private final int predictionIndex;
  private final int probabilityIndex;

  private MleapScoringModel(
      Transformer transformer, RowTransformer rows, int predictionIndex, int probabilityIndex) {
    this.transformer = transformer;
    this.rows = rows;
    this.predictionIndex = predictionIndex;
    this.probabilityIndex = probabilityIndex;
  }

  /** Checks the bundle against the manifest's contract and compiles the row transformer. */
  static MleapScoringModel compile(Manifest manifest, Transformer transformer) {
    StructType bundleInputs = transformer.inputSchema();
    List<String> problems = new ArrayList<>();
    List<StructField> fields = new ArrayList<>();
    Set<String> declared = new HashSet<>();
    for (InputField input : manifest.inputs()) {
      declared.add(input.name());
      BasicType expected =
          input.type() == FieldType.DOUBLE
              ? FRAMES.createBasicDouble()
              : FRAMES.createBasicString();
      Option<StructField> inBundle = bundleInputs.getField(input.name());
      if (inBundle.isEmpty()) {
        // Not used by the pipeline: still validated and sent, harmless to the transformer.
        fields.add(FRAMES.createField(input.name(), new ScalarType(expected, false)));
      } else if (!isScalar(inBundle.get().dataType(), expected)) {
        problems.add(
            "input '"
                + input.name()
                + "' is "
                + input.type()
                + " in the manifest but "
                + inBundle.get().dataType().simpleString()
                + " in the bundle");
      } else {
        fields.add(inBundle.get());
      }
    }
    for (StructField field : new LeapFrameSupport().getFields(bundleInputs)) {
      if (!declared.contains(field.name())) {
        problems.add("bundle input '" + field.name() + "' is not in the manifest");
      }
    }
    if (!problems.isEmpty()) {
      throw new ModelLoadException(
          "bundle does not fit its manifest: " + String.join("; ", problems));
    }
    RowTransformer compiled =
        transformer
            .transform(
                new RowTransformerSupport().createRowTransformer(FRAMES.createSchema(fields)))
            .get();
    StructType out = compiled.outputSchema();
    int prediction = outputIndex(out, manifest.outputs().predictionColumn(), false);
    String probabilityColumn = manifest.outputs().probabilityColumn();
    int probability = probabilityColumn == null ? -1 : outputIndex(out, probabilityColumn, true);
    return new MleapScoringModel(transformer, compiled, prediction, probability);
  }

  @Override
  public List<Score> score(List<Object[]> input) {
    // A large request is cut into chunks scored on every core; each row is scored the same way.
    return Arrays.asList(RowChunks.score(input, this::scoreRow));
  }

  /** One row on the calling thread. */
  Score scoreRow(Object[] values) {
    // Wraps the validated array as it is: no Java-to-Scala collection conversion and copy per row.
    Row row = rows.transform(new ArrayRow(WrappedArray.make(values)));
    if (row == null) {
      throw new IllegalStateException("the pipeline filtered out a row instead of scoring it");
    }
    double prediction = ((Number) row.get(predictionIndex)).doubleValue();
    double[] probabilities = probabilityIndex < 0 ? null : doubles(row.getTensor(probabilityIndex));
    return new Score(prediction, probabilities);
  }

  @Override
  public void close() {
    try {
      transformer.close();
    } catch (RuntimeException e) {
      // Closing is best effort: a model being replaced must not fail the swap.
    }
  }

  private static double[] doubles(Tensor<Object> tensor) {
    Object raw = tensor.toDense().rawValues();
    if (raw instanceof double[] values) {
      return values;
    }
    List<Object> boxed = new TensorSupport().toArray(tensor);
    double[] values = new double[boxed.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = ((Number) boxed.get(i)).doubleValue();
    }
    return values;
  }

  private static boolean isScalar(DataType type, BasicType expected) {
    return type instanceof ScalarType scalar && scalar.base().equals(expected);
  }

  private static int outputIndex(StructType schema, String column, boolean tensor) {
    Option<StructField> field = schema.getField(column);
    if (field.isEmpty()) {
      throw new ModelLoadException("bundle has no output column '" + column + "'");
    }
    DataType type = field.get().dataType();
    boolean ok = tensor ? type instanceof TensorType : isScalar(type, FRAMES.createBasicDouble());
    if (!ok) {
      throw new ModelLoadException(
          "output column '"
              + column
              + "' has type "
              + type.simpleString()
              + ", expected "
              + (tensor ? "a tensor of doubles" : "double"));
    }
    return (Integer) schema.indexOf(column).get();
  }
}
