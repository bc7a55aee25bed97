package io.mlplatform.e2e.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training Job's and the retraining CronJob's command lines, as Kubernetes would fill them in,
 * run through the project's real command tree (the cli module's JVM, as bin/mlplatform starts it):
 * train must accept them and plan spark-submit in Kubernetes client mode with the pod's own
 * address, namespace and image; retrain must accept them and hand the same Spark properties to
 * train (here a stand-in that records its arguments).
 */
class KubernetesTrainingTest {

  private static final String POD_IP = "10.1.2.3";
  private static final String POD_NAME = "mlplatform-train-x7k2p";

  @TempDir Path dir;

  @TestFactory
  Stream<DynamicTest> theJobsCommandLinesParseThroughTheRealCli() {
    return Deployables.overlays().stream()
        .flatMap(
            k -> {
              List<ObjectNode> resources = Kustomize.build(k);
              return Stream.of(
                  DynamicTest.dynamicTest(
                      Deployables.label(k) + " Job",
                      () ->
                          train(
                              resources, Kustomize.only(resources, "Job", "mlplatform-train", k))),
                  DynamicTest.dynamicTest(
                      Deployables.label(k) + " CronJob",
                      () ->
                          retrain(
                              resources,
                              Kustomize.only(resources, "CronJob", "mlplatform-retrain", k))));
            });
  }

  private void train(List<ObjectNode> resources, ObjectNode job) throws Exception {
    Pod pod = pod(resources, job);
    assertThat(pod.args().get(0)).isEqualTo("train");
    Path plan = dir.resolve("plan");
    Result result = cli(pod, List.of("-Dmlplatform.plan=" + plan), Map.of());
    assertThat(result.exitCode()).as("mlplatform %s:%n%s", pod.args(), result.output()).isZero();
    List<String> words = Arrays.asList(Files.readString(plan, StandardCharsets.UTF_8).split("\0"));
    assertThat(words.get(0)).isEqualTo("spark");
    assertThat(words.get(2)).isEqualTo("k8s://https://kubernetes.default.svc");
    assertThat(String.join(" ", words))
        .contains(
            "--conf spark.submit.deployMode=client",
            "--conf spark.driver.host=" + POD_IP,
            "--conf spark.kubernetes.driver.pod.name=" + POD_NAME,
            "--conf spark.kubernetes.namespace=" + KubernetesManifestsTest.NAMESPACE,
            "--conf spark.kubernetes.container.image=" + image(job));
    assertThat(words.subList(words.indexOf("--") + 1, words.size()))
        .as("the job's own arguments")
        .contains(pod.spec().toString());
  }

  private void retrain(List<ObjectNode> resources, ObjectNode cronJob) throws Exception {
    Pod pod = pod(resources, cronJob);
    assertThat(pod.args().get(0)).isEqualTo("retrain");
    Path recorded = dir.resolve("train-args");
    Path train =
        Files.writeString(
            dir.resolve("train"), "#!/bin/sh\necho \"$@\" > " + recorded + "\nexit 2\n");
    assertThat(train.toFile().setExecutable(true)).isTrue();
    Path store = Files.createDirectories(dir.resolve("store"));
    Result result =
        cli(
            pod,
            List.of("-Dmlplatform.train-command=" + train),
            Map.of("MLPLATFORM_STORE", store.toString()));
    assertThat(result.exitCode())
        .as(
            "retrain runs; the stand-in for train fails as a bad spec (exit 2), so that it is not"
                + " retried after the CronJob's --retry-delay:%n%s",
            result.output())
        .isEqualTo(1);
    String trainArgs = Files.readString(recorded);
    assertThat(trainArgs)
        .contains(
            pod.spec() + " --store " + store + " --master k8s://https://kubernetes.default.svc",
            "--spark-conf spark.submit.deployMode=client",
            "--spark-conf spark.driver.host=" + POD_IP,
            "--spark-conf spark.kubernetes.container.image=" + image(cronJob),
            "--spark-conf spark.kubernetes.namespace=" + KubernetesManifestsTest.NAMESPACE);
  }

  /** A pod's command line with $(NAME) filled in and its mounted paths mapped into dir. */
  record Pod(List<String> args, Path spec, Map<String, String> env) {}

  private Pod pod(List<ObjectNode> resources, ObjectNode workload) throws IOException {
    JsonNode podSpec = Deployables.podSpec(workload);
    JsonNode container = Kustomize.containers(podSpec).get(0);
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : container.path("env")) {
      String field = e.at("/valueFrom/fieldRef/fieldPath").asText();
      String value =
          switch (field) {
            case "status.podIP" -> POD_IP;
            case "metadata.name" -> POD_NAME;
            case "metadata.namespace" -> workload.at("/metadata/namespace").asText();
            default -> e.path("value").asText(null);
          };
      if (value != null) {
        env.put(e.path("name").asText(), value);
      }
    }
    // The specs' ConfigMap, where the pod mounts it.
    Path models = Files.createDirectories(dir.resolve("models"));
    String mountPath = null;
    for (JsonNode mount : container.path("volumeMounts")) {
      JsonNode volume =
          Kustomize.at(podSpec, "volumes.[name=" + mount.path("name").asText() + "]", "volumes");
      if (volume.at("/configMap/name").asText().equals("mlplatform-models")) {
        mountPath = mount.path("mountPath").asText();
        ObjectNode map =
            KubernetesManifestsTest.find(resources, "ConfigMap", volume.at("/configMap/name"));
        for (var it = map.path("data").fields(); it.hasNext(); ) {
          var file = it.next();
          Files.writeString(models.resolve(file.getKey()), file.getValue().asText());
        }
      }
    }
    assertThat(mountPath).as("the specs' ConfigMap is mounted").isNotNull();
    List<String> args = new ArrayList<>();
    Path spec = null;
    for (String arg : ServingPod.strings(container.path("args"))) {
      Matcher m = Deployables.ARG_VARIABLE.matcher(arg);
      StringBuilder filled = new StringBuilder();
      while (m.find()) {
        assertThat(env)
            .as("$(%s) is a variable of the container", m.group(1))
            .containsKey(m.group(1));
        m.appendReplacement(filled, Matcher.quoteReplacement(env.get(m.group(1))));
      }
      m.appendTail(filled);
      String word = filled.toString();
      if (word.startsWith(mountPath + "/")) {
        spec = models.resolve(word.substring(mountPath.length() + 1));
        word = spec.toString();
      } else if (word.startsWith("/tmp/")) {
        word = dir.resolve(word.substring(1)).toString(); // the pod's emptyDir
      }
      args.add(word);
    }
    assertThat(spec).as("the command line names a spec of the ConfigMap").isNotNull();
    assertThat(spec).exists();
    return new Pod(args, spec, env);
  }

  private static String image(JsonNode workload) {
    return Kustomize.containers(Deployables.podSpec(workload)).get(0).path("image").asText();
  }

  record Result(int exitCode, String output) {}

  /**
   * The cli module's JVM as bin/mlplatform starts it (from the project root, the image's working
   * directory /opt/mlplatform being the installation's root).
   */
  private Result cli(Pod pod, List<String> properties, Map<String, String> env) throws Exception {
    Path target = Deployables.root().resolve("cli/target");
    Path jar;
    try (Stream<Path> files = Files.list(target)) {
      jar =
          files
              .filter(p -> p.getFileName().toString().matches("cli-.*\\.jar"))
              .filter(p -> !p.getFileName().toString().contains("-sources"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("cli/target has no jar: build the project"));
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dmlplatform.root=" + Deployables.root());
    command.addAll(properties);
    command.add("-cp");
    command.add(jar + ":" + Files.readString(target.resolve("classpath.txt")).trim());
    command.add("io.mlplatform.cli.Mlplatform");
    command.addAll(pod.args());
    Path log = dir.resolve("cli.log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(Deployables.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().remove("MLPLATFORM_STORE");
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("the cli did not finish in 2 minutes: " + Files.readString(log));
    }
    return new Result(process.exitValue(), Files.readString(log));
  }
}
