package io.mlplatform.store.format;

/**
 * The version every serving replica's default route is pinned to, stored as {@code
 * MODEL/runtime/pin.json} and replaced whole on each change.
 *
 * @param version the pinned version, or null: the pin was lifted (a missing file means the same)
 * @param updatedAt ISO-8601 instant of the change
 * @param by who made it (an API key's name when made through serving's admin API)
 * @param reason why, in words
 */
public record Pin(Integer version, String updatedAt, String by, String reason) {

  public boolean pinned() {
    return version != null;
  }
}
