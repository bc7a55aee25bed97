package io.mlplatform.store.format;

/**
 * A named pointer at a version, stored as {@code MODEL/aliases/NAME}.
 *
 * @param name e.g. {@code production}; taken from the file name
 * @param version the version it points at
 * @param updatedAt ISO-8601 instant of the last change
 * @param by who changed it
 * @param reason why
 */
public record Alias(String name, int version, String updatedAt, String by, String reason) {}
