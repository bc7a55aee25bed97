package io.mlplatform.serving.config;

import java.time.Duration;

/**
 * The shutdown keys of serving.yaml: how SIGTERM drains the process.
 *
 * @param delay time between readiness turning 503 and the listener closing, so that load balancers
 *     stop sending new requests before the server stops accepting them
 * @param grace most time in-flight requests get to finish after that; the process then exits
 */
public record ShutdownSection(Duration delay, Duration grace) {
  public static final ShutdownSection DEFAULTS =
      new ShutdownSection(Duration.ofSeconds(2), Duration.ofSeconds(30));
}
