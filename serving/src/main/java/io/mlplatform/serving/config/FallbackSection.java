package io.mlplatform.serving.config;

import java.time.Duration;

/**
 * The fallback keys of serving.yaml: when the default route falls back to the previous version.
 *
 * @param errorRate share of failed requests in the window above which the default route falls back
 *     to the version it served before; 1 turns fallback off (a rate cannot exceed 1)
 * @param window how far back the error rate looks
 * @param minRequests requests the window must hold before the rate is trusted
 */
public record FallbackSection(double errorRate, Duration window, int minRequests) {
  public static final FallbackSection DEFAULTS =
      new FallbackSection(0.5, Duration.ofSeconds(60), 20);
}
