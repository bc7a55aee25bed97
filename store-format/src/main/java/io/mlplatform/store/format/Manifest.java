package io.mlplatform.store.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Everything a reader needs to know about one version without opening the bundle.
 *
 * @param formatVersion the store format; readers refuse versions they do not know
 * @param version assigned by {@code ModelStore.publish}; 0 before that
 * @param createdAt ISO-8601 instant
 * @param spec the training spec as it was read
 * @param sparkVersion Spark that trained it
 * @param mleapVersion MLeap that wrote the bundle
 * @param training how the model was chosen (tuning candidates and their scores, chosen params,
 *     split sizes), free-form because it grows with the trainer; null when not recorded
 * @param monitoring reference distributions for drift monitoring; null in versions written before
 *     it existed
 * @param sparkModel the Spark-native copy of the fitted pipeline; null in versions written before
 *     it existed, which batch scoring and the promotion gate then cannot load
 */
public record Manifest(
    int formatVersion,
    String model,
    int version,
    String createdAt,
    Task task,
    List<InputField> inputs,
    Outputs outputs,
    Map<String, Double> metrics,
    JsonNode spec,
    String sparkVersion,
    String mleapVersion,
    Lineage lineage,
    JsonNode training,
    MonitoringReference monitoring,
    SparkModel sparkModel) {

  public static final int FORMAT_VERSION = 1;

  public Manifest {
    inputs = List.copyOf(inputs);
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    // Jackson reads a JSON null into a JsonNode property as NullNode; keep "no spec" one value.
    spec = spec == null || spec.isNull() ? null : spec;
    training = training == null || training.isNull() ? null : training;
  }

  /** A manifest without a Spark-native model. */
  public Manifest(
      int formatVersion,
      String model,
      int version,
      String createdAt,
      Task task,
      List<InputField> inputs,
      Outputs outputs,
      Map<String, Double> metrics,
      JsonNode spec,
      String sparkVersion,
      String mleapVersion,
      Lineage lineage,
      JsonNode training,
      MonitoringReference monitoring) {
    this(
        formatVersion,
        model,
        version,
        createdAt,
        task,
        inputs,
        outputs,
        metrics,
        spec,
        sparkVersion,
        mleapVersion,
        lineage,
        training,
        monitoring,
        null);
  }

  /** A manifest without monitoring reference. */
  public Manifest(
      int formatVersion,
      String model,
      int version,
      String createdAt,
      Task task,
      List<InputField> inputs,
      Outputs outputs,
      Map<String, Double> metrics,
      JsonNode spec,
      String sparkVersion,
      String mleapVersion,
      Lineage lineage,
      JsonNode training) {
    this(
        formatVersion,
        model,
        version,
        createdAt,
        task,
        inputs,
        outputs,
        metrics,
        spec,
        sparkVersion,
        mleapVersion,
        lineage,
        training,
        null,
        null);
  }

  /** A manifest without training details. */
  public Manifest(
      int formatVersion,
      String model,
      int version,
      String createdAt,
      Task task,
      List<InputField> inputs,
      Outputs outputs,
      Map<String, Double> metrics,
      JsonNode spec,
      String sparkVersion,
      String mleapVersion,
      Lineage lineage) {
    this(
        formatVersion,
        model,
        version,
        createdAt,
        task,
        inputs,
        outputs,
        metrics,
        spec,
        sparkVersion,
        mleapVersion,
        lineage,
        null,
        null,
        null);
  }

  public Manifest withVersion(int newVersion) {
    return new Manifest(
        formatVersion,
        model,
        newVersion,
        createdAt,
        task,
        inputs,
        outputs,
        metrics,
        spec,
        sparkVersion,
        mleapVersion,
        lineage,
        training,
        monitoring,
        sparkModel);
  }

  public Manifest withTraining(JsonNode newTraining) {
    return new Manifest(
        formatVersion,
        model,
        version,
        createdAt,
        task,
        inputs,
        outputs,
        metrics,
        spec,
        sparkVersion,
        mleapVersion,
        lineage,
        newTraining,
        monitoring,
        sparkModel);
  }

  public Manifest withMonitoring(MonitoringReference newMonitoring) {
    return new Manifest(
        formatVersion,
        model,
        version,
        createdAt,
        task,
        inputs,
        outputs,
        metrics,
        spec,
        sparkVersion,
        mleapVersion,
        lineage,
        training,
        newMonitoring,
        sparkModel);
  }

  public Manifest withSparkModel(SparkModel newSparkModel) {
    return new Manifest(
        formatVersion,
        model,
        version,
        createdAt,
        task,
        inputs,
        outputs,
        metrics,
        spec,
        sparkVersion,
        mleapVersion,
        lineage,
        training,
        monitoring,
        newSparkModel);
  }
}
