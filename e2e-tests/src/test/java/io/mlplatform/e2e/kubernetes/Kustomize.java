package io.mlplatform.e2e.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of {@code kustomize build} that deploy/kubernetes uses, for tests on a machine without
 * kustomize: {@code resources} (files and directories), {@code patches} by {@code path} (strategic
 * merge, target = the patch's kind and name), {@code namespace}, {@code images} and {@code
 * replacements} (no options), applied in kustomize's order. Anything else in a kustomization.yaml
 * is refused, so the manifests cannot come to rely on a feature this renderer would ignore.
 */
final class Kustomize {

  static final String FILE = "kustomization.yaml";

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Set<String> KNOWN_KEYS =
      Set.of("apiVersion", "kind", "resources", "patches", "namespace", "images", "replacements");

  /**
   * Strategic merge patch keys of the lists deploy/kubernetes patches (from the Kubernetes API's
   * patchMergeKey); every other list is replaced.
   */
  private static final Map<String, String> MERGE_KEYS =
      Map.of(
          "containers", "name",
          "initContainers", "name",
          "env", "name",
          "volumes", "name",
          "volumeMounts", "mountPath",
          "ports", "containerPort");

  /** Kinds without a namespace, among those the namespace transformer could meet. */
  private static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "Namespace",
          "ClusterRole",
          "ClusterRoleBinding",
          "PersistentVolume",
          "StorageClass",
          "CustomResourceDefinition");

  private Kustomize() {}

  /** The resources {@code kustomize build DIR} prints, in order. */
  static List<ObjectNode> build(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no " + FILE + " in " + dir);
    }
    JsonNode k = readOne(file);
    k.fieldNames()
        .forEachRemaining(
            key -> {
              if (!KNOWN_KEYS.contains(key)) {
                throw new IllegalArgumentException(
                    file + ": '" + key + "' is not supported by this renderer");
              }
            });
    List<ObjectNode> resources = new ArrayList<>();
    for (JsonNode entry : k.path("resources")) {
      Path path = dir.resolve(entry.asText()).normalize();
      resources.addAll(Files.isDirectory(path) ? build(path) : readAll(path));
    }
    for (JsonNode patch : k.path("patches")) {
      if (patch.size() != 1 || !patch.has("path")) {
        throw new IllegalArgumentException(file + ": only patches with a path alone: " + patch);
      }
      for (ObjectNode p : readAll(dir.resolve(patch.get("path").asText()))) {
        merge(only(resources, p.path("kind").asText(), name(p), file), p);
      }
    }
    if (k.has("namespace")) {
      namespace(resources, k.get("namespace").asText());
    }
    for (JsonNode image : k.path("images")) {
      images(resources, image);
    }
    for (JsonNode replacement : k.path("replacements")) {
      replace(resources, replacement, file);
    }
    return resources;
  }

  static JsonNode readOne(Path file) {
    List<ObjectNode> docs = readAll(file);
    if (docs.size() != 1) {
      throw new IllegalArgumentException(file + " must hold one YAML document");
    }
    return docs.get(0);
  }

  /** Every non-empty document of a YAML file, each a mapping. */
  static List<ObjectNode> readAll(Path file) {
    List<ObjectNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue;
        }
        if (!doc.isObject()) {
          throw new IllegalArgumentException(file + ": a document is not a mapping");
        }
        docs.add((ObjectNode) doc);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
    return docs;
  }

  static String name(JsonNode resource) {
    return resource.path("metadata").path("name").asText();
  }

  /** The one resource of that kind and name; none or several fail, as in kustomize. */
  static ObjectNode only(List<ObjectNode> resources, String kind, String name, Object where) {
    List<ObjectNode> found =
        resources.stream()
            .filter(r -> r.path("kind").asText().equals(kind) && name(r).equals(name))
            .toList();
    if (found.size() != 1) {
      throw new IllegalArgumentException(
          where + ": " + found.size() + " resources " + kind + "/" + name + ", need exactly one");
    }
    return found.get(0);
  }

  /** Strategic merge: mappings merge, listed lists merge by their key, other values replace. */
  static void merge(ObjectNode target, ObjectNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.startsWith("$")) {
        throw new IllegalArgumentException("patch directive " + key + " is not supported");
      }
      JsonNode current = target.get(key);
      if (value.isNull()) {
        target.remove(key);
      } else if (value.isObject() && current != null && current.isObject()) {
        merge((ObjectNode) current, (ObjectNode) value);
      } else if (value.isArray()
          && current != null
          && current.isArray()
          && MERGE_KEYS.containsKey(key)) {
        mergeList((ArrayNode) current, (ArrayNode) value, MERGE_KEYS.get(key));
      } else {
        target.set(key, value.deepCopy());
      }
    }
  }

  private static void mergeList(ArrayNode target, ArrayNode patch, String mergeKey) {
    for (JsonNode item : patch) {
      if (!item.has(mergeKey)) {
        throw new IllegalArgumentException("a list element without its merge key " + mergeKey);
      }
      ObjectNode match = null;
      for (JsonNode existing : target) {
        if (existing.path(mergeKey).equals(item.get(mergeKey))) {
          match = (ObjectNode) existing;
        }
      }
      if (match == null) {
        target.add(item.deepCopy());
      } else {
        merge(match, (ObjectNode) item);
      }
    }
  }

  private static void namespace(List<ObjectNode> resources, String namespace) {
    for (ObjectNode r : resources) {
      if (!CLUSTER_SCOPED.contains(r.path("kind").asText())) {
        ((ObjectNode) r.with("metadata")).put("namespace", namespace);
      }
      // kustomize moves the ServiceAccounts a binding names along with the binding.
      if (r.path("kind").asText().endsWith("RoleBinding")) {
        for (JsonNode subject : r.path("subjects")) {
          if (subject.path("kind").asText().equals("ServiceAccount")) {
            ((ObjectNode) subject).put("namespace", namespace);
          }
        }
      }
    }
  }

  /** Sets newName and newTag on every container image whose name (without tag) matches. */
  private static void images(List<ObjectNode> resources, JsonNode image) {
    String name = image.path("name").asText();
    for (ObjectNode r : resources) {
      for (ObjectNode container : containers(r)) {
        String ref = container.path("image").asText();
        int colon = ref.lastIndexOf(':');
        boolean tagged = colon > ref.lastIndexOf('/');
        String refName = tagged ? ref.substring(0, colon) : ref;
        if (!refName.equals(name)) {
          continue;
        }
        String newName = image.has("newName") ? image.get("newName").asText() : refName;
        String tag =
            image.has("newTag")
                ? ":" + image.get("newTag").asText()
                : tagged ? ref.substring(colon) : "";
        container.put("image", newName + tag);
      }
    }
  }

  /** Every container and init container anywhere in a resource (pod templates at any depth). */
  static List<ObjectNode> containers(JsonNode node) {
    List<ObjectNode> found = new ArrayList<>();
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if ((e.getKey().equals("containers") || e.getKey().equals("initContainers"))
                    && e.getValue().isArray()) {
                  e.getValue().forEach(c -> found.add((ObjectNode) c));
                } else {
                  found.addAll(containers(e.getValue()));
                }
              });
    } else if (node.isArray()) {
      node.forEach(child -> found.addAll(containers(child)));
    }
    return found;
  }

  private static void replace(List<ObjectNode> resources, JsonNode replacement, Path file) {
    JsonNode source = replacement.path("source");
    if (source.has("options") || replacement.has("sourceValue")) {
      throw new IllegalArgumentException(file + ": replacement options are not supported");
    }
    ObjectNode from =
        only(resources, source.path("kind").asText(), source.path("name").asText(), file);
    JsonNode value = at(from, source.path("fieldPath").asText(), file);
    for (JsonNode target : replacement.path("targets")) {
      if (target.has("options") || target.has("reject")) {
        throw new IllegalArgumentException(file + ": replacement options are not supported");
      }
      JsonNode select = target.path("select");
      ObjectNode to =
          only(resources, select.path("kind").asText(), select.path("name").asText(), file);
      for (JsonNode path : target.path("fieldPaths")) {
        String fieldPath = path.asText();
        int last = fieldPath.lastIndexOf('.');
        JsonNode parent = at(to, fieldPath.substring(0, last), file);
        String field = fieldPath.substring(last + 1);
        if (!parent.isObject() || !parent.has(field)) {
          throw new IllegalArgumentException(file + ": no field " + fieldPath + " in " + name(to));
        }
        ((ObjectNode) parent).set(field, value.deepCopy());
      }
    }
  }

  /**
   * The node at a kustomize field path: dot-separated names, {@code [key=value]} picks the list
   * element whose key has that value. Fails when a step is missing.
   */
  static JsonNode at(JsonNode root, String fieldPath, Object where) {
    JsonNode node = root;
    for (String step : fieldPath.split("\\.")) {
      if (step.startsWith("[") && step.endsWith("]")) {
        String[] kv = step.substring(1, step.length() - 1).split("=", 2);
        JsonNode match = null;
        for (JsonNode element : node) {
          if (element.path(kv[0]).equals(TextNode.valueOf(kv[1]))) {
            match = element;
          }
        }
        node = match;
      } else {
        node = node.isObject() ? node.get(step) : null;
      }
      if (node == null) {
        throw new IllegalArgumentException(where + ": nothing at " + fieldPath + " (" + step + ")");
      }
    }
    return node;
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }
}
