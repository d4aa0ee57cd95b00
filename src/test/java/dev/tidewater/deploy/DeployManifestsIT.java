package dev.tidewater.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.testing.Command;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * deploy/ (the chart rendered for kubectl users): up to date with the chart, and accepted by the
 * API server as a whole, the Deployment's pod passing the restricted Pod Security Standard that
 * deploy/namespace.yaml enforces. On the test ground kwok runs the pod, so no image is pulled.
 */
class DeployManifestsIT {

  private static final String NAMESPACE = "tidewater-system";

  private final TestGround ground = TestGround.get();
  private final KubernetesClient admin = ground.admin();

  private String kubectl(String... args) {
    return Command.ok(ground.kubectlArgv(args));
  }

  @AfterEach
  void cleanUp() {
    Command.run(
        ground.kubectlArgv(
            "delete",
            "clusterrole,clusterrolebinding",
            "tidewater",
            "tidewater-crds",
            "--ignore-not-found"));
    Command.run(
        ground.kubectlArgv(
            "delete",
            "clusterrole",
            "tidewater-edit",
            "tidewater-view",
            "tidewater-platform",
            "--ignore-not-found"));
    // the admission policy refuses Clusters of other ITs' strict TenancyPolicies: not left behind
    Command.run(
        ground.kubectlArgv(
            "delete",
            "validatingadmissionpolicy,validatingadmissionpolicybinding",
            "tidewater-tenancy",
            "--ignore-not-found"));
    admin.namespaces().withName(NAMESPACE).delete();
  }

  @Test
  void deployIsAFreshRenderOfTheChart() throws IOException {
    String rendered =
        Command.ok(
            List.of(
                ground.helm().toString(),
                "template",
                "tidewater",
                "helm/tidewater",
                "--namespace",
                NAMESPACE,
                "--include-crds"));
    assertThat(Files.readString(Path.of("deploy", "tidewater.yaml")))
        .as("deploy/tidewater.yaml is stale: run hack/update-deploy.sh")
        .isEqualTo(rendered);
  }

  @Test
  void theKustomizationIsAcceptedAndItsPodPassesTheRestrictedPodSecurityStandard() {
    assertThat(kubectl("apply", "--server-side", "--force-conflicts", "-k", "deploy/"))
        .contains("deployment.apps/tidewater serverside-applied")
        .contains("clusterrole.rbac.authorization.k8s.io/tidewater serverside-applied");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Deployment d =
                  admin.apps().deployments().inNamespace(NAMESPACE).withName("tidewater").get();
              assertThat(d.getStatus().getAvailableReplicas())
                  .as(
                      () ->
                          "available replicas; events:\n"
                              + kubectl("-n", NAMESPACE, "get", "events", "-o", "wide"))
                  .isEqualTo(1);
            });
  }
}
