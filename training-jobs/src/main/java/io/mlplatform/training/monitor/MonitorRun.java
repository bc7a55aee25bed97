package io.mlplatform.training.monitor;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * What one run read and wrote: {@code MODEL/monitoring/latest.json}, and what {@link
 * MonitorJob#run} returns.
 *
 * @param files the log files read; {@code lines} their non-blank lines
 * @param beforeSince records of the days read that are older than {@code since}, left out
 * @param predictions prediction records in the period; {@code feedback} feedback records
 * @param malformed lines that are not a record of the log's format, skipped; {@code examples} names
 *     the first problems
 * @param otherModel records of another model in this model's directory, skipped
 * @param versions one per version of the store seen in the log, with where its report is
 * @param summaries the versions' summaries, also in their own files (not in latest.json)
 * @param unknownVersions versions the log names that the store does not have (deleted, or another
 *     store): counted, not monitored
 */
public record MonitorRun(
    String model,
    String run,
    String createdAt,
    String store,
    String log,
    String since,
    int files,
    long lines,
    long beforeSince,
    long predictions,
    long feedback,
    Malformed malformed,
    long otherModel,
    List<VersionRef> versions,
    List<Unknown> unknownVersions,
    @JsonIgnore List<MonitorSummary> summaries) {

  public record Malformed(long count, List<String> examples) {}

  /**
   * @param path the run's directory relative to the model: {@code monitoring/v3/RUN}
   */
  public record VersionRef(
      int version, String path, long requests, long instances, List<String> alerts) {}

  public record Unknown(int version, long requests, long instances, long feedback) {}
}
