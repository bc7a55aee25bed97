package io.mlplatform.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * podman as this machine needs it: the runc runtime (crun fails on hosts with hybrid cgroups) and
 * explicit ulimits on every container (the defaults fail in setrlimit), as deploy/images/build
 * passes them to its builds.
 */
final class Podman {

  static final List<String> ULIMITS =
      List.of("--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096");

  record Outcome(int exitCode, String output) {
    Outcome orFail(String what) {
      if (exitCode != 0) {
        throw new IllegalStateException(
            what + " failed with exit code " + exitCode + ":\n" + output);
      }
      return this;
    }
  }

  private Podman() {}

  /** Whether podman is installed at all (.ci/run installs it). */
  static boolean installed() {
    try {
      return run(Duration.ofSeconds(30), "--version").exitCode() == 0;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** podman --runtime runc ARGS..., its output (stdout and stderr) in memory. */
  static Outcome run(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of("podman", "--runtime", "runc"));
    command.addAll(List.of(args));
    try {
      Path output = Files.createTempFile("podman", ".log");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(
              String.join(" ", command) + " did not finish in " + timeout + ":\n" + read(output));
        }
        return new Outcome(process.exitValue(), read(output));
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Removes a container by name, running or not; nothing happens when there is none. */
  static void remove(String container) {
    run(Duration.ofMinutes(1), "rm", "--force", "--ignore", "--time", "0", container);
  }

  /** The image's size in bytes, as podman counts it (all layers, the base image's included). */
  static long imageSize(String image) {
    return Long.parseLong(
        run(Duration.ofSeconds(30), "image", "inspect", "--format", "{{.Size}}", image)
            .orFail("podman image inspect " + image)
            .output()
            .trim());
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
