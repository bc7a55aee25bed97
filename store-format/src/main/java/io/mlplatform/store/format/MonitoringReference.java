package io.mlplatform.store.format;

import java.util.List;

/**
 * What live traffic is compared with: the training split's distribution of each monitored input
 * (numeric and categorical features; text is not monitored) and the distribution of the model's
 * predictions on the held-out split. Optional in the manifest: versions written before it exist
 * have none, and serving then reports monitoring as unavailable for them.
 *
 * @param features one per monitored input column, in manifest input order
 * @param prediction classifiers: the share of each predicted label; regression: quantile bins
 */
public record MonitoringReference(List<Distribution> features, Distribution prediction) {
  public MonitoringReference {
    features = features == null ? List.of() : List.copyOf(features);
  }
}
