package io.mlplatform.store.format;

/**
 * One input file as a run saw it when it listed its data, so that a later run can tell whether it
 * changed since (a file appended during training keeps an older modification time than the
 * version).
 *
 * @param path the file's fully qualified path, as in {@link Lineage#files()}
 * @param size its length in bytes
 * @param modifiedAt its modification time, epoch milliseconds as the file system reports it
 */
public record DataFile(String path, long size, long modifiedAt) {}
