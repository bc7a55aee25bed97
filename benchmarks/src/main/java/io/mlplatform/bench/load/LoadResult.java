package io.mlplatform.bench.load;

/**
 * What one open-loop run measured. Latencies are in microseconds, from the moment each request was
 * due to be sent (not when it was sent), so a stalled server cannot hide its stall.
 *
 * @param targetRate requests per second asked for
 * @param achievedRate requests per second completed over the measured period
 * @param errors answers other than 200 plus failed exchanges
 */
public record LoadResult(
    String label,
    int connections,
    double targetRate,
    double seconds,
    long requests,
    double achievedRate,
    long errors,
    double p50Micros,
    double p99Micros,
    double p999Micros,
    double maxMicros,
    double meanMicros) {}
