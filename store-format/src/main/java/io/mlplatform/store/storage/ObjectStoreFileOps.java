package io.mlplatform.store.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Object stores (s3a, gs, ...). Their connectors rename by copy and delete, and FileContext's
 * generic OVERWRITE deletes the target before renaming, so a reader could find no alias at all. An
 * object written with one PUT becomes visible complete on close and replaces the old one
 * atomically, so a small file is replaced by writing it in place. Versions are published with
 * {@link MarkerPublish}.
 */
final class ObjectStoreFileOps extends RenamingFileOps {

  ObjectStoreFileOps(FileSystem fs, FileContext fc) {
    super(fs, fc);
  }

  @Override
  boolean objectStore() {
    return true;
  }

  @Override
  void replace(Path src, Path dst) throws IOException {
    try (InputStream in = fs.open(src);
        OutputStream out = fs.create(dst, true)) {
      in.transferTo(out);
    }
    fs.delete(src, false);
  }
}
