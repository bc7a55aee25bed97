package io.mlplatform.serving.routing;

import io.mlplatform.serving.config.RoutingRule;
import io.mlplatform.serving.lifecycle.Selector;

/** Resolves a rule's candidate the way the version and alias predict routes resolve theirs. */
public final class Candidate {

  private Candidate() {}

  /** The candidate as a predict route would select it. */
  public static Selector selector(RoutingRule rule) {
    var version = rule.candidateVersion();
    return version.isPresent()
        ? new Selector.Version(version.getAsInt())
        : new Selector.Alias(rule.candidate());
  }
}
