package io.mlplatform.serving.predictionlog;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;

/**
 * This process's name in the log: in file names (so replicas never write the same file) and
 * records.
 */
final class Replica {

  private Replica() {}

  /**
   * The configured name, else {@code HOST-PID}: the host name from {@code HOSTNAME} (a Kubernetes
   * pod's name) and the process id, so two processes on one host differ too.
   */
  static String name(String configured, Map<String, String> env) {
    if (configured != null) {
      return configured;
    }
    String host = env.getOrDefault("HOSTNAME", "");
    if (host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "replica";
      }
    }
    return safe(host) + "-" + ProcessHandle.current().pid();
  }

  /** Only characters that are safe in a file name. */
  static String safe(String text) {
    String cleaned = text.replaceAll("[^A-Za-z0-9._-]", "_");
    return cleaned.length() > 100 ? cleaned.substring(0, 100) : cleaned;
  }
}
