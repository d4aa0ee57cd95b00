package dev.tidewater.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.Resources;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The golden path on a real k3s with a real kubelet: CRDs, the packaged operator, and the four
 * examples a new user applies, ending in a Ready Service. Skipped cleanly without a Docker engine
 * (our own machines have none, so this is compile-checked there).
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sGoldenPathIT {

  private static final String NAMESPACE = "golden-path";
  private static final List<String> EXAMPLES =
      List.of("cluster.yaml", "taskrole.yaml", "taskdefinition.yaml", "service.yaml");

  @Container
  static final K3sContainer K3S =
      new K3sContainer(DockerImageName.parse("rancher/k3s:v1.35.4-k3s1"));

  @Test
  void theExamplesBecomeAReadyServiceOnK3s(@TempDir Path dir) throws IOException {
    Path kubeconfig = dir.resolve("k3s.kubeconfig");
    Files.writeString(kubeconfig, K3S.getKubeConfigYaml());
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml()))
            .build()) {
      Crds.apply(client);
      // the example Cluster sends Fargate tasks to EKS Fargate capacity: k3s's one node stands in
      for (Node node : client.nodes().list().getItems()) {
        client
            .nodes()
            .withName(node.getMetadata().getName())
            .edit(
                n -> {
                  n.getMetadata().getLabels().put("eks.amazonaws.com/compute-type", "fargate");
                  return n;
                });
      }
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();

      try (OperatorProcess operator = OperatorProcess.start(kubeconfig, Map.of(), List.of())) {
        for (String example : EXAMPLES) {
          Resources.applyFile(client, Path.of("examples", example), NAMESPACE);
        }
        // a real kubelet pulls the images and runs the probes: minutes, not seconds
        await()
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofSeconds(2))
            .untilAsserted(
                () -> {
                  EcsService web =
                      client
                          .resources(EcsService.class)
                          .inNamespace(NAMESPACE)
                          .withName("web")
                          .get();
                  assertThat(web.getStatus()).as("status of Service web").isNotNull();
                  assertThat(web.getStatus().getConditions())
                      .as(() -> "conditions of Service web; operator log:\n" + operator.log())
                      .anySatisfy(
                          c -> {
                            assertThat(c.getType()).isEqualTo("Ready");
                            assertThat(c.getStatus()).isEqualTo("True");
                          });
                });
        assertThat(client.serviceAccounts().inNamespace(NAMESPACE).withName("web").get())
            .as("the TaskRole's ServiceAccount")
            .isNotNull();
      }
    }
  }
}
