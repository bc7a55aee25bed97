package io.mlplatform.cli;

import io.mlplatform.config.RenamedVariables;
import io.mlplatform.registry.RegistryCommand;
import io.mlplatform.retraining.RetrainCommand;
import io.mlplatform.retraining.SchedulerCommand;
import io.mlplatform.serving.Main;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code mlplatform}, the one command of the platform: every other command is a subcommand of this
 * one, so there is one help tree, one spelling of each option and one exit-code table.
 * bin/mlplatform starts it.
 */
@Command(
    name = "mlplatform",
    mixinStandardHelpOptions = true,
    versionProvider = Mlplatform.Version.class,
    description =
        "Trains Spark MLlib pipelines from a spec, keeps them in a versioned model store and serves them"
            + " over REST with no Spark on the request path.",
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "'mlplatform COMMAND --help' shows a command's options; docs/cli.md has them all.",
      "",
      "Environment: MLPLATFORM_STORE (the model store, as --store), MLPLATFORM_HOST, MLPLATFORM_PORT,"
          + " MLPLATFORM_API_KEYS, MLPLATFORM_AUTH_ENABLED (serve), MLPLATFORM_USER (who changed an alias),"
          + " MLPLATFORM_NO_BUILD=1 (bin/mlplatform never builds the project on first use).",
      "",
      "Bash completion: source <(mlplatform completion)."
    })
public final class Mlplatform extends UsageWithoutSubcommand {

  public static void main(String[] args) {
    CommandLine cli =
        commandLine(
            System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    int code = cli.execute(args);
    // A started service keeps the JVM alive on its own threads until SIGTERM; everything else is
    // done.
    if (code != 0 || !startedService(cli.getParseResult())) {
      System.exit(code);
    }
  }

  /** Runs one command line in this JVM and returns its exit code (tests; main also exits). */
  static int execute(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    return commandLine(env, out, err).execute(args);
  }

  /** The whole tree, with the output, error handling and help layout every command shares. */
  static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Mlplatform());
    cli.addSubcommand("train", new TrainCli());
    cli.addSubcommand("serve", new Main());
    cli.getSubcommands()
        .get("serve")
        .setCommandName("serve"); // the service's own main calls itself serving
    cli.addSubcommand("batch-score", new BatchScoreCli());
    cli.addSubcommand("monitor", new MonitorCli(env));
    cli.addSubcommand("registry", new RegistryCommand());
    cli.addSubcommand("retrain", new RetrainCommand());
    cli.addSubcommand("scheduler", new SchedulerCommand());
    cli.addSubcommand("cluster", new ClusterCommand());
    cli.addSubcommand("bench", new BenchCommand());
    cli.addSubcommand("quickstart", new QuickstartCommand(env));
    cli.addSubcommand("completion", new CompletionCommand());
    cli.addSubcommand("help", new CommandLine.HelpCommand());
    // Every setting below is copied to the subcommands added above, so it must come after them.
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // Wide enough for the footers' tables and examples; a narrower terminal wraps them.
    cli.setUsageHelpWidth(110);
    cli.getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new CommandTree());
    forEach(
        cli,
        command ->
            command
                .getCommandSpec()
                .usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCodes.usageList()));
    cli.setParameterExceptionHandler(
        (e, args) -> {
          CommandSpec spec = e.getCommandLine().getCommandSpec();
          e.getCommandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
          e.getCommandLine().getErr().println("Try '" + spec.qualifiedName() + " --help'.");
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, command, parseResult) -> {
          String message = e.getMessage() == null ? e.toString() : e.getMessage();
          command
              .getErr()
              .println(
                  command.getCommandSpec().qualifiedName()
                      + ": "
                      + message.replaceAll("\\s*\\R\\s*", " "));
          return RegistryCommand.exitCode(e);
        });
    cli.setExecutionStrategy(
        parseResult -> {
          Integer help = CommandLine.executeHelpRequest(parseResult);
          if (help != null) {
            return help;
          }
          List<String> renamed = RenamedVariables.problems(env);
          if (!renamed.isEmpty()) {
            renamed.forEach(problem -> err.println("mlplatform: " + problem));
            return ExitCodes.USAGE;
          }
          return new CommandLine.RunLast().execute(parseResult);
        });
    return cli;
  }

  static void forEach(CommandLine command, java.util.function.Consumer<CommandLine> action) {
    action.accept(command);
    command.getSubcommands().values().stream().distinct().forEach(sub -> forEach(sub, action));
  }

  private static boolean startedService(ParseResult parseResult) {
    List<CommandLine> chain = parseResult.asCommandLineList();
    CommandLine last = chain.get(chain.size() - 1);
    return last.getCommandSpec().userObject() instanceof Main
        && !last.isUsageHelpRequested()
        && !last.isVersionHelpRequested();
  }

  /** --version: the build's version, written into the jar by Maven. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = Mlplatform.class.getResourceAsStream("/mlplatform-cli.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {"mlplatform " + properties.getProperty("version", "(unknown version)")};
    }
  }
}
