package io.mlplatform.serving.config;

import java.util.List;

/** The keys of conf/serving.yaml, which errors name so an operator can find the line to fix. */
public final class ConfigKeys {

  public static final String HOST = "host";
  public static final String PORT = "port";
  public static final String STORE_URI = "storeUri";
  public static final String MAX_INSTANCES = "maxInstancesPerRequest";
  public static final String MAX_BODY_BYTES = "maxBodyBytes";
  public static final String UNKNOWN_FIELDS = "unknownFields";

  public static final List<String> ALL =
      List.of(HOST, PORT, STORE_URI, MAX_INSTANCES, MAX_BODY_BYTES, UNKNOWN_FIELDS);

  private ConfigKeys() {}
}
