package io.mlplatform.store.format;

import java.util.Locale;
import java.util.Set;

/**
 * A model's canary or shadow rule as every serving replica applies it, stored as {@code
 * MODEL/runtime/routing.json} and replaced whole on each change. It takes precedence over a rule in
 * a replica's config file, including when {@code rule} is null: then the model has no rule.
 *
 * @param rule the rule, or null: routing was removed (overriding any rule a config file sets)
 * @param updatedAt ISO-8601 instant of the change
 * @param by who made it (an API key's name when made through serving's admin API)
 * @param reason why, in words
 */
public record RoutingDoc(Rule rule, String updatedAt, String by, String reason) {

  /**
   * One rule, in the same words as serving's config file and admin body.
   *
   * @param mode {@code canary} or {@code shadow}
   * @param candidate a version ({@code 3}, {@code v3}) or an alias name
   * @param share the share of default-route requests concerned, above 0 and at most 1
   * @param tolerance relative difference under which regression answers agree
   */
  public record Rule(String mode, String candidate, double share, double tolerance) {

    static final Set<String> MODES = Set.of("canary", "shadow");

    /** Why the rule cannot be stored, or null when it can. */
    public String problem() {
      if (mode == null || !MODES.contains(mode.toLowerCase(Locale.ROOT))) {
        return "mode must be canary or shadow, not " + mode;
      }
      if (candidate == null || candidate.isBlank()) {
        return "candidate must name a version or an alias";
      }
      if (!(share > 0 && share <= 1)) {
        return "share must be above 0 and at most 1, not " + share;
      }
      if (!(tolerance >= 0)) {
        return "tolerance must be 0 or more, not " + tolerance;
      }
      return null;
    }
  }

  public boolean hasRule() {
    return rule != null;
  }
}
