package io.mlplatform.store.storage;

import io.mlplatform.store.format.Layout;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Object stores, where a directory rename is a copy file by file and no request creates a name only
 * if it is free, but one PUT makes an object appear complete. A version directory is visible only
 * once its {@value #COMMITTED} object exists; everything before that write is invisible, so a crash
 * at any step leaves no partial version. A version number is claimed with a {@value #CLAIM} object
 * before any file is copied (see {@link #publish} for why that is exclusive).
 */
final class MarkerPublish implements PublishProtocol {

  /** Written last, with one PUT: from then on the version is listed. */
  static final String COMMITTED = "_COMMITTED";

  /** Written first: the number belongs to the publisher whose token it holds. */
  static final String CLAIM = "_CLAIM";

  private static final Logger LOG = LoggerFactory.getLogger(MarkerPublish.class);

  private final FileOps ops;
  private final long claimSettleMillis;

  MarkerPublish(FileOps ops, long claimSettleMillis) {
    this.ops = ops;
    this.claimSettleMillis = claimSettleMillis;
  }

  @Override
  public boolean isVisible(Path versionDir) throws IOException {
    return ops.fs.exists(new Path(versionDir, COMMITTED));
  }

  /**
   * The connector's create-if-absent checks, then PUTs, so two publishers can both write a claim;
   * the later PUT wins. Each waits {@code claimSettleMillis} and reads the claim back: a rival
   * whose check came before our PUT has written by then (if its check-to-PUT gap is shorter than
   * the wait), so exactly one publisher reads its own token. The claim is read again just before
   * the commit.
   */
  @Override
  public void publish(Path staged, Path target) throws IOException {
    if (ops.fs.exists(target)) {
      throw new FileAlreadyExistsException(target + " is taken");
    }
    String token = UUID.randomUUID().toString();
    Path claim = new Path(target, CLAIM);
    ops.createNew(claim, token.getBytes(StandardCharsets.UTF_8));
    settle();
    requireOwner(claim, token);
    copyTree(staged, target);
    requireOwner(claim, token);
    ops.writeFile(new Path(target, COMMITTED), token.getBytes(StandardCharsets.UTF_8));
    try {
      ops.delete(staged);
    } catch (IOException e) {
      LOG.warn(
          "{} is published, but its staging copy {} could not be removed: {}",
          target,
          staged,
          e.getMessage());
    }
  }

  @Override
  public void hide(Path versionDir, Path deletedDir) throws IOException {
    ops.delete(new Path(versionDir, COMMITTED));
  }

  @Override
  public void unhide(Path versionDir, Path deletedDir) {
    try {
      ops.writeFile(new Path(versionDir, COMMITTED), "restored".getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.error("could not make {} visible again: {}", versionDir, e.getMessage());
    }
  }

  /** The directory keeps its claim until the very end, so its number is never given out again. */
  @Override
  public void purge(Path versionDir, Path deletedDir) throws IOException {
    ops.mkdirs(deletedDir);
    ops.copy(new Path(versionDir, Layout.MANIFEST), new Path(deletedDir, Layout.MANIFEST));
    ops.delete(versionDir);
  }

  /**
   * A unique name per event (sequence plus a random suffix), written with one PUT: two writers that
   * pick the same sequence number both keep their event instead of racing for one name.
   */
  @Override
  public void appendEvent(Path historyDir, Path stagingDir, long sequence, byte[] json)
      throws IOException {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    ops.createNew(
        new Path(historyDir, String.format(Locale.ROOT, "%010d-%s.json", sequence, suffix)), json);
  }

  private void settle() throws IOException {
    try {
      Thread.sleep(claimSettleMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while claiming a version number", e);
    }
  }

  private void requireOwner(Path claim, String token) throws IOException {
    String holder;
    try (InputStream in = ops.openSmall(claim)) {
      holder = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (FileNotFoundException e) {
      throw new IOException(claim + " disappeared while publishing", e);
    }
    if (!holder.equals(token)) {
      throw new FileAlreadyExistsException(claim.getParent() + " was claimed by another publisher");
    }
  }

  private void copyTree(Path from, Path to) throws IOException {
    for (FileStatus status : ops.fs.listStatus(from)) {
      Path dst = new Path(to, status.getPath().getName());
      if (status.isDirectory()) {
        copyTree(status.getPath(), dst);
      } else {
        ops.copy(status.getPath(), dst);
      }
    }
  }
}
