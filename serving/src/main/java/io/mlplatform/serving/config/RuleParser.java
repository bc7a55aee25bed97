package io.mlplatform.serving.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.validation.Violation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads routing rules from JSON or YAML trees, for the config file and the admin endpoint alike, so
 * both accept exactly the same rules and report every problem at once.
 */
public final class RuleParser {

  private static final Set<String> FIELDS = Set.of("mode", "candidate", "share", "tolerance");

  private RuleParser() {}

  /** A parsed rule, or the problems that stopped it (field names relative to the rule). */
  public record Result(RoutingRule rule, List<Violation> problems) {}

  /** {@code {mode: canary|shadow, candidate: VERSION|ALIAS, share: (0,1], tolerance: >= 0}}. */
  public static Result rule(JsonNode node) {
    List<Violation> problems = new ArrayList<>();
    if (node == null || !node.isObject()) {
      problems.add(
          new Violation(
              null,
              null,
              "must be an object such as"
                  + " {\"mode\": \"canary\", \"candidate\": \"staging\", \"share\": 0.1}"));
      return new Result(null, problems);
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        problems.add(
            new Violation(
                null, name, "is not a routing field (known: candidate, mode, share, tolerance)"));
      }
    }
    RoutingRule.Mode mode = mode(node.get("mode"), problems);
    String candidate = candidate(node.get("candidate"), problems);
    // A shadow costs no answer, so copying every request is the natural default; a canary's share
    // must be chosen.
    Double share =
        number(node.get("share"), "share", mode == RoutingRule.Mode.SHADOW ? 1.0 : null, problems);
    if (share != null && !(share > 0 && share <= 1)) {
      problems.add(new Violation(null, "share", "must be above 0 and at most 1"));
    }
    Double tolerance =
        number(node.get("tolerance"), "tolerance", RoutingRule.DEFAULT_TOLERANCE, problems);
    if (tolerance != null && !(tolerance >= 0 && tolerance <= 1e6)) {
      problems.add(new Violation(null, "tolerance", "must be a number from 0 to 1000000"));
    }
    if (!problems.isEmpty()) {
      return new Result(null, problems);
    }
    return new Result(new RoutingRule(mode, candidate, share, tolerance), List.of());
  }

  /**
   * The config file's {@code routing} mapping, model name to rule; problems are added to {@code
   * errors} as {@code routing.MODEL.FIELD: reason}.
   */
  public static Map<String, RoutingRule> rules(
      JsonNode node, String key, String source, List<String> errors) {
    Map<String, RoutingRule> rules = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return rules;
    }
    if (!node.isObject()) {
      errors.add(
          key
              + ": must be a mapping of model name to rule, such as"
              + " {penguins: {mode: canary, candidate: staging, share: 0.1}} (from "
              + source
              + ")");
      return rules;
    }
    node.fields()
        .forEachRemaining(
            e -> {
              String model = e.getKey();
              if (!model.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
                errors.add(key + ": '" + model + "' is not a model name (from " + source + ")");
                return;
              }
              Result result = rule(e.getValue());
              if (result.rule() != null) {
                rules.put(model, result.rule());
              }
              for (Violation v : result.problems()) {
                errors.add(
                    key
                        + "."
                        + model
                        + (v.field() == null ? "" : "." + v.field())
                        + ": "
                        + v.reason()
                        + " (from "
                        + source
                        + ")");
              }
            });
    return rules;
  }

  private static RoutingRule.Mode mode(JsonNode node, List<Violation> problems) {
    String text =
        node != null && node.isTextual() ? node.asText().trim().toUpperCase(Locale.ROOT) : "";
    for (RoutingRule.Mode mode : RoutingRule.Mode.values()) {
      if (mode.name().equals(text)) {
        return mode;
      }
    }
    problems.add(
        new Violation(
            null,
            "mode",
            node == null ? "is required: canary or shadow" : "must be canary or shadow"));
    return null;
  }

  private static String candidate(JsonNode node, List<Violation> problems) {
    if (node != null && node.isIntegralNumber() && node.canConvertToInt() && node.asInt() >= 1) {
      return Integer.toString(node.asInt());
    }
    String text = node != null && node.isTextual() ? node.asText().trim() : "";
    if (!RoutingRule.validCandidate(text)) {
      problems.add(
          new Violation(
              null,
              "candidate",
              (node == null ? "is required: " : "must be ")
                  + "a version (3 or v3) or an alias (staging)"));
      return null;
    }
    return text;
  }

  private static Double number(
      JsonNode node, String field, Double fallback, List<Violation> problems) {
    if (node == null) {
      if (fallback == null) {
        problems.add(new Violation(null, field, "is required"));
      }
      return fallback;
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isTextual()) {
      try {
        return Double.parseDouble(node.asText().trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    problems.add(new Violation(null, field, "must be a number"));
    return null;
  }
}
