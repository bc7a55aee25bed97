package io.mlplatform.store.storage;

import java.io.IOException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * HDFS and other file systems whose FileContext renames are single metadata operations. Not
 * FileSystem.rename: on HDFS it moves a directory *inside* an existing target and reports success
 * (STACK.md item 12). FileContext's NONE fails if the target exists; OVERWRITE replaces a file in
 * one NameNode operation.
 */
class RenamingFileOps extends FileOps {

  final FileContext fc;

  RenamingFileOps(FileSystem fs, FileContext fc) {
    super(fs);
    this.fc = fc;
  }

  @Override
  void moveNoReplace(Path src, Path dst) throws IOException {
    fc.rename(src, dst, Options.Rename.NONE);
  }

  @Override
  void replace(Path src, Path dst) throws IOException {
    fc.rename(src, dst, Options.Rename.OVERWRITE);
  }
}
