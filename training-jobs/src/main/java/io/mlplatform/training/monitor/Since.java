package io.mlplatform.training.monitor;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code --since}: a date (UTC midnight), an instant, or a duration back from now. */
final class Since {

  private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})([dhm])");

  private Since() {}

  /** The instant, or null for null (everything); IllegalArgumentException names the form. */
  static Instant parse(String text, Instant now) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration back =
          switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
          };
      return now.minus(back);
    }
    try {
      return t.length() == 10
          ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--since '"
              + text
              + "' is not a date (2026-12-01), an instant (2026-12-01T12:00:00Z) or a duration"
              + " (7d, 12h, 30m)");
    }
  }
}
