package io.mlplatform.e2e.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** Unknown fields fail at any depth, as do wrong types and apiVersions; known ones are kept. */
class StrictManifestsTest {

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: d}
      spec:
        selector: {matchLabels: {a: b}}
        template:
          metadata: {labels: {a: b}}
          spec:
            containers:
              - name: c
                image: i:1
                %s
      """;

  @Test
  void aWellFormedDeploymentParsesWithItsFields() throws Exception {
    Deployment d =
        StrictManifests.parse(
            yaml(
                DEPLOYMENT.formatted("livenessProbe: {httpGet: {path: /health/live, port: http}}")),
            "d",
            Deployment.class);
    assertThat(
            d.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getLivenessProbe()
                .getHttpGet()
                .getPath())
        .isEqualTo("/health/live");
  }

  @Test
  void aMisspeltFieldDeepInsideFailsWithItsPath() {
    assertThatThrownBy(
            () ->
                StrictManifests.parse(
                    yaml(DEPLOYMENT.formatted("livenesProbe: {httpGet: {path: /x, port: 1}}")),
                    "d"))
        .hasMessageContaining("Deployment.spec.template.spec.containers[0].livenesProbe");
    assertThatThrownBy(
            () ->
                StrictManifests.parse(
                    yaml(DEPLOYMENT.formatted("readinessProbe: {httpGet: {pth: /x, port: 1}}")),
                    "d"))
        .hasMessageContaining("readinessProbe.httpGet.pth");
  }

  @Test
  void wrongTypesApiVersionsAndKindsFail() throws Exception {
    assertThatThrownBy(
            () ->
                StrictManifests.parse(
                    yaml(DEPLOYMENT.formatted("ports: [{containerPort: http}]")), "d"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                StrictManifests.parse(
                    yaml(DEPLOYMENT.formatted("").replace("apps/v1", "extensions/v1beta1")), "d"))
        .hasMessageContaining("needs apiVersion apps/v1");
    assertThatThrownBy(() -> StrictManifests.parse(yaml("apiVersion: v1\nkind: Pod\n"), "p"))
        .hasMessageContaining("kind 'Pod' is not known here");
  }

  private static JsonNode yaml(String text) throws Exception {
    return new YAMLMapper().readTree(text);
  }
}
