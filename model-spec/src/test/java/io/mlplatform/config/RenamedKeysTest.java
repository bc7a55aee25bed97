package io.mlplatform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RenamedKeysTest {

  private static final RenamedKeys RENAMED =
      RenamedKeys.of("label", "target", "split.test_fraction", "split.testFraction");

  @Test
  void namesTheOldAndTheNewKeyWithTheirPaths() {
    assertThat(RENAMED.problem("", "label")).contains("key 'label' was renamed to 'target'");
    assertThat(RENAMED.problem("split", "test_fraction"))
        .contains("key 'split.test_fraction' was renamed to 'split.testFraction'");
  }

  @Test
  void saysNothingAboutKeysThatWereNotRenamed() {
    assertThat(RENAMED.problem("", "target")).isEmpty();
    assertThat(RENAMED.problem("data", "label")).as("same name, other section").isEmpty();
  }

  @Test
  void refusesAnOddListOfPairs() {
    assertThatThrownBy(() -> RenamedKeys.of("label")).isInstanceOf(IllegalArgumentException.class);
  }
}
