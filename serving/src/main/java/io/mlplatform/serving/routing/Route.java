package io.mlplatform.serving.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.lifecycle.Lease;
import io.mlplatform.serving.lifecycle.LoadedModel;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.SelectionException;
import io.mlplatform.serving.lifecycle.Selector;
import io.mlplatform.serving.scoring.Score;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a routing rule decided for one default-route request: which version answers, and whether a
 * copy goes to the shadow candidate. {@link #NONE} (no rule) costs nothing.
 */
public final class Route {

  private static final Logger LOG = LoggerFactory.getLogger(Route.class);

  /** The default route as it is without routing. */
  public static final Route NONE = new Route(null, null, false, false);

  private final Router router;
  private final Router.Installed installed;
  private boolean candidate;
  private final boolean shadow;

  Route(Router router, Router.Installed installed, boolean candidate, boolean shadow) {
    this.router = router;
    this.installed = installed;
    this.candidate = candidate;
    this.shadow = shadow;
  }

  /**
   * The version that answers. A canary candidate that cannot serve (alias gone, version refused or
   * not loaded) leaves the request to the primary: the canary must never cost an answer that the
   * primary could give.
   */
  public Lease lease(ModelRegistry registry, String model, Selector primary) {
    if (candidate) {
      try {
        return registry.lease(model, Candidate.selector(installed.rule()));
      } catch (SelectionException e) {
        candidate = false;
        installed.stats().candidateUnavailable.increment();
        router.metrics().skipped(model, "candidate_unavailable");
      }
    }
    return registry.lease(model, primary);
  }

  /** Whether the canary candidate answered, once {@link #lease} chose. */
  public boolean candidateAnswered() {
    return candidate;
  }

  /**
   * Records the outcome and queues the shadow copy. Never throws: routing bookkeeping must not turn
   * an answered request into an error.
   *
   * @param scores what the answering version produced, or null when the request failed
   * @param nanos validation plus scoring time
   */
  public void done(LoadedModel model, JsonNode body, List<Score> scores, long nanos) {
    if (installed == null) {
      return;
    }
    try {
      String role = candidate ? "candidate" : "primary";
      (candidate ? installed.stats().candidate : installed.stats().primary)
          .record(model.version(), nanos);
      router.metrics().scored(model.name(), model.version(), role, nanos);
      if (shadow && scores != null) {
        router.shadow().submit(installed, model.name(), model, scores, body);
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: routing bookkeeping failed; the response is unaffected", model, e);
    }
  }
}
