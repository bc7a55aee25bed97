package io.mlplatform.store.format;

/**
 * What setting or rolling back an alias did.
 *
 * @param from the version the alias pointed at before, or null when it did not exist
 * @param to the version it points at now
 */
public record AliasChange(String model, String alias, Integer from, int to) {

  /** False when the alias already pointed at {@code to}: nothing was written. */
  public boolean changed() {
    return from == null || from != to;
  }
}
