package io.mlplatform.spec;

import java.util.List;

/** A spec that cannot be trained, with every problem found, each naming its key. */
public final class SpecException extends RuntimeException {

  private final List<String> problems;

  public SpecException(String source, List<String> problems) {
    super("invalid spec " + source + ":\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
