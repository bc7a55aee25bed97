package io.mlplatform.serving.config;

/**
 * The whole configuration of one serving process, loaded once at start by {@link ConfigLoader}.
 *
 * @param host bind address
 * @param port TCP port; 0 picks a free one (tests)
 * @param storeUri model store location: a local path or a Hadoop URI (file://, hdfs://, s3a://)
 * @param maxInstancesPerRequest most instances one predict request may carry
 * @param maxBodyBytes largest request body accepted, in bytes
 * @param unknownFields what to do with instance fields the model does not know
 */
public record ServingConfig(
    String host,
    int port,
    String storeUri,
    int maxInstancesPerRequest,
    long maxBodyBytes,
    UnknownFields unknownFields) {

  // Loopback by default: exposing a model to the network should be a deliberate act.
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_STORE = "./model-store";
  // Bounds the work of one request; larger batches should be split by the caller.
  public static final int DEFAULT_MAX_INSTANCES = 1000;
  // About 1000 instances of ~1 KB each; raise it together with maxInstancesPerRequest.
  public static final long DEFAULT_MAX_BODY_BYTES = 1_000_000L;

  public static ServingConfig defaults() {
    return new ServingConfig(
        DEFAULT_HOST, DEFAULT_PORT, DEFAULT_STORE, DEFAULT_MAX_INSTANCES, DEFAULT_MAX_BODY_BYTES,
        UnknownFields.IGNORE);
  }

  public ServingConfig withPort(int newPort) {
    return new ServingConfig(host, newPort, storeUri, maxInstancesPerRequest, maxBodyBytes, unknownFields);
  }

  public ServingConfig withStoreUri(String newStoreUri) {
    return new ServingConfig(host, port, newStoreUri, maxInstancesPerRequest, maxBodyBytes, unknownFields);
  }

  public ServingConfig withUnknownFields(UnknownFields mode) {
    return new ServingConfig(host, port, storeUri, maxInstancesPerRequest, maxBodyBytes, mode);
  }

  public ServingConfig withLimits(int maxInstances, long maxBytes) {
    return new ServingConfig(host, port, storeUri, maxInstances, maxBytes, unknownFields);
  }
}
