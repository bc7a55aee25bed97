package io.mlplatform.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mlplatform.store.format.StoreJson;
import io.mlplatform.store.storage.ModelStore;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    version = RegistryCommand.VERSION,
    description =
        "Prints the manifest of a version (JSON): inputs, outputs, metrics, spec, lineage.")
final class ShowCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "MODEL", description = "A model name.")
  String model;

  @Parameters(
      index = "1",
      paramLabel = "VERSION|ALIAS",
      description = "A version (3 or v3) or an alias (production).")
  String reference;

  @Override
  int run(ModelStore store, PrintWriter out) {
    int version = store.resolve(model, reference);
    try {
      out.println(StoreJson.mapper().writeValueAsString(store.manifest(model, version)));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
    return 0;
  }
}
