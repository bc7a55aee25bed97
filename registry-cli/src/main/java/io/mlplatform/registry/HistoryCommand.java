package io.mlplatform.registry;

import io.mlplatform.store.format.HistoryEvent;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    version = RegistryCommand.VERSION,
    description =
        "Every recorded change to a model, oldest first: publish, gate decisions, promote, rollback, delete.")
final class HistoryCommand extends StoreCommand {

  @Parameters(index = "0", paramLabel = "MODEL", description = "A model name.")
  String model;

  @picocli.CommandLine.Option(
      names = "--json",
      description =
          "Print the events as JSON, with each retraining run's full record (data files, attempts, log).")
  boolean json;

  @Override
  int run(ModelStore store, PrintWriter out) {
    List<HistoryEvent> events = store.history(model);
    if (events.isEmpty() && store.versions(model).isEmpty()) {
      throw new StoreException(
          StoreException.Kind.NOT_FOUND, "model " + model + " not found in " + store.uri());
    }
    if (json) {
      out.println(
          io.mlplatform.store.format.StoreJson.mapper().valueToTree(events).toPrettyString());
      return 0;
    }
    Table table = new Table("#", "WHEN", "WHO", "ACTION", "CHANGE", "WHY");
    for (HistoryEvent event : events) {
      table.add(
          Long.toString(event.sequence()),
          event.at(),
          event.by(),
          event.action().key(),
          change(event),
          event.reason() == null ? "" : RegistryCommand.oneLine(event.reason()));
    }
    table.print(out);
    return 0;
  }

  private static String change(HistoryEvent e) {
    return switch (e.action()) {
      case PUBLISH ->
          version(e.to()) + (e.from() == null ? "" : " (parent " + version(e.from()) + ")");
      case PROMOTE, ROLLBACK -> e.alias() + ": " + version(e.from()) + " -> " + version(e.to());
      case DELETE -> version(e.from());
      case GATE_PASSED, GATE_FAILED ->
          version(e.to()) + " for " + e.alias() + " (current " + version(e.from()) + ")";
      case RETRAIN ->
          (e.to() == null ? "no new version" : version(e.to()))
              + " (production was "
              + version(e.from())
              + ")";

      case PIN -> "pinned " + version(e.to()) + " (was " + version(e.from()) + ")";
      case UNPIN -> "unpinned " + version(e.from());
      case ROUTING_SET ->
          e.rule() == null
              ? "routing set"
              : e.rule().mode()
                  + " to "
                  + e.rule().candidate()
                  + " on "
                  + Math.round(e.rule().share() * 100)
                  + "%";
      case ROUTING_REMOVED -> "no routing rule";
    };
  }
}
