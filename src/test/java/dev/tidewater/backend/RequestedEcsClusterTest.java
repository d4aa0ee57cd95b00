package dev.tidewater.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.EcsClusterSettings;
import dev.tidewater.backend.ecs.EcsClusterBackend;
import dev.tidewater.backend.kubernetes.KubernetesClusterBackend;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

/**
 * The ECS cluster a TenancyPolicy judges is the same whether the operator asks the Cluster's
 * backend (ClusterReconciler) or {@code validate} asks {@link
 * EcsClusterBackend#governedClusterName} offline: on ecs the one it uses (named or derived), on
 * kubernetes the one it names, if any.
 */
class RequestedEcsClusterTest {

  private static Cluster cluster(String backend, String ecsClusterName) {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("prod").build());
    c.setSpec(new ClusterSpec());
    c.getSpec().backend = backend;
    if (ecsClusterName != null) {
      c.getSpec().ecs = new EcsClusterSettings();
      c.getSpec().ecs.clusterName = ecsClusterName;
    }
    return c;
  }

  @Test
  void theBackendAndTheCliJudgeTheSameEcsCluster() {
    ClusterBackend ecs = new EcsClusterBackend(null);
    ClusterBackend kubernetes = new KubernetesClusterBackend();
    for (Cluster c :
        new Cluster[] {
          cluster("ecs", null), cluster("ecs", "shared"), cluster(null, null), cluster(null, "x")
        }) {
      ClusterBackend backend = "ecs".equals(c.getSpec().backend) ? ecs : kubernetes;
      assertThat(backend.requestedEcsCluster(c))
          .as("backend %s, spec.ecs.clusterName %s", c.getSpec().backend, c.getSpec().ecs)
          .isEqualTo(EcsClusterBackend.governedClusterName(c));
    }
    assertThat(ecs.requestedEcsCluster(cluster("ecs", null))).as("derived").isNotNull();
    assertThat(kubernetes.requestedEcsCluster(cluster(null, null))).isNull();
  }
}
