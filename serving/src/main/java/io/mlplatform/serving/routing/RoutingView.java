package io.mlplatform.serving.routing;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mlplatform.serving.config.RoutingRule;
import io.mlplatform.serving.lifecycle.ModelEntry;

/**
 * A model's routing rule and what it measured since it was installed.
 *
 * @param state {@code off} (no rule), {@code active}, {@code suspended} (pin or fallback), or
 *     {@code candidate_unavailable} (the candidate cannot be leased now); {@code reason} says why
 * @param source {@code config} (the config file's rule) or {@code store} (the model's routing
 *     document, which every replica applies)
 * @param by who set a store rule (an API key's name), else null
 * @param primaryVersion the version behind the default route now
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoutingView(
    String model,
    String state,
    String reason,
    Rule rule,
    String source,
    String by,
    String since,
    Integer primaryVersion,
    Side primary,
    Side candidate,
    Shadow shadow,
    Long suspendedRequests) {

  /** The rule as it is written in the config file and the admin body. */
  public record Rule(String mode, String candidate, double share, double tolerance) {}

  /**
   * @param version the version that last answered or scored in this role, null before the first
   * @param requests requests answered (canary) or scored (shadow candidate) in this role
   * @param meanMillis mean validation plus scoring time
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Side(
      Integer version, long requests, double meanMillis, double maxMillis, Long unavailable) {}

  /**
   * @param agreement agreedRows / rows, null before the first comparison
   */
  public record Shadow(
      long submitted, long dropped, long failed, long rows, long agreedRows, Double agreement) {}

  static RoutingView of(
      ModelEntry entry, Router.Installed installed, String suspension, String unavailable) {
    if (installed == null) {
      return new RoutingView(
          entry.name(),
          "off",
          null,
          null,
          null,
          null,
          null,
          entry.serving(),
          null,
          null,
          null,
          null);
    }
    RoutingRule r = installed.rule();
    RoutingStats s = installed.stats();
    Shadow shadow = null;
    if (r.mode() == RoutingRule.Mode.SHADOW) {
      long rows = s.rows.sum();
      long agreed = s.agreedRows.sum();
      shadow =
          new Shadow(
              s.shadowSubmitted.sum(),
              s.shadowDropped.sum(),
              s.shadowFailed.sum(),
              rows,
              agreed,
              rows == 0 ? null : (double) agreed / rows);
    }
    String state =
        suspension != null ? "suspended" : unavailable != null ? "candidate_unavailable" : "active";
    return new RoutingView(
        entry.name(),
        state,
        suspension != null ? suspension : unavailable,
        new Rule(r.mode().id(), r.candidate(), r.share(), r.tolerance()),
        installed.source(),
        installed.by(),
        installed.since().toString(),
        entry.serving(),
        side(s.primary, null),
        side(s.candidate, s.candidateUnavailable.sum()),
        shadow,
        s.suspended.sum());
  }

  private static Side side(RoutingStats.Role role, Long unavailable) {
    long n = role.requests.sum();
    return new Side(
        role.version == 0 ? null : role.version,
        n,
        n == 0 ? 0 : role.nanos.sum() / 1e6 / n,
        role.maxNanos.get() / 1e6,
        unavailable);
  }
}
