package io.mlplatform.training.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** --since: a date, an instant or a duration back from now; anything else names the forms. */
class SinceTest {

  private static final Instant NOW = Instant.parse("2026-12-07T15:00:00Z");

  @ParameterizedTest
  @CsvSource({
    "7d, 2026-11-30T15:00:00Z",
    "12h, 2026-12-07T03:00:00Z",
    "30m, 2026-12-07T14:30:00Z",
    "2026-12-01, 2026-12-01T00:00:00Z",
    "2026-12-01T12:34:56Z, 2026-12-01T12:34:56Z"
  })
  void readsEachForm(String text, String expected) {
    assertThat(Since.parse(text, NOW)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "7", "7w", "2026-13-01", "-1d"})
  void refusesAnythingElseNamingTheForms(String text) {
    assertThatThrownBy(() -> Since.parse(text, NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--since '" + text + "'")
        .hasMessageContaining("7d, 12h, 30m");
  }

  @org.junit.jupiter.api.Test
  void nothingMeansEverything() {
    assertThat(Since.parse(null, NOW)).isNull();
  }
}
