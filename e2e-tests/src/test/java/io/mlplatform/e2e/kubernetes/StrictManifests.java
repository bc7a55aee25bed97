package io.mlplatform.e2e.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads manifests into fabric8's typed Kubernetes objects, failing on anything the API would not
 * know. fabric8 accepts unknown fields silently (into each object's additionalProperties, so that a
 * client survives newer servers); here every such field, at any depth, is an error naming its path:
 * a misspelt {@code livenesProbe} must not pass as a manifest without a probe.
 */
final class StrictManifests {

  /** The typed class of each kind deploy/kubernetes uses, and the apiVersion it must declare. */
  record Kind(String apiVersion, Class<?> type) {}

  static final Map<String, Kind> KINDS =
      Map.ofEntries(
          Map.entry("ConfigMap", new Kind("v1", ConfigMap.class)),
          Map.entry("Secret", new Kind("v1", Secret.class)),
          Map.entry("Service", new Kind("v1", Service.class)),
          Map.entry("ServiceAccount", new Kind("v1", ServiceAccount.class)),
          Map.entry("PersistentVolumeClaim", new Kind("v1", PersistentVolumeClaim.class)),
          Map.entry("Deployment", new Kind("apps/v1", Deployment.class)),
          Map.entry("Job", new Kind("batch/v1", Job.class)),
          Map.entry("CronJob", new Kind("batch/v1", CronJob.class)),
          Map.entry("PodDisruptionBudget", new Kind("policy/v1", PodDisruptionBudget.class)),
          Map.entry(
              "HorizontalPodAutoscaler", new Kind("autoscaling/v2", HorizontalPodAutoscaler.class)),
          Map.entry("Role", new Kind("rbac.authorization.k8s.io/v1", Role.class)),
          Map.entry("RoleBinding", new Kind("rbac.authorization.k8s.io/v1", RoleBinding.class)),
          Map.entry("ServiceMonitor", new Kind("monitoring.coreos.com/v1", ServiceMonitor.class)));

  private static final ObjectMapper JSON = new ObjectMapper();

  private StrictManifests() {}

  /**
   * The typed object of a manifest.
   *
   * @throws IllegalArgumentException naming every unknown field, a wrong apiVersion or an unknown
   *     kind; Jackson's own exception for a value of the wrong type
   */
  static Object parse(JsonNode manifest, String where) {
    String kindName = manifest.path("kind").asText();
    Kind kind = KINDS.get(kindName);
    if (kind == null) {
      throw new IllegalArgumentException(where + ": kind '" + kindName + "' is not known here");
    }
    if (!kind.apiVersion().equals(manifest.path("apiVersion").asText())) {
      throw new IllegalArgumentException(
          where
              + ": "
              + kindName
              + " needs apiVersion "
              + kind.apiVersion()
              + ", got '"
              + manifest.path("apiVersion").asText()
              + "'");
    }
    Object typed;
    try {
      typed = JSON.treeToValue(manifest, kind.type());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": " + e.getOriginalMessage(), e);
    }
    List<String> unknown = new ArrayList<>();
    collectUnknown(typed, kindName, unknown);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(where + ": unknown fields " + unknown);
    }
    return typed;
  }

  static <T> T parse(JsonNode manifest, String where, Class<T> type) {
    return type.cast(parse(manifest, where));
  }

  /** Walks fabric8 objects through their getters, collecting additionalProperties' keys. */
  private static void collectUnknown(Object value, String path, List<String> unknown) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        collectUnknown(item, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> collectUnknown(v, path + "." + k, unknown));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return; // strings, numbers, booleans
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || getter.getDeclaringClass() == Object.class
          || !getter.getName().startsWith("get")) {
        continue;
      }
      Object child;
      try {
        child = getter.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + path + " via " + getter, e);
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra) {
          extra.keySet().forEach(key -> unknown.add(path + "." + key));
        }
      } else {
        String field = getter.getName().substring(3);
        collectUnknown(
            child,
            path + "." + Character.toLowerCase(field.charAt(0)) + field.substring(1),
            unknown);
      }
    }
  }
}
