package io.mlplatform.spec;

import java.util.List;

/**
 * Free-text columns: tokenized (lower case, split on anything that is not a letter or a digit),
 * turned into term counts and weighted by IDF.
 *
 * @param vectorizer how tokens become a vector
 * @param size vocabulary size (count) or number of hash buckets (hashing)
 */
public record TextFeatures(List<String> columns, TextVectorizer vectorizer, int size) {

  /** Default vocabulary size: large enough for short texts, small enough for linear models. */
  public static final int DEFAULT_SIZE = 1024;

  public static final TextFeatures NONE =
      new TextFeatures(List.of(), TextVectorizer.COUNT, DEFAULT_SIZE);

  public TextFeatures {
    columns = List.copyOf(columns);
  }
}
