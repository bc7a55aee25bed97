package io.mlplatform.store.format;

/**
 * Where a version came from.
 *
 * @param dataUri the training data location as the spec named it
 * @param rows rows read (before the train/test split)
 * @param fingerprint content fingerprint of the data read ("sha256:...")
 * @param gitCommit the project's commit that trained it, or null when unknown
 * @param parentVersion the latest version of the model when this one was trained, or null
 * @param files every data file read, in read order; null in versions written before it was recorded
 * @param inputs the size and modification time of each of those files when the run listed them,
 *     before reading ({@link DataFiles#stamps}); null in versions written before it was recorded,
 *     for which the scheduler falls back on what it saw itself, then on the version's createdAt
 */
public record Lineage(
    String dataUri,
    long rows,
    String fingerprint,
    String gitCommit,
    Integer parentVersion,
    java.util.List<String> files,
    java.util.List<DataFile> inputs) {

  public Lineage(
      String dataUri, long rows, String fingerprint, String gitCommit, Integer parentVersion) {
    this(dataUri, rows, fingerprint, gitCommit, parentVersion, null, null);
  }

  public Lineage(
      String dataUri,
      long rows,
      String fingerprint,
      String gitCommit,
      Integer parentVersion,
      java.util.List<String> files) {
    this(dataUri, rows, fingerprint, gitCommit, parentVersion, files, null);
  }
}
