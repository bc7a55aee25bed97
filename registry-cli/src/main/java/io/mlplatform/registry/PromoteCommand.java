package io.mlplatform.registry;

import io.mlplatform.store.format.AliasChange;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.storage.ModelStore;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    version = RegistryCommand.VERSION,
    description = {
      "Points an alias (default: production) at a version, in one atomic step.",
      "The version must be complete: its manifest readable and its bundle present."
    })
final class PromoteCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "MODEL", description = "A model name.")
  String model;

  @Parameters(
      index = "1",
      paramLabel = "VERSION",
      description = "A version (3 or v3), or an alias to copy (staging).")
  String reference;

  @Option(
      names = "--alias",
      paramLabel = "NAME",
      defaultValue = Layout.PRODUCTION,
      description = "The alias to set (default: ${DEFAULT-VALUE}).")
  String alias;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      required = true,
      description = "Why; recorded in the history.")
  String reason;

  @Override
  int run(ModelStore store, PrintWriter out) {
    AliasChange change = store.setAlias(model, alias, store.resolve(model, reference), reason);
    out.println(
        change.changed()
            ? model + " " + alias + ": " + version(change.from()) + " -> v" + change.to()
            : model + " " + alias + " is already v" + change.to() + "; nothing changed");
    out.flush();
    return 0;
  }
}
