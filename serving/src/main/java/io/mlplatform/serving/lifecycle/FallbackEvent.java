package io.mlplatform.serving.lifecycle;

/**
 * The default route left a failing version for the one it served before.
 *
 * @param from the version that failed too often; it stays loaded for explicit version requests
 * @param to the version serving instead
 * @param at ISO-8601 instant
 * @param reason the error rate that triggered it
 */
public record FallbackEvent(int from, int to, String at, String reason) {}
