package io.mlplatform.retraining;

import java.time.Duration;
import java.util.List;

/**
 * How one model is retrained.
 *
 * @param trainCommand the command that trains, before the spec and store arguments (bin/mlplatform
 *     train)
 * @param master Spark master passed to the training command, or null for its default (local[*])
 * @param timeout an attempt still running after this is killed and counts as failed
 * @param attempts tries per run, from 1; a bad spec (exit code 2) is never retried
 * @param retryDelay pause between attempts
 * @param skipUnchanged skip the run when the latest version was trained on exactly these data files
 * @param runsDir where run logs and lock files go
 * @param sparkConf Spark properties ({@code KEY=VALUE}) passed to the training command as {@code
 *     --spark-conf}, in order (on Kubernetes: the namespace, the driver pod's name and address)
 */
record RunPolicy(
    List<String> trainCommand,
    String master,
    Duration timeout,
    int attempts,
    Duration retryDelay,
    boolean skipUnchanged,
    java.nio.file.Path runsDir,
    List<String> sparkConf) {

  public RunPolicy {
    sparkConf = List.copyOf(sparkConf);
  }

  /** A policy that adds no Spark property (the schedule file has none). */
  RunPolicy(
      List<String> trainCommand,
      String master,
      Duration timeout,
      int attempts,
      Duration retryDelay,
      boolean skipUnchanged,
      java.nio.file.Path runsDir) {
    this(trainCommand, master, timeout, attempts, retryDelay, skipUnchanged, runsDir, List.of());
  }
}
