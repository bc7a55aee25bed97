package io.mlplatform.registry;

import io.mlplatform.store.format.AliasChange;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.storage.ModelStore;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    version = RegistryCommand.VERSION,
    description = {
      "Points an alias (default: production) back at the version it had before the current one.",
      "Repeated rollbacks walk further back through the history; versions deleted since are skipped."
    })
final class RollbackCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "MODEL", description = "A model name.")
  String model;

  @Option(
      names = "--alias",
      paramLabel = "NAME",
      defaultValue = Layout.PRODUCTION,
      description = "The alias to roll back (default: ${DEFAULT-VALUE}).")
  String alias;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      required = true,
      description = "Why; recorded in the history.")
  String reason;

  @Override
  int run(ModelStore store, PrintWriter out) {
    AliasChange change = store.rollback(model, alias, reason(reason));
    out.println(
        model + " " + alias + " rolled back: " + version(change.from()) + " -> v" + change.to());
    out.flush();
    return 0;
  }
}
