package io.mlplatform.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the text and bucketizing keys of {@code features}, naming the key of every problem. */
final class FeatureKeys {

  private FeatureKeys() {}

  static TextFeatures text(JsonNode features, List<String> columns, List<String> problems) {
    JsonNode vectorizerNode = features.get("textVectorizer");
    JsonNode sizeNode = features.get("textFeatures");
    if (columns.isEmpty()) {
      for (String key : List.of("textVectorizer", "textFeatures")) {
        if (features.get(key) != null) {
          problems.add("features." + key + ": set, but features.text lists no column");
        }
      }
      return TextFeatures.NONE;
    }
    TextVectorizer vectorizer = TextVectorizer.COUNT;
    if (vectorizerNode != null && !vectorizerNode.isNull()) {
      String value = vectorizerNode.asText().trim().toLowerCase(Locale.ROOT);
      if (value.equals("count")) {
        vectorizer = TextVectorizer.COUNT;
      } else if (value.equals("hashing")) {
        // Spark 3 hashes terms with murmur3 "v2"; MLeap 0.16 writes no hash version into the bundle
        // and
        // scores with the older v1 hash, so most rows would get other predictions once exported
        // (the
        // export check refuses such a bundle; TrainJobTest shows it).
        problems.add(
            "features.textVectorizer: 'hashing' cannot be exported here (Spark 3's HashingTF hashes"
                + " terms differently from MLeap's); use count");
      } else {
        problems.add(
            "features.textVectorizer: unknown value '"
                + vectorizerNode.asText()
                + "' (allowed: count)");
      }
    }
    int size = TextFeatures.DEFAULT_SIZE;
    if (sizeNode != null && !sizeNode.isNull()) {
      if (!sizeNode.isIntegralNumber() || sizeNode.asInt() < 2 || sizeNode.asLong() > 1 << 20) {
        problems.add(
            "features.textFeatures: must be a whole number between 2 and 1048576, got " + sizeNode);
      } else {
        size = sizeNode.asInt();
      }
    }
    return new TextFeatures(columns, vectorizer, size);
  }

  /**
   * {@code features.bucketize}: column to a list of split points or to a number of quantile
   * buckets.
   */
  static Map<String, Bucketing> bucketize(
      JsonNode node, List<String> numeric, List<String> problems) {
    Map<String, Bucketing> buckets = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return buckets;
    }
    if (!node.isObject()) {
      problems.add(
          "features.bucketize: must be a mapping of numeric column to split points or a bucket count");
      return buckets;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String key = "features.bucketize." + entry.getKey();
      JsonNode value = entry.getValue();
      if (!numeric.contains(entry.getKey())) {
        problems.add(key + ": column is not listed in features.numeric");
        continue;
      }
      if (value.isIntegralNumber()) {
        if (value.asInt() < 2 || value.asInt() > 1000) {
          problems.add(key + ": a bucket count must be between 2 and 1000, got " + value);
        } else {
          buckets.put(entry.getKey(), new Bucketing(List.of(), value.asInt()));
        }
      } else if (value.isArray() && value.size() > 0) {
        List<Double> splits = splits(value, key, problems);
        if (splits != null) {
          buckets.put(entry.getKey(), new Bucketing(splits, 0));
        }
      } else {
        problems.add(
            key
                + ": must be a list of increasing split points, e.g. [10, 20], or a bucket count, e.g. 4");
      }
    }
    return buckets;
  }

  private static List<Double> splits(JsonNode value, String key, List<String> problems) {
    List<Double> splits = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (!item.isNumber() || !Double.isFinite(item.asDouble())) {
        problems.add(key + "[" + i + "]: must be a finite number, got " + item);
        return null;
      }
      if (!splits.isEmpty() && item.asDouble() <= splits.get(splits.size() - 1)) {
        problems.add(
            key
                + ": split points must increase strictly, but "
                + item.asDouble()
                + " follows "
                + splits.get(splits.size() - 1));
        return null;
      }
      splits.add(item.asDouble());
    }
    return splits;
  }
}
