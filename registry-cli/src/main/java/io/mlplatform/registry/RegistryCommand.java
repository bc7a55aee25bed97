package io.mlplatform.registry;

import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * mlplatform registry: inspect a model store and move its aliases. Exit codes: 0 done, 1 the store
 * or its file system failed (including a malformed file in the store), 2 bad usage or an unknown
 * model, version or alias. Errors are one line on stderr, never a stack trace.
 */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    version = RegistryCommand.VERSION,
    description = {
      "Lists, inspects, promotes, rolls back and deletes model versions in a model store.",
      "Every change is recorded in the model's history with who ($MLPLATFORM_USER, else the OS user),"
          + " when, from, to and why (--reason, required by promote, rollback and delete)."
    },
    subcommands = {
      ListCommand.class,
      ShowCommand.class,
      PromoteCommand.class,
      RollbackCommand.class,
      DeleteCommand.class,
      HistoryCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:the store or its file system failed",
      "2:bad usage, or an unknown model, version or alias"
    })
public final class RegistryCommand implements Callable<Integer> {

  /** What --version prints: the store format this build reads and writes. */
  static final String VERSION = "registry (model store format " + Manifest.FORMAT_VERSION + ")";

  static final int FAILED = 1;
  static final int INVALID = 2;

  @Option(
      names = "--store",
      paramLabel = "URI",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:MLPLATFORM_STORE:-" + ModelStore.DEFAULT_LOCATION + "}",
      description =
          "Model store: a local path or any Hadoop FileSystem URI (hdfs://..., s3a://...)."
              + " Default: $MLPLATFORM_STORE, else ${DEFAULT-VALUE}.")
  String store;

  public static void main(String[] args) {
    int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    System.exit(code);
  }

  /** Runs the command and returns its exit code, without exiting the JVM. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new RegistryCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (e, ignored) -> {
          CommandLine command = e.getCommandLine();
          command.getErr().println(command.getCommandName() + ": " + e.getMessage());
          command
              .getErr()
              .println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
          return INVALID;
        });
    cli.setExecutionExceptionHandler(
        (e, command, parseResult) -> {
          command
              .getErr()
              .println(
                  "registry: " + oneLine(e.getMessage() == null ? e.toString() : e.getMessage()));
          return exitCode(e);
        });
    return cli.execute(args);
  }

  @Spec CommandSpec spec;

  /** Without a subcommand: say what there is to do, as for any other usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return INVALID;
  }

  ModelStore open() {
    return ModelStore.open(store);
  }

  /** 2 for what the operator can fix (unknown model, version or alias, bad input), else 1. */
  public static int exitCode(Exception e) {
    if (e instanceof StoreException s) {
      return switch (s.kind()) {
        case NOT_FOUND, INVALID -> INVALID;
        case CORRUPT, IO -> FAILED;
      };
    }
    return FAILED;
  }

  /** Parser messages (Jackson's among them) span lines; an operator's terminal wants one. */
  static String oneLine(String message) {
    return message.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
