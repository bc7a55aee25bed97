package io.mlplatform.training.export;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions fixed at build time (resource filtered by Maven), for the manifest. */
final class BuildInfo {

  private BuildInfo() {}

  static String mleapVersion() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/mlplatform-training.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // Fall through to "unknown": a missing version is not a reason to fail a training run.
    }
    return properties.getProperty("mleap.version", "unknown");
  }

  /** The project's commit, passed by bin/mlplatform train; null when unknown. */
  static String gitCommit() {
    String commit = System.getenv("MLPLATFORM_GIT_COMMIT");
    return commit == null || commit.isBlank() ? null : commit.trim();
  }
}
