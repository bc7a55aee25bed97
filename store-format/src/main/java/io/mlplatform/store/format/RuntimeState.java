package io.mlplatform.store.format;

import java.util.List;

/**
 * What an operator set at runtime for one model, as one read of {@code MODEL/runtime/} found it.
 *
 * @param pin the pin document, or null when there is none
 * @param routing the routing document, or null when there is none (a config-file rule then applies)
 * @param malformed what is wrong with each document that could not be read as the format says; such
 *     a document counts as absent
 */
public record RuntimeState(Pin pin, RoutingDoc routing, List<String> malformed) {

  public static final RuntimeState NONE = new RuntimeState(null, null, List.of());

  public RuntimeState {
    malformed = List.copyOf(malformed);
  }

  /** The pinned version, or null. */
  public Integer pinnedVersion() {
    return pin == null ? null : pin.version();
  }
}
