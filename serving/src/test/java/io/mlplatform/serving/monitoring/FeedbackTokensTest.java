package io.mlplatform.serving.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeedbackTokensTest {

  private static final byte[] KEY = "k".repeat(32).getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER_KEY = "o".repeat(32).getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-12-07T15:00:00.123Z");
  private static final Duration HOUR = Duration.ofHours(1);

  @Test
  void aTokenCarriesModelVersionPredictionAndTimeAndIsCompact() {
    FeedbackTokens tokens = tokens(KEY, NOW);

    String token = tokens.issue("penguins", 3, 2.0, NOW.toEpochMilli());
    FeedbackTokens.Claim claim = tokens.verify(token);

    assertThat(claim.model()).isEqualTo("penguins");
    assertThat(claim.version()).isEqualTo(3);
    assertThat(claim.prediction()).isEqualTo(2.0);
    assertThat(claim.issued()).isEqualTo(NOW);
    assertThat(claim.id()).hasSize(22);
    // 37 fixed bytes + the name, base64url, a dot, a 128-bit tag: 83 characters for "penguins".
    assertThat(token).hasSize(83).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}");
  }

  @Test
  void everyTokenHasItsOwnIdEvenAcrossProcesses() {
    FeedbackTokens one = tokens(KEY, NOW);
    FeedbackTokens two = tokens(KEY, NOW); // another process: another random id prefix
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 5000; i++) {
      ids.add(one.verify(one.issue("penguins", 1, 0, NOW.toEpochMilli())).id());
      ids.add(two.verify(two.issue("penguins", 1, 0, NOW.toEpochMilli())).id());
    }
    assertThat(ids).hasSize(10_000);
  }

  @Test
  void anotherReplicaWithTheSameKeyVerifiesIt() {
    String token = tokens(KEY, NOW).issue("penguins", 3, 1.0, NOW.toEpochMilli());

    assertThat(tokens(KEY, NOW.plusSeconds(5)).verify(token).prediction()).isEqualTo(1.0);
  }

  @Test
  void aTokenSignedWithAnotherKeyIsRefusedAsBadlySigned() {
    String token = tokens(OTHER_KEY, NOW).issue("penguins", 3, 1.0, NOW.toEpochMilli());

    assertRefused(tokens(KEY, NOW), token, FeedbackException.Reason.BAD_SIGNATURE, "signature");
  }

  @Test
  void anAlteredPredictionOrTagIsRefused() {
    String token = tokens(KEY, NOW).issue("penguins", 3, 1.0, NOW.toEpochMilli());
    String[] parts = token.split("\\.");
    byte[] payload = Base64.getUrlDecoder().decode(parts[0]);
    payload[payload.length - "penguins".length() - 1] ^= 1; // the prediction's last byte
    String altered =
        Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "." + parts[1];
    byte[] tag = Base64.getUrlDecoder().decode(parts[1]);
    tag[0] ^= 1;
    String badTag = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(tag);

    assertRefused(tokens(KEY, NOW), altered, FeedbackException.Reason.BAD_SIGNATURE, "altered");
    assertRefused(tokens(KEY, NOW), badTag, FeedbackException.Reason.BAD_SIGNATURE, "forged");
  }

  @Test
  void anOldKeyKeptForVerifyingAcceptsTokensDuringARotation() {
    String old = tokens(OTHER_KEY, NOW).issue("penguins", 3, 1.0, NOW.toEpochMilli());
    FeedbackTokens rotated =
        new FeedbackTokens(List.of(KEY, OTHER_KEY), HOUR, Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(rotated.verify(old).version()).isEqualTo(3);
    // New tokens are signed with the first key: a replica that only has the new key accepts them.
    assertThat(tokens(KEY, NOW).verify(rotated.issue("penguins", 3, 1.0, NOW.toEpochMilli())))
        .isNotNull();
  }

  @Test
  void aTokenOlderThanTheRetentionIsRefusedSayingWhenItExpired() {
    String token = tokens(KEY, NOW).issue("penguins", 3, 1.0, NOW.toEpochMilli());

    assertThat(tokens(KEY, NOW.plus(HOUR).minusMillis(1)).verify(token)).isNotNull();
    assertRefused(
        tokens(KEY, NOW.plus(HOUR)),
        token,
        FeedbackException.Reason.EXPIRED,
        "expired at 2026-12-07T16:00:00.123Z");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "abc",
        "a.b.c",
        "!!!!.????",
        "AAAA.AAAA",
        "penguins:3:1.0",
        "AQ.AAAAAAAAAAAAAAAAAAAAAA"
      })
  void somethingThatIsNotATokenIsMalformed(String token) {
    assertRefused(
        tokens(KEY, NOW), token, FeedbackException.Reason.MALFORMED_TOKEN, "not a feedback token");
  }

  @Test
  void anUnknownFormatIsMalformedNotForged() {
    String token = tokens(KEY, NOW).issue("penguins", 3, 1.0, NOW.toEpochMilli());
    byte[] payload = Base64.getUrlDecoder().decode(token.split("\\.")[0]);
    payload[0] = 9;
    String future =
        Base64.getUrlEncoder().withoutPadding().encodeToString(payload)
            + "."
            + token.split("\\.")[1];

    assertRefused(tokens(KEY, NOW), future, FeedbackException.Reason.MALFORMED_TOKEN, "format 9");
  }

  private static FeedbackTokens tokens(byte[] key, Instant now) {
    return new FeedbackTokens(List.of(key), HOUR, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static void assertRefused(
      FeedbackTokens tokens, String token, FeedbackException.Reason reason, String message) {
    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOfSatisfying(
            FeedbackException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.getMessage()).contains(message);
            });
  }
}
