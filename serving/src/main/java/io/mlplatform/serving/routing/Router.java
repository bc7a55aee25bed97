package io.mlplatform.serving.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlplatform.serving.config.RoutingRule;
import io.mlplatform.serving.config.RoutingSection;
import io.mlplatform.serving.config.RuleParser;
import io.mlplatform.serving.lifecycle.Lease;
import io.mlplatform.serving.lifecycle.ModelEntry;
import io.mlplatform.serving.lifecycle.ModelRegistry;
import io.mlplatform.serving.lifecycle.SelectionException;
import io.mlplatform.serving.metrics.RoutingMetrics;
import io.mlplatform.serving.validation.RequestValidator;
import io.mlplatform.store.format.RoutingDoc;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Canary and shadow rules per model. A model's routing document in the store ({@code
 * runtime/routing.json}, written by the admin endpoint of any replica and read by every replica's
 * poll) takes precedence over the config file's rule, also when it says "no rule"; without a
 * document the config file's rule applies. A request without a rule pays one map lookup.
 *
 * <p>A pin or an automatic fallback suspends the model's rule: an operator who pinned a version, or
 * a route that fell back from a failing one, wants exactly that version to answer, so the rule
 * stays installed but routes nothing until the pin is lifted or the store's target moves.
 */
public final class Router implements AutoCloseable {

  /** How long closing waits for a shadow copy being scored. */
  public static final long DRAIN_MILLIS = ShadowScorer.DRAIN_MILLIS;

  private static final Logger LOG = LoggerFactory.getLogger(Router.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String CONFIG = "config";
  static final String STORE = "store";

  /**
   * A rule with where it came from ({@code config} or {@code store}), who set it (store rules only)
   * and its counters since then.
   */
  record Installed(RoutingRule rule, String source, String by, Instant since, RoutingStats stats) {}

  private final Map<String, Installed> rules = new ConcurrentHashMap<>();
  private final Map<String, RoutingRule> configured;
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
    this.configured = Map.copyOf(configured.models());
    this.configured.forEach((model, rule) -> install(model, rule, CONFIG, null));
    registry.watchRouting(this::applyStore);
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

  /**
   * Applies a model's routing document from the store: its rule replaces any other (counters start
   * again from zero), an explicit "no rule" removes the rule, and no document brings back the
   * config file's rule. A document this build cannot read as a rule is logged and changes nothing.
   */
  public synchronized void applyStore(String model, RoutingDoc doc) {
    Installed current = rules.get(model);
    if (doc == null) {
      RoutingRule fromConfig = configured.get(model);
      if (fromConfig == null) {
        remove(model, "the store has no routing document");
      } else if (current == null || !current.source().equals(CONFIG)) {
        install(model, fromConfig, CONFIG, null);
      }
      return;
    }
    if (doc.rule() == null) {
      remove(model, "removed in the store by " + doc.by());
      return;
    }
    RuleParser.Result parsed = RuleParser.rule(JSON.valueToTree(doc.rule()));
    if (parsed.rule() == null) {
      LOG.warn(
          "{}: ignoring the store's routing rule {}: {}", model, doc.rule(), parsed.problems());
      return;
    }
    if (current != null
        && current.source().equals(STORE)
        && current.rule().equals(parsed.rule())
        && Objects.equals(current.by(), doc.by())) {
      return;
    }
    install(model, parsed.rule(), STORE, doc.by());
  }

  /** The store's words for a rule, for writing it. */
  public static RoutingDoc.Rule toStore(RoutingRule rule) {
    return new RoutingDoc.Rule(rule.mode().id(), rule.candidate(), rule.share(), rule.tolerance());
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

  private void install(String model, RoutingRule rule, String source, String by) {
    rules.put(model, new Installed(rule, source, by, Instant.now(), new RoutingStats()));
    LOG.info(
        "{}: {} to candidate {} on {}% of default-route requests (from {}{})",
        model,
        rule.mode().id(),
        rule.candidate(),
        rule.share() * 100,
        source,
        by == null ? "" : ", set by " + by);
  }

  private void remove(String model, String why) {
    if (rules.remove(model) != null) {
      LOG.info("{}: routing rule removed ({}); the default route serves alone", model, why);
    }
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
