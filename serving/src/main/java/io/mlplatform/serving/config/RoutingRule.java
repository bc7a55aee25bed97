package io.mlplatform.serving.config;

import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a model's default route shares its traffic with a candidate version.
 *
 * @param mode canary (the candidate answers {@code share} of the requests) or shadow (the primary
 *     answers every request; the candidate scores a copy of {@code share} of them in the
 *     background)
 * @param candidate a version ({@code 3} or {@code v3}) or an alias ({@code staging}), resolved like
 *     the version and alias predict routes
 * @param share the share of default-route requests concerned, above 0 and at most 1
 * @param tolerance regression answers agree when they differ by at most this much relative to
 *     max(1, |primary|); classifiers agree when they predict the same class
 */
public record RoutingRule(Mode mode, String candidate, double share, double tolerance) {

  /** Relative difference that counts as the same regression answer unless a rule says otherwise. */
  public static final double DEFAULT_TOLERANCE = 0.01;

  private static final Pattern VERSION = Pattern.compile("[vV]?([1-9][0-9]{0,8})");
  static final Pattern ALIAS = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

  public enum Mode {
    CANARY,
    SHADOW;

    /** The word used in config files and JSON. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The version the candidate names ({@code 3} or {@code v3}), or empty when it names an alias. */
  public OptionalInt candidateVersion() {
    Matcher m = VERSION.matcher(candidate);
    return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }

  static boolean validCandidate(String candidate) {
    return VERSION.matcher(candidate).matches() || ALIAS.matcher(candidate).matches();
  }
}
