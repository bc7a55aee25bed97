package io.mlplatform.e2e.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The serving container of one rendered overlay, with what Kubernetes would hand it: its
 * environment (Secrets as stand-in values), its command line and the serving.yaml mounted where
 * --config points.
 */
record ServingPod(
    ObjectNode deployment,
    ObjectNode container,
    Map<String, String> env,
    List<String> args,
    Path configPath,
    String servingYaml) {

  static ServingPod of(List<ObjectNode> resources) {
    ObjectNode deployment =
        Kustomize.only(resources, "Deployment", "mlplatform-serving", "serving pod");
    JsonNode pod = Deployables.podSpec(deployment);
    ObjectNode container = Kustomize.containers(pod).get(0);
    Map<String, String> env = environment(resources, container);
    List<String> args = strings(container.path("args"));
    int config = args.indexOf("--config");
    if (config < 0 || config + 1 >= args.size()) {
      throw new IllegalArgumentException("the serving container names no --config: " + args);
    }
    Path configPath = Path.of(args.get(config + 1));
    String yaml = null;
    for (JsonNode mount : container.path("volumeMounts")) {
      if (Path.of(mount.path("mountPath").asText()).equals(configPath.getParent())) {
        JsonNode volume =
            Kustomize.at(pod, "volumes.[name=" + mount.path("name").asText() + "]", "volumes");
        ObjectNode map =
            KubernetesManifestsTest.find(resources, "ConfigMap", volume.at("/configMap/name"));
        if (map != null && map.path("data").has(configPath.getFileName().toString())) {
          yaml = map.path("data").get(configPath.getFileName().toString()).asText();
        }
      }
    }
    if (yaml == null) {
      throw new IllegalArgumentException(
          "no ConfigMap is mounted with " + configPath.getFileName() + " at " + configPath);
    }
    return new ServingPod(deployment, container, env, args, configPath, yaml);
  }

  /** The container's variables as the process would see them; a Secret's value is made up. */
  static Map<String, String> environment(List<ObjectNode> resources, JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : container.path("env")) {
      String name = e.path("name").asText();
      if (e.has("value")) {
        env.put(name, e.get("value").asText());
      } else if (e.at("/valueFrom/configMapKeyRef").isObject()) {
        JsonNode ref = e.at("/valueFrom/configMapKeyRef");
        ObjectNode map = KubernetesManifestsTest.find(resources, "ConfigMap", ref.path("name"));
        env.put(name, map.path("data").path(ref.path("key").asText()).asText());
      } else if (e.at("/valueFrom/secretKeyRef").isObject()) {
        env.put(name, secret(e.at("/valueFrom/secretKeyRef/key").asText()));
      } else if (e.at("/valueFrom/fieldRef").isObject()) {
        env.put(name, "field-" + e.at("/valueFrom/fieldRef/fieldPath").asText());
      } else {
        throw new IllegalArgumentException("a variable of an unknown source: " + e);
      }
    }
    return env;
  }

  /** A stand-in secret that passes the API keys' rules (16+ characters of the allowed set). */
  static String secret(String key) {
    return "test-secret-for-" + key + "-0123456789";
  }

  static List<String> strings(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false)
        .map(JsonNode::asText)
        .toList();
  }
}
