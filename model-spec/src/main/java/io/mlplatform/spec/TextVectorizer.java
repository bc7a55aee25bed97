package io.mlplatform.spec;

/** How tokens of a text column become a term-frequency vector. */
public enum TextVectorizer {
  /** CountVectorizer: the most frequent tokens of the training split form the vocabulary. */
  COUNT,
  /** HashingTF: tokens hashed into a fixed number of buckets, no vocabulary kept. */
  HASHING
}
