package dev.tidewater.backend.kubernetes;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.backend.ClusterBackend;
import dev.tidewater.backend.ResolvedCluster;
import java.util.List;

/** A {@code backend: kubernetes} Cluster: settings only, nothing to make. */
public final class KubernetesClusterBackend implements ClusterBackend {

  @Override
  public String requestedEcsCluster(Cluster cluster) {
    // an ECS cluster named in the spec is still checked against the ceiling: a flip to ecs uses it
    return cluster.getSpec() == null || cluster.getSpec().ecs == null
        ? null
        : cluster.getSpec().ecs.clusterName;
  }

  @Override
  public ClusterState ensure(Cluster cluster, ResolvedCluster resolved) {
    return new ClusterState(
        "BackendSelected",
        "workloads of this cluster run on the kubernetes backend",
        null,
        List.of());
  }
}
