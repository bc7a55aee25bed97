package io.mlplatform.serving.lifecycle;

import java.util.stream.Collectors;

/** Finds the loaded version a {@link Selector} names in one entry, or says why there is none. */
final class Selection {

  private Selection() {}

  static LoadedModel select(ModelEntry entry, Selector selector) {
    if (selector instanceof Selector.Version v) {
      return byVersion(entry, v.number(), "v" + v.number());
    }
    if (selector instanceof Selector.Alias alias) {
      Integer version = entry.aliases().get(alias.alias());
      if (version == null) {
        throw new SelectionException(
            SelectionException.Reason.ALIAS_NOT_FOUND,
            "model '"
                + entry.name()
                + "' has no alias '"
                + alias.alias()
                + "' (aliases: "
                + (entry.aliases().isEmpty() ? "none" : String.join(", ", entry.aliases().keySet()))
                + ")");
      }
      return byVersion(entry, version, "alias '" + alias.alias() + "' (v" + version + ")");
    }
    return entry
        .loadedModel()
        .orElseThrow(
            () ->
                new SelectionException(
                    SelectionException.Reason.UNAVAILABLE,
                    "model '"
                        + entry.name()
                        + "' has no version that can serve: "
                        + entry.error()
                        + "; GET /v1/models/"
                        + entry.name()
                        + " says more"));
  }

  private static LoadedModel byVersion(ModelEntry entry, int version, String what) {
    LoadedModel model = entry.loaded().get(version);
    if (model != null) {
      return model;
    }
    if (entry.refused().containsKey(version)) {
      throw new SelectionException(
          SelectionException.Reason.UNAVAILABLE,
          "model '" + entry.name() + "' " + what + " was refused: " + entry.refused().get(version));
    }
    if (entry.failed().containsKey(version)) {
      throw new SelectionException(
          SelectionException.Reason.UNAVAILABLE,
          "model '" + entry.name() + "' " + what + " " + entry.failed().get(version));
    }
    if (!entry.versions().contains(version)) {
      throw new SelectionException(
          SelectionException.Reason.VERSION_NOT_FOUND,
          "model '"
              + entry.name()
              + "' has no version "
              + version
              + " (versions: "
              + entry.versions()
              + ")");
    }
    // Only versions something points at are kept in memory; loading on request would let any
    // caller make the server load every old version.
    throw new SelectionException(
        SelectionException.Reason.VERSION_NOT_FOUND,
        "model '"
            + entry.name()
            + "' "
            + what
            + " is not loaded (loaded: "
            + entry.loaded().keySet().stream().map(v -> "v" + v).collect(Collectors.joining(", "))
            + "); only the default version, its predecessor and alias targets"
            + " are served");
  }
}
