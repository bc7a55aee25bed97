package io.mlplatform.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command this JVM checks but does not run: train and batch-score need spark-submit, cluster,
 * bench and quickstart are shell programs. bin/mlplatform starts this JVM with {@code
 * -Dmlplatform.plan=FILE}; a command whose arguments parse writes what to run into FILE
 * (NUL-separated words) and bin/mlplatform runs it. So options are parsed, defaulted and refused in
 * one place, and --help is the same tree for all.
 *
 * <p>Plans: {@code spark MAIN_CLASS MASTER [spark-submit options] -- [job arguments]} or {@code
 * shell PROGRAM [canonical options]} (scripts/lib/PROGRAM.sh).
 */
abstract class Launched implements Callable<Integer> {

  static final String PLAN_PROPERTY = "mlplatform.plan";

  @Spec CommandSpec spec;

  /** What bin/mlplatform runs, options already checked and defaults filled in. */
  abstract List<String> plan();

  @Override
  public final Integer call() {
    List<String> plan = plan();
    String file = System.getProperty(PLAN_PROPERTY);
    if (file == null) {
      spec.commandLine()
          .getErr()
          .println(
              spec.qualifiedName()
                  + ": runs through bin/mlplatform, which starts "
                  + (plan.get(0).equals("spark") ? "spark-submit" : "a shell program")
                  + " for it");
      return ExitCodes.USAGE;
    }
    StringBuilder words = new StringBuilder();
    plan.forEach(word -> words.append(word).append('\0'));
    try {
      Files.writeString(Path.of(file), words, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the launch plan " + file, e);
    }
    return ExitCodes.OK;
  }
}
