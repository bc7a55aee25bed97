package io.mlplatform.serving.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The routing keys of serving.yaml: canary and shadow rules per model, and the shadow executor's
 * bounds.
 *
 * @param models rule per model name; none by default
 * @param shadowThreads threads that score shadow copies, apart from the request and scoring threads
 * @param shadowQueue shadow copies waiting for a thread at most; beyond it copies are dropped and
 *     counted
 */
public record RoutingSection(Map<String, RoutingRule> models, int shadowThreads, int shadowQueue) {
  public RoutingSection {
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
  }

  public static final RoutingSection DEFAULTS =
      new RoutingSection(
          Map.of(),
          1, // shadow work is a side job: one thread keeps it from taking more than a core from
          // requests
          100); // ~100 single-row copies is a few ms of work; a longer queue only compares stale
  // traffic
}
