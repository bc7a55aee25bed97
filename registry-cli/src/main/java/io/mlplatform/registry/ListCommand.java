package io.mlplatform.registry;

import io.mlplatform.store.format.Alias;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.StoreException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    version = RegistryCommand.VERSION,
    description = {
      "Without MODEL: every model with its version count, latest version and aliases.",
      "With MODEL: its versions with creation time, aliases and held-out metrics."
    })
final class ListCommand extends StoreCommand {

  @Parameters(arity = "0..1", paramLabel = "MODEL", description = "A model name.")
  String model;

  @Override
  int run(ModelStore store, PrintWriter out) {
    return model == null ? listModels(store, out) : listVersions(store, out);
  }

  private static int listModels(ModelStore store, PrintWriter out) {
    List<String> models = store.models();
    if (models.isEmpty()) {
      out.println("no models in " + store.uri());
      return 0;
    }
    Table table = new Table("MODEL", "VERSIONS", "LATEST", "ALIASES");
    for (String name : models) {
      List<Integer> versions = store.versions(name);
      table.add(
          name,
          Integer.toString(versions.size()),
          "v" + versions.get(versions.size() - 1),
          aliases(store.aliases(name)));
    }
    table.print(out);
    return 0;
  }

  private int listVersions(ModelStore store, PrintWriter out) {
    List<Integer> versions = store.versions(model);
    if (versions.isEmpty()) {
      throw new StoreException(
          StoreException.Kind.NOT_FOUND, "model " + model + " not found in " + store.uri());
    }
    Map<Integer, List<String>> aliasesByVersion = new TreeMap<>();
    for (Alias alias : store.aliases(model)) {
      aliasesByVersion
          .computeIfAbsent(alias.version(), v -> new java.util.ArrayList<>())
          .add(alias.name());
    }
    Table table = new Table("VERSION", "CREATED", "ALIASES", "METRICS");
    StoreException unreadable = null;
    for (int version : versions) {
      String aliases = String.join(",", aliasesByVersion.getOrDefault(version, List.of()));
      try {
        Manifest manifest = store.manifest(model, version);
        table.add(
            "v" + version,
            manifest.createdAt(),
            aliases.isEmpty() ? "-" : aliases,
            metrics(manifest.metrics()));
      } catch (StoreException e) {
        if (e.kind() != StoreException.Kind.CORRUPT) {
          throw e;
        }
        // One broken manifest should not hide the other versions; the exit code still says so.
        table.add("v" + version, "?", aliases.isEmpty() ? "-" : aliases, "MALFORMED MANIFEST");
        unreadable = e;
      }
    }
    table.print(out);
    if (unreadable != null) {
      throw unreadable;
    }
    return 0;
  }

  private static String aliases(List<Alias> aliases) {
    return aliases.isEmpty()
        ? "-"
        : aliases.stream()
            .map(a -> a.name() + "=v" + a.version())
            .collect(Collectors.joining(", "));
  }

  private static String metrics(Map<String, Double> metrics) {
    return new TreeMap<>(metrics)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.4f", e.getValue()))
            .collect(Collectors.joining(" "));
  }
}
