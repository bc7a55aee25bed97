package io.mlplatform.store.storage;

import io.mlplatform.store.format.DataFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The data files a training run reads from a file, a directory or a glob, shared by the training
 * job (which reads them) and the retraining scheduler (which decides whether anything is new), so
 * both see the same list.
 */
public final class DataFiles {

  private DataFiles() {}

  /**
   * Every file the location matches, in path order, skipping the {@code _}/{@code .} files and
   * directories Spark skips; with {@code latestFiles}, only the last N (a sliding window over daily
   * partitions named by date).
   */
  public static List<FileStatus> list(String location, Integer latestFiles, Configuration conf)
      throws IOException {
    Path pattern = new Path(location);
    FileSystem fs = pattern.getFileSystem(conf);
    FileStatus[] matches = fs.globStatus(pattern);
    List<FileStatus> files = new ArrayList<>();
    for (FileStatus match : matches == null ? new FileStatus[0] : matches) {
      if (match.isDirectory()) {
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(match.getPath(), true);
        while (it.hasNext()) {
          LocatedFileStatus file = it.next();
          if (!hidden(match.getPath(), file.getPath())) {
            files.add(file);
          }
        }
      } else {
        files.add(match);
      }
    }
    files.sort(Comparator.comparing(f -> f.getPath().toString()));
    if (latestFiles != null && files.size() > latestFiles) {
      return List.copyOf(files.subList(files.size() - latestFiles, files.size()));
    }
    return files;
  }

  /** Each file's path, size and modification time as listed, in the same order. */
  public static List<DataFile> stamps(List<FileStatus> files) {
    return files.stream()
        .map(f -> new DataFile(f.getPath().toString(), f.getLen(), f.getModificationTime()))
        .toList();
  }

  private static boolean hidden(Path root, Path file) {
    for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
      if (p.getName().startsWith("_") || p.getName().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
