package io.mlplatform.serving.lifecycle;

/** Which version of a model a request asks for. */
public sealed interface Selector {

  /**
   * The version behind the model's default route: pinned, else {@code production}, else the latest.
   */
  record Default() implements Selector {}

  record Version(int number) implements Selector {}

  /** A version by alias, such as {@code production} or {@code staging}. */
  record Alias(String alias) implements Selector {}

  Selector DEFAULT = new Default();
}
