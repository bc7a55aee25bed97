package io.mlplatform.store;

/**
 * Where a version came from.
 *
 * @param dataUri the training data location as the spec named it
 * @param rows rows read (before the train/test split)
 * @param fingerprint content fingerprint of the data read ("sha256:...")
 * @param gitCommit the project's commit that trained it, or null when unknown
 * @param parentVersion the latest version of the model when this one was trained, or null
 * @param files every data file read, in read order; null in versions written before it was recorded
 */
public record Lineage(String dataUri, long rows, String fingerprint, String gitCommit, Integer parentVersion,
    java.util.List<String> files) {

  public Lineage(String dataUri, long rows, String fingerprint, String gitCommit, Integer parentVersion) {
    this(dataUri, rows, fingerprint, gitCommit, parentVersion, null);
  }
}
