package io.mlplatform.store.storage;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mlplatform.store.format.StoreJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.fs.Path;

/** A version being written. Nothing here is visible to readers until {@link ModelStore#publish}. */
public final class Staging {

  private static final ObjectWriter COMPACT =
      StoreJson.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);

  private final FileOps ops;
  private final String model;
  private final Path dir;

  Staging(FileOps ops, String model, Path dir) {
    this.ops = ops;
    this.model = model;
    this.dir = dir;
  }

  public String model() {
    return model;
  }

  Path dir() {
    return dir;
  }

  /**
   * The fully qualified URI of {@code name} inside this staging directory, for writers that go
   * through the file system themselves (Spark's {@code PipelineModel.write().save}). What they
   * write there is published with the rest.
   */
  public String location(String name) {
    return ops.fs.makeQualified(new Path(dir, name)).toString();
  }

  /** Copies a local file (an MLeap bundle, a report) into the version. */
  public void putFile(String name, java.nio.file.Path localFile) {
    try {
      ops.copyFromLocal(localFile, new Path(dir, name));
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "cannot stage " + name + ": " + e.getMessage(), e);
    }
  }

  public void putJson(String name, Object value) {
    try (OutputStream out = ops.create(new Path(dir, name))) {
      StoreJson.mapper().writeValue(out, value);
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "cannot stage " + name + ": " + e.getMessage(), e);
    }
  }

  /** Writes one compact JSON document per line. */
  public void putJsonLines(String name, List<?> values) {
    try (OutputStream out = ops.create(new Path(dir, name))) {
      for (Object value : values) {
        out.write(COMPACT.writeValueAsBytes(value));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "cannot stage " + name + ": " + e.getMessage(), e);
    }
  }

  public void putText(String name, String text) {
    try (OutputStream out = ops.create(new Path(dir, name))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "cannot stage " + name + ": " + e.getMessage(), e);
    }
  }

  /** Removes the staging directory; call when a publish is abandoned. Never fails. */
  public void abort() {
    try {
      ops.delete(dir);
    } catch (IOException e) {
      // Leftover staging directories are never read; a later cleanup can remove them.
    }
  }

  void requireFile(String name) {
    try {
      if (!ops.fs.exists(new Path(dir, name))) {
        throw new StoreException(
            StoreException.Kind.INVALID, "cannot publish " + model + ": no " + name + " staged");
      }
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.IO, "cannot check staged " + name + ": " + e.getMessage(), e);
    }
  }
}
