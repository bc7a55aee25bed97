package io.mlplatform.training.evaluate;

import io.mlplatform.spec.ModelSpec;
import io.mlplatform.training.pipeline.PipelineFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.feature.CountVectorizerModel;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * Readable names for the slots of the assembled feature vector, read from the attributes Spark's
 * VectorAssembler attaches and the internal column names {@link PipelineFactory} chose: {@code
 * Island=Biscoe}, {@code Flipper Length (mm) bucket 2}, {@code Title: "star"}.
 *
 * @param slots one name per vector slot
 * @param columns per slot, the input column it comes from
 */
public record FeatureNames(List<String> slots, List<String> columns) {

  private static final Pattern ONE_HOT = Pattern.compile("__ohe_(\\d+)_(.*)");
  private static final Pattern BUCKET = Pattern.compile("__bucket_ohe_(\\d+)_(.*)");
  private static final Pattern TEXT = Pattern.compile("__tfidf_(\\d+)_(\\d+)");

  public static FeatureNames of(StructType scored, PipelineModel model, ModelSpec spec) {
    String column =
        Arrays.asList(scored.fieldNames()).contains(PipelineFactory.ASSEMBLED)
            ? PipelineFactory.ASSEMBLED
            : PipelineFactory.FEATURES;
    AttributeGroup group = AttributeGroup.fromStructField(scored.apply(column));
    Option<Attribute[]> attributes = group.attributes();
    List<String> vocabularies = new ArrayList<>();
    List<String[]> vocabulary = new ArrayList<>();
    for (Transformer stage : model.stages()) {
      if (stage instanceof CountVectorizerModel counts) {
        vocabularies.add(counts.getInputCol());
        vocabulary.add(counts.vocabulary());
      }
    }
    List<String> slots = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    int size = attributes.isDefined() ? attributes.get().length : Math.max(group.size(), 0);
    List<String> buckets = new ArrayList<>(spec.features().bucketize().keySet());
    for (int i = 0; i < size; i++) {
      Option<String> name = attributes.isDefined() ? attributes.get()[i].name() : Option.empty();
      String raw = name.isDefined() ? name.get() : "feature " + i;
      Matcher m;
      if ((m = BUCKET.matcher(raw)).matches()) {
        String source = buckets.get(Integer.parseInt(m.group(1)));
        slots.add(source + " bucket " + m.group(2));
        columns.add(source);
      } else if ((m = ONE_HOT.matcher(raw)).matches()) {
        String source = spec.features().categorical().get(Integer.parseInt(m.group(1)));
        slots.add(source + "=" + m.group(2));
        columns.add(source);
      } else if ((m = TEXT.matcher(raw)).matches()) {
        int j = Integer.parseInt(m.group(1));
        int term = Integer.parseInt(m.group(2));
        String source = spec.features().text().columns().get(j);
        int v = vocabularies.indexOf("__tokens_" + j);
        String word =
            v >= 0 && term < vocabulary.get(v).length
                ? "\"" + vocabulary.get(v)[term] + "\""
                : "term " + term;
        slots.add(source + ": " + word);
        columns.add(source);
      } else {
        slots.add(raw);
        columns.add(raw);
      }
    }
    return new FeatureNames(List.copyOf(slots), List.copyOf(columns));
  }
}
