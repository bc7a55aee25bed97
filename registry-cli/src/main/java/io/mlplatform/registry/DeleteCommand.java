package io.mlplatform.registry;

import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    version = RegistryCommand.VERSION,
    description = {
      "Deletes a version no alias points at.",
      "It disappears in one step; its manifest is kept under MODEL/deleted/ and its number is never reused."
    })
final class DeleteCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "MODEL", description = "A model name.")
  String model;

  @Parameters(index = "1", paramLabel = "VERSION", description = "A version (3 or v3).")
  String reference;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      required = true,
      description = "Why; recorded in the history.")
  String reason;

  @Override
  int run(ModelStore store, PrintWriter out) {
    if (!reference.matches("[vV]?[0-9]+")) {
      // An alias never names a deletable version: aliased versions are refused.
      throw new StoreException(
          StoreException.Kind.INVALID,
          "VERSION must be a version number such as 3 or v3, got '" + reference + "'");
    }
    String why = reason(reason);
    int version = store.resolve(model, reference);
    store.deleteVersion(model, version, why);
    out.println("deleted " + model + " v" + version);
    out.flush();
    return 0;
  }
}
