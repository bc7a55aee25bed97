package io.mlplatform.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The distribution this build packaged (distribution/target/mlplatform-VERSION.tar.gz), unpacked
 * the way a user unpacks it: with tar, into a directory of its own.
 */
final class Distribution {

  private Distribution() {}

  /** The tarball; e2e-tests depends on the distribution module, so {@code mvn verify} built it. */
  static Path tarball() {
    String configured = System.getProperty("mlplatform.distribution");
    Path tarball =
        configured != null
            ? Path.of(configured)
            : TrainingProcess.projectRoot().resolve("distribution/target/mlplatform.tar.gz");
    if (!Files.isRegularFile(tarball)) {
      throw new IllegalStateException(
          tarball + " is missing: run `mvn -B -DskipTests package` from the project root");
    }
    return tarball;
  }

  /**
   * Unpacks the tarball into {@code dir} (which should be empty); returns its one top directory.
   */
  static Path unpack(Path dir) throws IOException, InterruptedException {
    Process tar =
        new ProcessBuilder("tar", "-xzf", tarball().toString(), "-C", dir.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(tar.getInputStream().readAllBytes());
    if (!tar.waitFor(5, TimeUnit.MINUTES) || tar.exitValue() != 0) {
      throw new IllegalStateException("tar -xzf " + tarball() + " failed: " + output);
    }
    try (Stream<Path> top = Files.list(dir)) {
      List<Path> entries = top.toList();
      if (entries.size() != 1 || !Files.isDirectory(entries.get(0))) {
        throw new IllegalStateException(
            "the tarball unpacks to " + entries + ", not to one top directory");
      }
      return entries.get(0);
    }
  }
}
