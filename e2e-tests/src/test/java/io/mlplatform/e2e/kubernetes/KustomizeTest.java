package io.mlplatform.e2e.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test renderer does what kustomize does for the features deploy/kubernetes uses. */
class KustomizeTest {

  @TempDir Path dir;

  @BeforeEach
  void base() throws IOException {
    write(
        "base/kustomization.yaml",
        """
        resources:
          - app.yaml
        """);
    write(
        "base/app.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app
        spec:
          template:
            spec:
              containers:
                - name: main
                  image: app:1.0
                  args: ["a", "b"]
                  env:
                    - {name: KEEP, value: "1"}
                    - {name: CHANGE, value: "old"}
                  volumeMounts:
                    - {name: tmp, mountPath: /tmp}
                - name: sidecar
                  image: registry.example.com/side:2
              volumes:
                - {name: tmp, emptyDir: {}}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: rb
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
        subjects:
          - {kind: ServiceAccount, name: sa}
        """);
  }

  @Test
  void patchesMergeContainersEnvAndVolumesByKeyAndReplaceOtherLists() throws IOException {
    write(
        "over/kustomization.yaml",
        """
        resources: [../base]
        patches:
          - path: patch.yaml
        """);
    write(
        "over/patch.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app
        spec:
          template:
            spec:
              containers:
                - name: main
                  args: ["c"]
                  env:
                    - {name: CHANGE, value: "new"}
                    - {name: ADDED, value: "2"}
                  volumeMounts:
                    - {name: store, mountPath: /store}
              volumes:
                - {name: store, persistentVolumeClaim: {claimName: s}}
        """);
    ObjectNode app = Kustomize.only(Kustomize.build(dir.resolve("over")), "Deployment", "app", "");
    ObjectNode main = Kustomize.containers(app).get(0);
    assertThat(Kustomize.containers(app)).hasSize(2);
    assertThat(main.get("args").toString()).isEqualTo("[\"c\"]");
    assertThat(main.get("env").toString())
        .isEqualTo(
            "[{\"name\":\"KEEP\",\"value\":\"1\"},{\"name\":\"CHANGE\",\"value\":\"new\"},"
                + "{\"name\":\"ADDED\",\"value\":\"2\"}]");
    assertThat(main.get("volumeMounts")).hasSize(2);
    assertThat(app.at("/spec/template/spec/volumes")).hasSize(2);
  }

  @Test
  void namespaceImagesAndReplacementsApplyInKustomizesOrder() throws IOException {
    write(
        "over/kustomization.yaml",
        """
        namespace: ns
        resources: [../base]
        images:
          - {name: app, newName: registry.example.com/team/app, newTag: "2.0"}
          - {name: registry.example.com/side, newTag: "3"}
        replacements:
          - source:
              kind: Deployment
              name: app
              fieldPath: spec.template.spec.containers.[name=main].image
            targets:
              - select: {kind: Deployment, name: app}
                fieldPaths:
                  - spec.template.spec.containers.[name=main].env.[name=CHANGE].value
        """);
    List<ObjectNode> resources = Kustomize.build(dir.resolve("over"));
    ObjectNode app = Kustomize.only(resources, "Deployment", "app", "");
    assertThat(app.at("/metadata/namespace").asText()).isEqualTo("ns");
    assertThat(Kustomize.containers(app).get(0).get("image").asText())
        .isEqualTo("registry.example.com/team/app:2.0");
    assertThat(Kustomize.containers(app).get(1).get("image").asText())
        .isEqualTo("registry.example.com/side:3");
    assertThat(Kustomize.containers(app).get(0).at("/env/1/value").asText())
        .as("the replacement copies the image as the images transformer left it")
        .isEqualTo("registry.example.com/team/app:2.0");
    ObjectNode binding = Kustomize.only(resources, "RoleBinding", "rb", "");
    assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo("ns");
  }

  @Test
  void whatTheRendererDoesNotKnowIsRefused() throws IOException {
    write("a/kustomization.yaml", "resources: [../base]\ncommonLabels: {a: b}\n");
    assertThatThrownBy(() -> Kustomize.build(dir.resolve("a")))
        .hasMessageContaining("'commonLabels' is not supported");
    write("b/kustomization.yaml", "resources: [../base]\npatches:\n  - path: p.yaml\n");
    write("b/p.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: other}\n");
    assertThatThrownBy(() -> Kustomize.build(dir.resolve("b")))
        .hasMessageContaining("0 resources Deployment/other");
    write(
        "c/kustomization.yaml",
        """
        resources: [../base]
        replacements:
          - source:
              kind: Deployment
              name: app
              fieldPath: spec.template.spec.containers.[name=main].image
            targets:
              - select: {kind: Deployment, name: app}
                fieldPaths:
                  - spec.template.spec.containers.[name=main].env.[name=MISSING].value
        """);
    assertThatThrownBy(() -> Kustomize.build(dir.resolve("c")))
        .hasMessageContaining("[name=MISSING]");
  }

  private void write(String path, String text) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
