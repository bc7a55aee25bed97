package io.mlplatform.serving.monitoring;

import io.mlplatform.serving.Fixtures;
import io.mlplatform.store.format.Distribution;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.MonitoringReference;
import java.util.List;

/** Version monitors of the classifier fixture under any name, for unit tests. */
final class Monitors {

  private Monitors() {}

  /**
   * The penguin classifier (classes Adelie, Chinstrap, Gentoo) as {@code model} v{@code version}.
   */
  static VersionMonitor classifier(String model, int version) {
    Manifest m = Fixtures.classifierManifest();
    Distribution prediction =
        new Distribution(
            "prediction",
            Distribution.Kind.CATEGORICAL,
            List.of(),
            Fixtures.SPECIES,
            List.of(0.4, 0.2, 0.4, 0.0, 0.0),
            100);
    Manifest named =
        Fixtures.manifest(model, m.task(), m.inputs(), m.outputs())
            .withMonitoring(new MonitoringReference(List.of(), prediction));
    return new VersionMonitor(named.withVersion(version), 1000, 100);
  }
}
