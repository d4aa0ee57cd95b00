package dev.tidewater.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.testing.Crds;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The CRDs install on a real k3s, where a Docker engine and the k3s image exist; skipped cleanly
 * elsewhere (our own machines have no engine, so this is compile-checked there).
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sSmokeIT {

  @Container
  static final K3sContainer K3S =
      new K3sContainer(DockerImageName.parse("rancher/k3s:v1.35.4-k3s1"));

  @Test
  void crdsAreEstablishedOnK3s() {
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml()))
            .build()) {
      Crds.apply(client);
      assertThat(
              client
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName("clusters.ecs.tidewater.dev")
                  .get())
          .isNotNull();
    }
  }
}
