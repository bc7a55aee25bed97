package io.mlplatform.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlplatform.store.format.FieldType;
import io.mlplatform.store.format.InputField;
import io.mlplatform.store.format.Layout;
import io.mlplatform.store.format.Lineage;
import io.mlplatform.store.format.Manifest;
import io.mlplatform.store.format.Outputs;
import io.mlplatform.store.format.StoreJson;
import io.mlplatform.store.format.Task;
import io.mlplatform.store.storage.ModelStore;
import io.mlplatform.store.storage.Staging;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs the registry command in-process and builds stores for it. */
final class Cli {

  /** What one run printed and returned. */
  record Run(int code, String out, String err) {}

  private Cli() {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        RegistryCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Publishes a version with a tiny stand-in bundle; the registry never opens bundles. */
  static int publish(ModelStore store, String model, double accuracy, Path work) {
    try {
      Path bundle =
          Files.writeString(Files.createTempFile(work, "bundle", ".zip"), "bundle of " + model);
      Staging staging = store.stage(model);
      staging.putFile(Layout.BUNDLE, bundle);
      staging.putJsonLines(Layout.REFERENCE_ROWS, List.of());
      return store.publish(staging, manifest(model, accuracy));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Manifest manifest(String model, double accuracy) {
    ObjectNode spec = StoreJson.mapper().createObjectNode().put("name", model);
    return new Manifest(
        Manifest.FORMAT_VERSION,
        model,
        0,
        "2024-05-01T12:00:00Z",
        Task.MULTICLASS_CLASSIFICATION,
        List.of(new InputField("bill_length_mm", FieldType.DOUBLE, true, 43.9)),
        new Outputs("prediction", "probability", List.of("Adelie", "Gentoo")),
        Map.of("accuracy", accuracy, "f1_weighted", accuracy - 0.01),
        spec,
        "3.5.7",
        "0.16.0",
        new Lineage("file:///data/penguins.json", 344, "sha256:abc", null, null));
  }
}
