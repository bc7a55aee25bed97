package io.mlplatform.serving.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/** The fields of the {@code predictionLog} mapping of serving.yaml. */
final class PredictionLogKeys {

  static final String ENABLED = "enabled";
  static final String URI = "uri";
  static final String SAMPLE_RATE = "sampleRate";
  static final String REDACT = "redact";
  static final String REDACT_MODELS = "redactModels";
  static final String ROLL_BYTES = "rollBytes";
  static final String ROLL_INTERVAL = "rollInterval";
  static final String QUEUE_INSTANCES = "queueInstances";
  static final String REPLICA = "replica";

  static final List<String> ALL =
      List.of(
          ENABLED,
          URI,
          SAMPLE_RATE,
          REDACT,
          REDACT_MODELS,
          ROLL_BYTES,
          ROLL_INTERVAL,
          QUEUE_INSTANCES,
          REPLICA);

  /** A replica's name is part of every file name: nothing that could form a path. */
  static final Pattern REPLICA_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private PredictionLogKeys() {}

  /**
   * Why {@code uri} cannot name the log's directory, or null when it can: a local path, or a URI
   * whose scheme Hadoop has a file system for (so that a typo fails at start, not at the first
   * record).
   */
  static String uriProblem(String uri) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      return "is not a valid URI or path: " + e.getReason();
    }
    String scheme = parsed.getScheme();
    if (scheme == null) {
      return null; // a local path
    }
    try {
      FileSystem.getFileSystemClass(scheme, new Configuration());
      return null;
    } catch (IOException e) {
      return "has no Hadoop file system for the scheme '"
          + scheme
          + "' (file, hdfs and s3a are the usual ones)";
    } catch (RuntimeException e) {
      // Configured, but its class is missing (s3a without hadoop-aws on the classpath).
      return "names a Hadoop file system ('"
          + scheme
          + "') that cannot be loaded: "
          + e.getMessage();
    }
  }
}
