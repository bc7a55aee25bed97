package io.mlplatform.serving.routing;

import io.mlplatform.serving.config.RoutingRule;
import io.mlplatform.serving.config.RoutingSection;
import io.mlplatform.serving.lifecycle.Lease;
import io.mlplatform.serving.lifecycle.ModelEntry;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.SelectionException;
import io.mlplatform.serving.metrics.RoutingMetrics;
import io.mlplatform.serving.validation.RequestValidator;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Canary and shadow rules per model, from the config at start and changed at runtime by the admin
 * endpoint (in this process only, like pins). A request without a rule pays one map lookup.
 *
 * <p>A pin or an automatic fallback suspends the model's rule: an operator who pinned a version, or
 * a route that fell back from a failing one, wants exactly that version to answer, so the rule
 * stays installed but routes nothing until the pin is lifted or the store's target moves.
 */
public final class Router implements AutoCloseable {

  /** How long closing waits for a shadow copy being scored. */
  public static final long DRAIN_MILLIS = ShadowScorer.DRAIN_MILLIS;

  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  /**
   * A rule with where it came from ({@code config} or {@code admin}) and its counters since then.
   */
  record Installed(RoutingRule rule, String source, Instant since, RoutingStats stats) {}

  private final Map<String, Installed> rules = new ConcurrentHashMap<>();
  private final ModelRegistry registry;
  private final RoutingMetrics metrics;
  private final ShadowScorer shadow;

  /**
   * @param configured rules from the config file (models the store does not have yet are kept) and
   *     the shadow scorer's threads and queue
   */
  public Router(
      RoutingSection configured,
      ModelRegistry registry,
      RequestValidator validator,
      RoutingMetrics metrics) {
    this.registry = registry;
    this.metrics = metrics;
    this.shadow =
        new ShadowScorer(
            registry, validator, metrics, configured.shadowThreads(), configured.shadowQueue());
    configured.models().forEach((model, rule) -> install(model, rule, "config"));
  }

  /** The decision for one request on {@code entry}'s default route. */
  public Route route(ModelEntry entry) {
    Installed installed = rules.get(entry.name());
    if (installed == null) {
      return Route.NONE;
    }
    if (suspension(entry) != null) {
      installed.stats().suspended.increment();
      metrics.skipped(entry.name(), "suspended");
      return Route.NONE;
    }
    RoutingRule rule = installed.rule();
    boolean chosen = rule.share() >= 1 || ThreadLocalRandom.current().nextDouble() < rule.share();
    return rule.mode() == RoutingRule.Mode.CANARY
        ? new Route(this, installed, chosen, false)
        : new Route(this, installed, false, chosen);
  }

  /** Replaces the model's rule; its counters start again from zero. */
  public void put(String model, RoutingRule rule) {
    install(model, rule, "admin");
  }

  /**
   * @return whether there was a rule
   */
  public boolean remove(String model) {
    boolean removed = rules.remove(model) != null;
    if (removed) {
      LOG.info("{}: routing rule removed; the default route serves alone", model);
    }
    return removed;
  }

  public Optional<RoutingRule> rule(String model) {
    return Optional.ofNullable(rules.get(model)).map(Installed::rule);
  }

  /**
   * What the rule does now and what it has measured, for {@code GET
   * /v1/admin/models/{name}/routing}.
   */
  public RoutingView view(ModelEntry entry) {
    Installed installed = rules.get(entry.name());
    String suspension = suspension(entry);
    String unavailable = null;
    if (installed != null && suspension == null) {
      try (Lease ignored = registry.lease(entry.name(), Candidate.selector(installed.rule()))) {
        unavailable = null;
      } catch (SelectionException e) {
        unavailable =
            "the candidate cannot serve now, so the primary answers every request: "
                + e.getMessage();
      }
    }
    return RoutingView.of(entry, installed, suspension, unavailable);
  }

  RoutingMetrics metrics() {
    return metrics;
  }

  ShadowScorer shadow() {
    return shadow;
  }

  @Override
  public void close() {
    shadow.close();
  }

  private void install(String model, RoutingRule rule, String source) {
    rules.put(model, new Installed(rule, source, Instant.now(), new RoutingStats()));
    LOG.info(
        "{}: {} to candidate {} on {}% of default-route requests (from {})",
        model, rule.mode().id(), rule.candidate(), rule.share() * 100, source);
  }

  /** Why the rule routes nothing right now, or null. */
  private static String suspension(ModelEntry entry) {
    if (entry.pinned() != null) {
      return "the default route is pinned to v"
          + entry.pinned()
          + "; DELETE /v1/admin/models/"
          + entry.name()
          + "/pin resumes routing";
    }
    if (entry.fallback() != null) {
      return "the default route fell back from v"
          + entry.fallback().from()
          + " to v"
          + entry.fallback().to()
          + "; routing resumes when the store's target moves or after a pin and unpin";
    }
    return null;
  }
}
