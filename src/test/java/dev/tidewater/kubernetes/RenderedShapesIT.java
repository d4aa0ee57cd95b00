package dev.tidewater.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.kubernetes.render.ApiServerRulesRenderingTest;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.Input;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.Result;
import dev.tidewater.testing.EcsCorpus;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The regression shapes of issue 14 (valid ECS inputs whose rendering kube-apiserver 1.35 refused),
 * rendered with and without pod-level resources and server-side dry-run ({@code dryRun=All}, {@code
 * fieldValidation=Strict}) on the real API server: as a Pod (admin: the operator's ServiceAccount
 * may not create Pods) and as the Deployment the operator applies (the operator's own credential).
 */
class RenderedShapesIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final KubernetesClient operator = ground.operator();
  private static String ns;

  @BeforeAll
  static void namespace() {
    ns = ground.createNamespace("shapes");
  }

  @AfterAll
  static void cleanUp() {
    ground.deleteNamespace(ns);
  }

  static Stream<Arguments> shapes() {
    ClusterSpec permissive = new ClusterSpec();
    permissive.guardrails = new Guardrails();
    permissive.guardrails.allowPrivileged = true;
    permissive.guardrails.allowHostNetwork = true;
    Map<String, String> tasks =
        Map.of(
            "xray-256-224-32", ApiServerRulesRenderingTest.XRAY,
            "datadog-512-502-10", ApiServerRulesRenderingTest.DATADOG,
            "sidecar-then-init", ApiServerRulesRenderingTest.SIDECAR_THEN_INIT,
            "dns-2x2", ApiServerRulesRenderingTest.TWO_BY_TWO_DNS_SERVERS,
            "privileged-no-new-privileges",
                ApiServerRulesRenderingTest.one(
                    "\"privileged\": true, \"dockerSecurityOptions\": [\"no-new-privileges\"]"),
            "user-name-gid", ApiServerRulesRenderingTest.one("\"user\": \"app:1000\""),
            "host-network-safe-sysctl",
                """
                {"networkMode": "host", "containerDefinitions": [
                  {"name": "app", "image": "x", "memory": 128, "systemControls": [
                    {"namespace": "kernel.shm_rmid_forced", "value": "1"},
                    {"namespace": "net.core.somaxconn", "value": "1024"}]}]}""");
    List<Arguments> out = new ArrayList<>();
    tasks.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              for (boolean podLevel : List.of(true, false)) {
                out.add(Arguments.of(e.getKey(), e.getValue(), podLevel, permissive));
              }
            });
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, pod-level resources {2}")
  @MethodSource("shapes")
  void theApiServerAcceptsTheRenderedShape(
      String name, String json, boolean podLevel, ClusterSpec cluster) throws IOException {
    Result r =
        new PodTemplateRenderer()
            .render(
                new Input(
                    EcsCorpus.MAPPER.readValue(json, TaskDefinitionSpec.class),
                    null,
                    cluster,
                    podLevel,
                    null));
    String object = name + (podLevel ? "-pl" : "-split");
    if (name.equals("host-network-safe-sysctl")) {
      // net.* beside hostNetwork is refused and left out; what remains must be admissible
      assertThat(r.refusals())
          .singleElement()
          .satisfies(p -> assertThat(p.reason()).isEqualTo("SystemControlWithHostNamespace"));
    } else {
      assertThat(r.refusals()).as("refusals of %s", name).isEmpty();
    }
    assertThat(dryRunPod(object, r.template())).as("Pod %s", object).isEqualTo("accepted");
    assertThat(dryRunDeployment(object, r.template()))
        .as("Deployment %s as the operator", object)
        .isEqualTo("accepted");
  }

  @Test
  void theGroundChecksPodLevelResourcesAsIssue14Saw() throws IOException {
    Result r =
        new PodTemplateRenderer()
            .render(
                new Input(
                    EcsCorpus.MAPPER.readValue(
                        ApiServerRulesRenderingTest.XRAY, TaskDefinitionSpec.class),
                    null,
                    null,
                    true,
                    null));
    Pod accepted = admin.resource(pod("xray-kept", r.template())).dryRun().create();
    assertThat(accepted.getSpec().getResources().getRequests().get("cpu")).hasToString("250m");
    // what the renderer did before: each container rounded up on its own, 219m + 32m
    r.template().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("xray-daemon"))
        .forEach(c -> c.getResources().getRequests().put("cpu", new Quantity("32m")));
    assertThat(dryRunPod("xray-rounded-up", r.template()))
        .contains("must be greater than or equal to aggregate container requests");
  }

  private static Pod pod(String name, PodTemplateSpec template) {
    return Resources.podOf(name.toLowerCase(Locale.ROOT), ns, template);
  }

  private static String dryRunPod(String name, PodTemplateSpec template) {
    Pod pod = pod(name, template);
    try {
      admin.resource(pod).dryRun().fieldValidation(Validation.STRICT).create();
      return "accepted";
    } catch (KubernetesClientException e) {
      return "refused: " + e.getMessage();
    }
  }

  private static String dryRunDeployment(String name, PodTemplateSpec template) {
    PodTemplateSpec labelled =
        new PodTemplateSpecBuilder(template)
            .editOrNewMetadata()
            .addToLabels("app", name)
            .endMetadata()
            .build();
    Deployment d =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name.toLowerCase(Locale.ROOT))
            .withNamespace(ns)
            .endMetadata()
            .withNewSpec()
            .withReplicas(1)
            .withNewSelector()
            .addToMatchLabels("app", name)
            .endSelector()
            .withTemplate(labelled)
            .endSpec()
            .build();
    try {
      operator.resource(d).dryRun().fieldValidation(Validation.STRICT).create();
      return "accepted";
    } catch (KubernetesClientException e) {
      return "refused: " + e.getMessage();
    }
  }
}
