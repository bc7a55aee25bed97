package io.mlplatform.store.storage;

import io.mlplatform.store.format.Layout;
import java.io.IOException;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local file systems and HDFS: a directory or file gets its final name with one rename that fails
 * if the name is taken, so the rename itself is the publish.
 */
final class RenamePublish implements PublishProtocol {

  private static final Logger LOG = LoggerFactory.getLogger(RenamePublish.class);

  private final FileOps ops;

  RenamePublish(FileOps ops) {
    this.ops = ops;
  }

  @Override
  public boolean isVisible(Path versionDir) {
    return true;
  }

  /**
   * A rename whose reply was lost (HDFS: the NameNode renamed, the client saw an IOException, or
   * its retry found the target taken) is recognised by its outcome: the staging directory, named by
   * a UUID no one else uses, is gone and the target exists, so the rename that made the target was
   * ours.
   */
  @Override
  public void publish(Path staged, Path target) throws IOException {
    try {
      ops.moveNoReplace(staged, target);
    } catch (IOException e) {
      boolean targetExists = ops.fs.exists(target);
      if (targetExists && !ops.fs.exists(staged)) {
        LOG.warn(
            "the rename of {} to {} reported '{}' but it was done: publishing as {}",
            staged,
            target,
            e.getMessage(),
            target.getName());
        return;
      }
      if (e instanceof FileAlreadyExistsException) {
        throw e;
      }
      // Some file systems report a taken name as a plain IOException.
      if (targetExists) {
        throw new FileAlreadyExistsException(target + " exists: " + e.getMessage());
      }
      throw e;
    }
  }

  @Override
  public void hide(Path versionDir, Path deletedDir) throws IOException {
    ops.mkdirs(deletedDir.getParent());
    ops.moveNoReplace(versionDir, deletedDir);
  }

  @Override
  public void unhide(Path versionDir, Path deletedDir) {
    try {
      ops.moveNoReplace(deletedDir, versionDir);
    } catch (IOException e) {
      LOG.error("could not move {} back to {}: {}", deletedDir, versionDir, e.getMessage());
    }
  }

  @Override
  public void purge(Path versionDir, Path deletedDir) throws IOException {
    ops.delete(new Path(deletedDir, Layout.BUNDLE));
    ops.delete(new Path(deletedDir, Layout.REFERENCE_ROWS));
    ops.delete(new Path(deletedDir, Layout.SPARK_MODEL));
  }

  @Override
  public void appendEvent(Path historyDir, Path stagingDir, long sequence, byte[] json)
      throws IOException {
    Path tmp = new Path(stagingDir, "event-" + UUID.randomUUID() + ".json");
    ops.writeFile(tmp, json);
    try {
      ops.moveNoReplace(
          tmp, new Path(historyDir, String.format(Locale.ROOT, "%010d.json", sequence)));
    } catch (FileAlreadyExistsException e) {
      ops.delete(tmp);
      throw e;
    }
  }
}
