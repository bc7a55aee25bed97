package io.mlplatform.serving.config;

import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code predictionLog} section of serving.yaml: sampled records of what this process served,
 * appended as JSON lines to files under a Hadoop URI, off the request path.
 *
 * @param enabled whether records are written at all (off by default)
 * @param uri where the files go: a local path or a Hadoop URI (file://, hdfs://, s3a://); required
 *     when enabled
 * @param sampleRate share of predict requests written, 0 to 1; 0 writes only feedback records
 * @param redact input fields whose values are written as {@code "(redacted)"} for every model
 * @param redactModels more such fields per model name
 * @param rollBytes a file is closed and published once it holds this many bytes
 * @param rollInterval ... or once it has been open this long (readers see a record within it)
 * @param queueInstances instances that may wait for the writer, all records together (a feedback
 *     record counts one); a record that does not fit is dropped and counted
 * @param replica this process's name in file names and records, or null for the host name and
 *     process id
 */
public record PredictionLogSection(
    boolean enabled,
    String uri,
    double sampleRate,
    List<String> redact,
    Map<String, List<String>> redactModels,
    long rollBytes,
    Duration rollInterval,
    int queueInstances,
    String replica) {

  public PredictionLogSection {
    redact = List.copyOf(redact);
    Map<String, List<String>> copy = new LinkedHashMap<>();
    redactModels.forEach((model, fields) -> copy.put(model, List.copyOf(fields)));
    redactModels = Collections.unmodifiableMap(copy);
  }

  public static final PredictionLogSection DEFAULTS =
      new PredictionLogSection(
          false, // a log of every input is a data store of its own: turning it on is a decision
          null,
          1.0, // when on, everything: the monitor job's drift is only as good as its sample
          List.of(),
          Map.of(),
          64L * 1024 * 1024, // a few HDFS blocks' worth at most, and few files per day per replica
          Duration.ofMinutes(5), // the monitor job sees traffic at most this late
          10_000, // ~1 KB per parsed instance: ~10 MB of memory while the sink is slow
          null);

  /** The fields redacted for one model: the global ones and the model's own. */
  public Set<String> redacted(String model) {
    List<String> own = redactModels.getOrDefault(model, List.of());
    if (own.isEmpty()) {
      return Set.copyOf(redact);
    }
    Set<String> all = new HashSet<>(redact);
    all.addAll(own);
    return Set.copyOf(all);
  }

  public PredictionLogSection on(String newUri) {
    return new PredictionLogSection(
        true,
        newUri,
        sampleRate,
        redact,
        redactModels,
        rollBytes,
        rollInterval,
        queueInstances,
        replica);
  }
}
