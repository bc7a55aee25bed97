package io.mlplatform.serving.config;

/** What a predict request may do with instance fields the model does not know. */
public enum UnknownFields {
  /** Drop them silently: callers can send a wider record than the model uses. */
  IGNORE,
  /** Answer 400 naming each one: catches typos such as "Beak length (mm)". */
  REJECT
}
