package io.mlplatform.serving.monitoring;

import io.mlplatform.serving.config.FeedbackSigningKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed feedback tokens: everything feedback needs about one scored instance travels with the
 * caller, so any replica holding the signing key can verify and count it without having seen the
 * prediction, and nothing is kept in memory per prediction.
 *
 * <p>A token is {@code base64url(payload) "." base64url(tag)}: the payload is a format byte, the
 * token id (a random per-process prefix and a counter: unique across the fleet), the issue time in
 * epoch milliseconds, the model's version, the numeric prediction (the class index for classifiers)
 * and the model's name; the tag is HMAC-SHA256 of the payload cut to 128 bits. The payload is
 * readable by the caller, who knows all of it anyway; the tag makes it unforgeable.
 */
public final class FeedbackTokens {

  /** What a verified token says about the instance it was issued for. */
  public record Claim(
      String id, long fingerprint, String model, int version, double prediction, Instant issued) {}

  private static final Logger LOG = LoggerFactory.getLogger(FeedbackTokens.class);
  private static final String ALGORITHM = "HmacSHA256";
  private static final byte FORMAT = 1;
  // format, id prefix, id counter, issue time, version, prediction; the model's name follows.
  private static final int FIXED = 1 + 8 + 8 + 8 + 4 + 8;
  private static final int TAG = 16; // 128 bits: forging stays a 2^-128 guess per try
  // A model name is at most a few dozen characters; anything longer is not a token of ours.
  private static final int MAX_CHARS = 1024;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final List<SecretKeySpec> keys;
  private final Duration lifetime;
  private final Clock clock;
  private final long prefix;
  private final AtomicLong counter = new AtomicLong();
  // Mac.getInstance costs far more than a MAC over 50 bytes: one per thread and key, reused.
  private final ThreadLocal<Mac[]> macs;

  /**
   * @param keys the first signs, every one verifies
   * @param lifetime how long a token is accepted after it was issued
   */
  public FeedbackTokens(List<byte[]> keys, Duration lifetime, Clock clock) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one signing key is needed");
    }
    List<SecretKeySpec> specs = new ArrayList<>();
    keys.forEach(k -> specs.add(new SecretKeySpec(k.clone(), ALGORITHM)));
    this.keys = List.copyOf(specs);
    this.lifetime = lifetime;
    this.clock = clock;
    this.prefix = new SecureRandom().nextLong();
    this.macs = ThreadLocal.withInitial(this::newMacs);
    newMacs(); // fails here, at start, if the JVM lacks HmacSHA256
  }

  /**
   * Tokens signed with the configured keys; without any, with a random key of this process, which
   * other replicas cannot verify (logged as a warning).
   */
  public static FeedbackTokens from(
      FeedbackSigningKeys configured, Duration lifetime, Clock clock) {
    if (configured.configured()) {
      return new FeedbackTokens(configured.bytes(), lifetime, clock);
    }
    LOG.warn(
        "no feedbackSigningKey (or MLPLATFORM_FEEDBACK_SIGNING_KEY) is configured: feedback tokens"
            + " are signed with a random key of this process and verify only on this replica"
            + " until it restarts; give every replica the same key");
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return new FeedbackTokens(List.of(random), lifetime, clock);
  }

  public Duration lifetime() {
    return lifetime;
  }

  /** The time tokens issued now will carry, in epoch milliseconds. */
  long now() {
    return clock.millis();
  }

  /** A token for one instance scored by {@code model} v{@code version} at {@code issuedMillis}. */
  public String issue(String model, int version, double prediction, long issuedMillis) {
    byte[] name = model.getBytes(StandardCharsets.UTF_8);
    byte[] payload =
        ByteBuffer.allocate(FIXED + name.length)
            .put(FORMAT)
            .putLong(prefix)
            .putLong(counter.incrementAndGet())
            .putLong(issuedMillis)
            .putInt(version)
            .putDouble(prediction)
            .put(name)
            .array();
    byte[] tag = tag(macs.get()[0], payload);
    return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(tag);
  }

  /**
   * Checks a token's form, signature and age, in that order: nothing in a token is believed before
   * its signature is.
   *
   * @throws FeedbackException MALFORMED_TOKEN, BAD_SIGNATURE or EXPIRED
   */
  public Claim verify(String token) {
    byte[] payload;
    byte[] tag;
    int dot = token.indexOf('.');
    if (token.length() > MAX_CHARS || dot < 0 || dot != token.lastIndexOf('.')) {
      throw malformed("it is not two base64url parts joined by '.'");
    }
    try {
      payload = DECODER.decode(token.substring(0, dot));
      tag = DECODER.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw malformed("it is not base64url");
    }
    if (payload.length <= FIXED || tag.length != TAG) {
      throw malformed("it is " + payload.length + "+" + tag.length + " bytes long");
    }
    if (payload[0] != FORMAT) {
      throw malformed(
          "format " + payload[0] + " is unknown here (this service issues " + FORMAT + ")");
    }
    if (!signed(payload, tag)) {
      throw new FeedbackException(
          FeedbackException.Reason.BAD_SIGNATURE,
          "'token' has an invalid signature: it was altered, forged, or signed with another key"
              + " (replicas verify each other's tokens only when they share feedbackSigningKey)");
    }
    ByteBuffer in = ByteBuffer.wrap(payload, 1, payload.length - 1);
    long idPrefix = in.getLong();
    long serial = in.getLong();
    Instant issued = Instant.ofEpochMilli(in.getLong());
    int version = in.getInt();
    double prediction = in.getDouble();
    String model = new String(payload, FIXED, payload.length - FIXED, StandardCharsets.UTF_8);
    Instant expired = issued.plus(lifetime);
    if (!clock.instant().isBefore(expired)) {
      throw new FeedbackException(
          FeedbackException.Reason.EXPIRED,
          "'token' expired at "
              + expired
              + ": it was issued at "
              + issued
              + " and tokens are accepted for "
              + lifetime
              + " (feedbackRetention)");
    }
    return new Claim(
        ENCODER.encodeToString(Arrays.copyOfRange(payload, 1, 17)),
        fingerprint(idPrefix, serial),
        model,
        version,
        prediction,
        issued);
  }

  private boolean signed(byte[] payload, byte[] tag) {
    for (Mac mac : macs.get()) {
      if (MessageDigest.isEqual(tag(mac, payload), tag)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] tag(Mac mac, byte[] payload) {
    return Arrays.copyOf(mac.doFinal(payload), TAG);
  }

  /** A well-mixed 64 bits of the id, never 0 (0 is an empty slot of {@link RecentIds}). */
  private static long fingerprint(long idPrefix, long serial) {
    long h = idPrefix * 0x9E3779B97F4A7C15L ^ serial;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }

  private Mac[] newMacs() {
    Mac[] result = new Mac[keys.size()];
    try {
      for (int i = 0; i < result.length; i++) {
        result[i] = Mac.getInstance(ALGORITHM);
        result[i].init(keys.get(i));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is unavailable in this JVM", e);
    }
    return result;
  }

  private static FeedbackException malformed(String why) {
    return new FeedbackException(
        FeedbackException.Reason.MALFORMED_TOKEN,
        "'token' is not a feedback token ("
            + why
            + "): send the feedbackToken of a prediction as it was received");
  }
}
