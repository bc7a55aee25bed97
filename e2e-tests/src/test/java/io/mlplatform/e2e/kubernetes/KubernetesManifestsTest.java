package io.mlplatform.e2e.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.mlplatform.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes checked without a cluster: every file and every rendered kustomization is a
 * typed Kubernetes object with no unknown field, every reference inside a rendering resolves, the
 * images are the ones the build produces, and docs/kubernetes.md creates every Secret they read.
 */
class KubernetesManifestsTest {

  static final Set<String> IMAGES = Set.of("mlplatform-serving", "mlplatform-spark");
  static final String NAMESPACE = "mlplatform";

  @TempDir Path dir;

  @Test
  void theLayoutIsABaseWithOverlaysForEachStore() {
    assertThat(Deployables.kustomizations().stream().map(Deployables::label))
        .containsExactlyInAnyOrder(
            "base", "monitoring", "overlays/hdfs", "overlays/s3", "overlays/single-node");
  }

  @TestFactory
  Stream<DynamicTest> everyManifestFileIsATypedObjectWithoutUnknownFields() {
    List<Path> files = Deployables.manifestFiles();
    assertThat(files).hasSizeGreaterThan(20);
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    Deployables.kubernetes().relativize(file).toString(),
                    () -> {
                      List<ObjectNode> docs = Kustomize.readAll(file);
                      assertThat(docs).isNotEmpty();
                      for (ObjectNode doc : docs) {
                        StrictManifests.parse(doc, file.toString());
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyKustomizationRendersToTypedObjects() {
    return Deployables.each(
        Deployables.kustomizations(),
        k -> {
          List<ObjectNode> resources = Kustomize.build(k);
          Set<String> ids = new HashSet<>();
          for (ObjectNode r : resources) {
            StrictManifests.parse(r, Deployables.label(k) + " " + id(r));
            assertThat(ids.add(id(r))).as("%s is rendered once", id(r)).isTrue();
            if (!Deployables.label(k).equals("base")) {
              assertThat(r.path("metadata").path("namespace").asText())
                  .as("namespace of %s", id(r))
                  .isEqualTo(NAMESPACE);
            }
          }
        });
  }

  @TestFactory
  Stream<DynamicTest> everyReferenceInAnOverlayResolves() {
    Map<String, List<String>> secrets = Deployables.documentedSecrets();
    return Deployables.overlays().stream()
        .map(
            k ->
                DynamicTest.dynamicTest(
                    Deployables.label(k),
                    () -> assertThat(references(Kustomize.build(k), secrets)).isEmpty()));
  }

  /** Every broken reference in one rendering, each as one line. */
  static List<String> references(List<ObjectNode> resources, Map<String, List<String>> secrets) {
    List<String> broken = new ArrayList<>();
    for (ObjectNode w : Deployables.workloads(resources)) {
      JsonNode pod = Deployables.podSpec(w);
      Set<String> volumes = new HashSet<>();
      for (JsonNode v : pod.path("volumes")) {
        volumes.add(v.path("name").asText());
        if (v.has("configMap") && find(resources, "ConfigMap", v.at("/configMap/name")) == null) {
          broken.add(id(w) + ": volume " + v.path("name").asText() + ": no such ConfigMap");
        }
        if (v.has("persistentVolumeClaim")
            && find(resources, "PersistentVolumeClaim", v.at("/persistentVolumeClaim/claimName"))
                == null) {
          broken.add(id(w) + ": volume " + v.path("name").asText() + ": no such claim");
        }
      }
      if (pod.has("serviceAccountName")
          && find(resources, "ServiceAccount", pod.get("serviceAccountName")) == null) {
        broken.add(id(w) + ": no ServiceAccount " + pod.get("serviceAccountName").asText());
      }
      for (ObjectNode c : Kustomize.containers(pod)) {
        for (JsonNode m : c.path("volumeMounts")) {
          if (!volumes.contains(m.path("name").asText())) {
            broken.add(id(w) + ": mount of a missing volume " + m.path("name").asText());
          }
        }
        for (JsonNode e : c.path("env")) {
          JsonNode cm = e.at("/valueFrom/configMapKeyRef");
          if (!cm.isMissingNode()) {
            ObjectNode map = find(resources, "ConfigMap", cm.get("name"));
            if (map == null || !map.path("data").has(cm.path("key").asText())) {
              broken.add(id(w) + ": env " + e.path("name").asText() + ": no " + cm);
            }
          }
          JsonNode secret = e.at("/valueFrom/secretKeyRef");
          if (!secret.isMissingNode()
              && !secrets
                  .getOrDefault(secret.path("name").asText(), List.of())
                  .contains(secret.path("key").asText())) {
            broken.add(
                id(w) + ": env " + e.path("name").asText() + ": docs do not create " + secret);
          }
        }
      }
      JsonNode labels = podLabels(w);
      JsonNode selector = w.at("/spec/selector/matchLabels");
      if (!selector.isMissingNode() && !matches(selector, labels)) {
        broken.add(id(w) + ": its selector does not match its pods");
      }
    }
    for (ObjectNode r : resources) {
      switch (r.path("kind").asText()) {
        case "Service", "PodDisruptionBudget" -> {
          JsonNode selector =
              r.path("kind").asText().equals("Service")
                  ? r.at("/spec/selector")
                  : r.at("/spec/selector/matchLabels");
          boolean any =
              Deployables.workloads(resources).stream()
                  .anyMatch(w -> matches(selector, podLabels(w)));
          if (!any) {
            broken.add(id(r) + ": selects no pod");
          }
        }
        case "HorizontalPodAutoscaler" -> {
          if (find(
                  resources,
                  r.at("/spec/scaleTargetRef/kind").asText(),
                  r.at("/spec/scaleTargetRef/name"))
              == null) {
            broken.add(id(r) + ": scales nothing");
          }
        }
        case "RoleBinding" -> {
          if (find(resources, "Role", r.at("/roleRef/name")) == null) {
            broken.add(id(r) + ": no such Role");
          }
          for (JsonNode s : r.path("subjects")) {
            if (find(resources, "ServiceAccount", s.path("name")) == null
                || !s.path("namespace").equals(r.at("/metadata/namespace"))) {
              broken.add(id(r) + ": subject " + s + " is not this namespace's ServiceAccount");
            }
          }
        }
        default -> {}
      }
    }
    ObjectNode sparkDefaults = find(resources, "ConfigMap", text("mlplatform-spark-defaults"));
    for (String line : sparkDefaultsLines(sparkDefaults)) {
      String[] kv = line.split("=", 2);
      if (kv.length != 2 || !kv[0].startsWith("spark.")) {
        broken.add("spark-defaults.conf: not a Spark property: " + line);
      } else if (kv[0].endsWith(".options.claimName")
          && find(resources, "PersistentVolumeClaim", text(kv[1])) == null) {
        broken.add("spark-defaults.conf: no claim " + kv[1]);
      } else if (kv[0].startsWith("spark.kubernetes.executor.secretKeyRef.")) {
        String[] ref = kv[1].split(":", 2);
        if (!secrets.getOrDefault(ref[0], List.of()).contains(ref.length > 1 ? ref[1] : "")) {
          broken.add("spark-defaults.conf: docs do not create " + kv[1]);
        }
      }
    }
    return broken;
  }

  @TestFactory
  Stream<DynamicTest> imagesAreTheOnesTheBuildProducesAndExecutorsRunTheDriversImage() {
    String version = Deployables.projectVersion();
    return Deployables.each(
        Deployables.overlays(),
        k -> {
          List<ObjectNode> resources = Kustomize.build(k);
          Set<String> images = new HashSet<>();
          for (ObjectNode w : Deployables.workloads(resources)) {
            for (ObjectNode c : Kustomize.containers(w)) {
              images.add(c.path("image").asText());
              for (JsonNode e : c.path("env")) {
                if (e.path("name").asText().equals("EXECUTOR_IMAGE")) {
                  assertThat(e.path("value").asText())
                      .as("%s: the executors' image", id(w))
                      .isEqualTo(c.path("image").asText());
                }
              }
            }
          }
          assertThat(images)
              .containsExactlyInAnyOrder(
                  "mlplatform-serving:" + version, "mlplatform-spark:" + version);
          assertThat(imageProblems(Deployables.root(), images, version)).isEmpty();
        });
  }

  /**
   * What is wrong with these image references against the build's images: one build context
   * deploy/images/NAME (with a Containerfile) per image, tagged with the project version.
   */
  static List<String> imageProblems(Path root, Set<String> images, String version) {
    List<String> problems = new ArrayList<>();
    for (String image : images) {
      String ref = image.substring(image.lastIndexOf('/') + 1);
      String[] nameTag = ref.split(":", 2);
      if (!IMAGES.contains(nameTag[0])) {
        problems.add(image + ": not an image of the build " + IMAGES);
      }
      if (nameTag.length < 2 || !nameTag[1].equals(version)) {
        problems.add(image + ": the tag is not the project version " + version);
      }
      if (!Files.isRegularFile(
          root.resolve("deploy/images").resolve(nameTag[0]).resolve("Containerfile"))) {
        problems.add(image + ": no build context deploy/images/" + nameTag[0] + "/Containerfile");
      }
    }
    return problems;
  }

  @Test
  void theImageCheckWantsTheBuildContextsAndTheVersion() throws IOException {
    Set<String> images =
        Set.of("mlplatform-serving:1.0", "registry.example.com/mlplatform-spark:1.0");
    assertThat(imageProblems(dir, images, "1.0"))
        .hasSize(2)
        .allMatch(problem -> problem.contains("no build context"));
    for (String name : IMAGES) {
      Files.createDirectories(dir.resolve("deploy/images").resolve(name));
      Files.writeString(dir.resolve("deploy/images").resolve(name).resolve("Containerfile"), "");
    }
    assertThat(imageProblems(dir, images, "1.0")).isEmpty();
    assertThat(imageProblems(dir, Set.of("mlplatform-spark:0.9", "other:1.0"), "1.0"))
        .anyMatch(p -> p.startsWith("mlplatform-spark:0.9: the tag"))
        .anyMatch(p -> p.startsWith("other:1.0: not an image"));
  }

  @Test
  void theModelsConfigMapHoldsTheSampleSpecAndTheSpecLoaderTakesIt() throws IOException {
    ObjectNode models =
        find(
            Kustomize.build(Deployables.kubernetes().resolve("base")),
            "ConfigMap",
            text("mlplatform-models"));
    assertThat(models).isNotNull();
    String spec = models.at("/data/penguins.yaml").asText();
    assertThat(SpecLoader.parse(spec, "mlplatform-models").name()).isEqualTo("penguins");
    YAMLMapper yaml = new YAMLMapper();
    assertThat(yaml.readTree(spec))
        .as("the ConfigMap's spec is conf/models/penguins.yaml")
        .isEqualTo(yaml.readTree(Deployables.root().resolve("conf/models/penguins.yaml").toFile()));
  }

  @Test
  void theDeploymentsProbesUseItsNamedPort() {
    for (Path k : Deployables.overlays()) {
      Deployment deployment =
          StrictManifests.parse(
              Kustomize.only(Kustomize.build(k), "Deployment", "mlplatform-serving", k),
              k.toString(),
              Deployment.class);
      var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(container.getPorts()).anyMatch(p -> "http".equals(p.getName()));
      for (var probe :
          List.of(
              container.getStartupProbe(),
              container.getLivenessProbe(),
              container.getReadinessProbe())) {
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
      }
    }
  }

  static List<String> sparkDefaultsLines(ObjectNode configMap) {
    if (configMap == null) {
      return List.of();
    }
    return configMap
        .at("/data/spark-defaults.conf")
        .asText()
        .lines()
        .map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  static ObjectNode find(List<ObjectNode> resources, String kind, JsonNode name) {
    return resources.stream()
        .filter(
            r -> r.path("kind").asText().equals(kind) && Kustomize.name(r).equals(name.asText()))
        .findFirst()
        .orElse(null);
  }

  static JsonNode text(String value) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(value);
  }

  static String id(JsonNode r) {
    return r.path("kind").asText() + "/" + Kustomize.name(r);
  }

  private static JsonNode podLabels(JsonNode workload) {
    JsonNode spec = workload.path("spec");
    if (workload.path("kind").asText().equals("CronJob")) {
      spec = spec.path("jobTemplate").path("spec");
    }
    return spec.at("/template/metadata/labels");
  }

  private static boolean matches(JsonNode selector, JsonNode labels) {
    if (selector.isMissingNode() || selector.isEmpty()) {
      return false;
    }
    for (var it = selector.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!labels.path(e.getKey()).equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }
}
