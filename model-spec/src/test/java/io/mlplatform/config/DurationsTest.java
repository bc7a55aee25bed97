package io.mlplatform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "250ms, 250",
    "30s, 30000",
    "2m, 120000",
    "1h, 3600000",
    "0, 0",
    "0s, 0",
    "' 5 s ', 5000"
  })
  void readsEveryUnit(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"30", "1.5s", "-1s", "2d", "PT30S", "", "s", "1234567890h"})
  void refusesAnythingElseNamingTheSyntax(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'" + text + "' is not a duration such as 250ms, 30s, 2m or 1h (a bare 0 is zero)");
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "250, 250ms", "30000, 30s", "120000, 2m", "7200000, 2h", "90000, 90s"})
  void formatsTheShortestSpellingThatReadsBack(long millis, String text) {
    assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }
}
