package io.mlplatform.retraining;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One attempt: the training command as a child process, its output in a log file, killed past the
 * timeout.
 */
final class TrainingAttempt {

  /** Time a killed attempt gets to exit after SIGTERM before it is killed outright. */
  private static final Duration KILL_GRACE = Duration.ofSeconds(10);

  record Result(int exitCode, boolean timedOut, Path log, Instant startedAt, Instant endedAt) {

    String describe() {
      return timedOut
          ? "timed out and was killed (see " + log + ")"
          : "failed with exit code " + exitCode + " (see " + log + ")";
    }

    Map<String, Object> asRecord() {
      Map<String, Object> record = new LinkedHashMap<>();
      record.put("startedAt", startedAt.toString());
      record.put("endedAt", endedAt.toString());
      record.put("exitCode", exitCode);
      record.put("timedOut", timedOut);
      record.put("log", log.toAbsolutePath().toString());
      return record;
    }
  }

  private TrainingAttempt() {}

  static Result run(List<String> command, Path log, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    Instant start = Instant.now();
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return new Result(process.exitValue(), false, log, start, Instant.now());
      }
      kill(process);
      Files.writeString(
          log,
          "\n[retrain] killed after the timeout of " + timeout + "\n",
          java.nio.file.StandardOpenOption.APPEND);
      return new Result(124, true, log, start, Instant.now());
    } finally {
      if (process.isAlive()) {
        kill(process);
      }
    }
  }

  /** The training command starts a JVM (and Spark may start more): stop the whole tree. */
  private static void kill(Process process) throws InterruptedException {
    List<ProcessHandle> tree = process.descendants().toList();
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      tree.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
    }
    for (ProcessHandle child : tree) {
      child.onExit().completeOnTimeout(child, KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS).join();
      child.destroyForcibly();
    }
  }
}
