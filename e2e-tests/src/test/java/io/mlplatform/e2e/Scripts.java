package io.mlplatform.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the project's scripts/ as a user would, against the jars this build packaged. */
final class Scripts {

  record Outcome(int exitCode, String output) {}

  private Scripts() {}

  static Outcome run(Path log, long timeoutMinutes, String script, String... args) {
    List<String> command = new ArrayList<>();
    command.add(TrainingProcess.projectRoot().resolve("scripts").resolve(script).toString());
    command.addAll(List.of(args));
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(TrainingProcess.projectRoot().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      // The build already packaged everything; a script must not start another Maven build.
      builder.environment().put("MLPLATFORM_NO_BUILD", "1");
      Process process = builder.start();
      if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "scripts/" + script + " did not finish in " + timeoutMinutes + " min; see " + log);
      }
      return new Outcome(process.exitValue(), Files.readString(log));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run scripts/" + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
