package io.mlplatform.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every config and option: a whole number with its unit, {@code 250ms},
 * {@code 30s}, {@code 2m}, {@code 1h}; a bare {@code 0} is zero. A unit is required otherwise, so
 * that {@code timeout: 30} cannot mean seconds to one reader and milliseconds to another.
 */
public final class Durations {

  // At most 9 digits: enough for any real timeout (1e9 hours), and no overflow in Duration.
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");

  private Durations() {}

  /**
   * @throws IllegalArgumentException naming the text and the syntax
   */
  public static Duration parse(String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.trim());
    if (!m.matches() || (m.group(2) == null && Long.parseLong(m.group(1)) != 0)) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration such as 250ms, 30s, 2m or 1h" + " (a bare 0 is zero)");
    }
    long n = Long.parseLong(m.group(1));
    if (m.group(2) == null) {
      return Duration.ZERO;
    }
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** The shortest exact spelling {@link #parse} reads back: 0, 250ms, 30s, 2m, 1h. */
  public static String format(Duration duration) {
    long ms = duration.toMillis();
    if (ms == 0) {
      return "0";
    } else if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    } else if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    } else if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
