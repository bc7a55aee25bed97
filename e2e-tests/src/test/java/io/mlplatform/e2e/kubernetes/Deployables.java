package io.mlplatform.e2e.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** deploy/kubernetes as the tests see it: where it is, its kustomizations, what they render. */
final class Deployables {

  /** Kubernetes fills in {@code $(NAME)} in command and args from the container's variables. */
  static final Pattern ARG_VARIABLE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private Deployables() {}

  static Path root() {
    String root = System.getProperty("project.root");
    return (root == null ? Path.of("..") : Path.of(root)).toAbsolutePath().normalize();
  }

  static Path kubernetes() {
    return root().resolve("deploy/kubernetes");
  }

  /** Every directory under deploy/kubernetes with a kustomization.yaml, base included. */
  static List<Path> kustomizations() {
    try (Stream<Path> files = Files.walk(kubernetes())) {
      return files
          .filter(p -> p.getFileName().toString().equals(Kustomize.FILE))
          .map(Path::getParent)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What users apply: each overlay (a store choice) and the Prometheus Operator's extra. */
  static List<Path> applied() {
    return kustomizations().stream()
        .filter(p -> !p.getFileName().toString().equals("base"))
        .toList();
  }

  /** The overlays that deploy the whole platform (every overlays/* directory). */
  static List<Path> overlays() {
    return kustomizations().stream()
        .filter(p -> p.getParent().getFileName().toString().equals("overlays"))
        .toList();
  }

  /** One dynamic test per kustomization, named after it, running the same check on each. */
  static Stream<DynamicTest> each(List<Path> kustomizations, ThrowingConsumer<Path> check) {
    return kustomizations.stream()
        .map(k -> DynamicTest.dynamicTest(label(k), () -> check.accept(k)));
  }

  static String label(Path kustomization) {
    return kubernetes().relativize(kustomization).toString();
  }

  /** Every YAML file under deploy/kubernetes but the kustomization files: resources and patches. */
  static List<Path> manifestFiles() {
    try (Stream<Path> files = Files.walk(kubernetes())) {
      return files
          .filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.getFileName().toString().equals(Kustomize.FILE))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Maven project version (the image tag), from the root pom. */
  static String projectVersion() {
    try {
      var document =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(root().resolve("pom.xml").toFile());
      for (Node n = document.getDocumentElement().getFirstChild();
          n != null;
          n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals("version")) {
          return e.getTextContent().trim();
        }
      }
      throw new IllegalStateException("no <version> in the root pom.xml");
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the project version: " + e.getMessage(), e);
    }
  }

  /** The pod template's spec of a Deployment, Job or CronJob. */
  static JsonNode podSpec(JsonNode workload) {
    JsonNode spec = workload.path("spec");
    if (workload.path("kind").asText().equals("CronJob")) {
      spec = spec.path("jobTemplate").path("spec");
    }
    return spec.path("template").path("spec");
  }

  static List<ObjectNode> workloads(List<ObjectNode> resources) {
    return resources.stream()
        .filter(r -> List.of("Deployment", "Job", "CronJob").contains(r.path("kind").asText()))
        .toList();
  }

  /** Secret name to the keys docs/kubernetes.md creates with kubectl create secret generic. */
  static Map<String, List<String>> documentedSecrets() {
    String text;
    try {
      text = Files.readString(root().resolve("docs/kubernetes.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, List<String>> secrets = new LinkedHashMap<>();
    Pattern create = Pattern.compile("kubectl(?: -n \\S+)? create secret generic (\\S+)");
    Pattern key = Pattern.compile("--from-(?:literal|file)=([A-Za-z0-9._-]+)=");
    for (String command : text.replace("\\\n", " ").split("\n")) {
      Matcher m = create.matcher(command);
      if (m.find()) {
        List<String> keys = secrets.computeIfAbsent(m.group(1), k -> new ArrayList<>());
        Matcher k = key.matcher(command);
        while (k.find()) {
          keys.add(k.group(1));
        }
      }
    }
    return secrets;
  }
}
