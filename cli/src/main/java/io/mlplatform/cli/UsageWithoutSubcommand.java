package io.mlplatform.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A group of commands run without one of them: its usage on stderr, as for any usage error. */
abstract class UsageWithoutSubcommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine()
        .getErr()
        .println(
            spec.qualifiedName()
                + ": which command? One of "
                + String.join(", ", spec.subcommands().keySet())
                + ".");
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
