package io.mlplatform.store.storage;

import java.io.IOException;
import org.apache.hadoop.fs.Path;

/**
 * How a version directory becomes visible in one step and leaves view in one step, and how a
 * history event gets its number, on a given kind of file system. Built on {@link FileOps}'
 * primitives so that tests can fail any single step. STORE.md explains the guarantee of each
 * implementation.
 */
sealed interface PublishProtocol permits RenamePublish, MarkerPublish {

  static PublishProtocol of(FileOps ops, long claimSettleMillis) {
    return ops.objectStore() ? new MarkerPublish(ops, claimSettleMillis) : new RenamePublish(ops);
  }

  /** Whether a directory under {@code versions/} is a complete, published version. */
  boolean isVisible(Path versionDir) throws IOException;

  /**
   * Makes the complete staged directory visible as {@code target}. Throws Hadoop's
   * FileAlreadyExistsException when another publisher holds that number; the staged files are then
   * still in place for the next number.
   */
  void publish(Path staged, Path target) throws IOException;

  /** Takes a version out of view in one step, keeping its files until {@link #purge}. */
  void hide(Path versionDir, Path deletedDir) throws IOException;

  /** Undoes {@link #hide}; never fails (a failure is logged). */
  void unhide(Path versionDir, Path deletedDir);

  /** After {@link #hide}: keeps the manifest under {@code deletedDir}, removes the large files. */
  void purge(Path versionDir, Path deletedDir) throws IOException;

  /**
   * Writes a history event as sequence number {@code sequence}; FileAlreadyExistsException if
   * taken.
   */
  void appendEvent(Path historyDir, Path stagingDir, long sequence, byte[] json) throws IOException;
}
