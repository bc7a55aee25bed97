package io.mlplatform.serving.config;

import java.time.Duration;

/**
 * The model keys of serving.yaml: how versions are found, checked and warmed up.
 *
 * @param pollInterval how often the store is read for new versions and alias changes; zero turns
 *     polling off (then only start-up and {@code POST /v1/admin/reload} read it)
 * @param selfTest whether a version must reproduce its reference rows before it serves
 * @param selfTestTolerance largest difference from training's outputs that still passes
 * @param warmupRows single-row scorings run on a new version before it takes traffic
 * @param maxBundleBytes most bytes a bundle may expand to; stops zip bombs before MLeap reads them
 * @param maxBundleEntries most entries a bundle zip may have
 */
public record ModelsSection(
    Duration pollInterval,
    SelfTestMode selfTest,
    double selfTestTolerance,
    int warmupRows,
    long maxBundleBytes,
    int maxBundleEntries) {

  public static final ModelsSection DEFAULTS =
      new ModelsSection(
          Duration.ofSeconds(30),
          SelfTestMode.REQUIRED,
          1e-9, // the platform's parity claim: probabilities within 1e-9 of Spark's
          1000, // ~50 ms for a GBT pipeline; enough for the JIT to compile the scoring path
          1L << 30, // 1 GiB expanded: far above any tree ensemble trained here (tens of KB)
          10_000); // a pipeline of n stages has ~3n entries
}
