package io.mlplatform.store.format;

/**
 * The fitted pipeline in Spark's own ML persistence format ({@code PipelineModel.write().save}),
 * stored beside the MLeap bundle. Spark-side readers (batch scoring, the promotion gate) load this,
 * never the bundle: mleap-spark's deserializers cannot rebuild some Spark 3.5 stages.
 *
 * @param path the directory inside the version, relative to it
 * @param sparkVersion the Spark version that wrote it; {@code PipelineModel.load} needs the same
 *     minor version
 */
public record SparkModel(String path, String sparkVersion) {}
