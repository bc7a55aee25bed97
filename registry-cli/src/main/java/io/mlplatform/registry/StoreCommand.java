package io.mlplatform.registry;

import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the store named by the global --store option and the output. */
abstract class StoreCommand implements Callable<Integer> {

  @ParentCommand RegistryCommand registry;

  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    return run(registry.open(), spec.commandLine().getOut());
  }

  abstract int run(ModelStore store, PrintWriter out);

  /**
   * The one rule of promote, rollback and delete: the history says why, so a blank reason is
   * refused.
   */
  static String reason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new StoreException(
          StoreException.Kind.INVALID, "a reason is required: say why, it goes into the history");
    }
    return reason.trim();
  }

  static String version(Integer version) {
    return version == null ? "(none)" : "v" + version;
  }
}
