package dev.tidewater.backend.fake;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.backend.ClusterBackend;
import dev.tidewater.backend.ResolvedCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * An in-memory Cluster backend for unit tests: it names the ECS cluster it is told, answers {@code
 * ensure} with what the test scripts (a state or a {@code BackendFailure}) and records each call.
 */
public final class FakeClusterBackend implements ClusterBackend {

  private String requestedEcsCluster;
  private Supplier<ClusterState> onEnsure =
      () -> new ClusterState("BackendSelected", "runs here", null, List.of());
  private final List<String> ensured = new ArrayList<>();

  /** The ECS cluster name the tenancy ceiling is asked about. */
  public FakeClusterBackend requesting(String ecsCluster) {
    this.requestedEcsCluster = ecsCluster;
    return this;
  }

  /** What {@code ensure} answers (or throws). */
  public FakeClusterBackend onEnsure(Supplier<ClusterState> onEnsure) {
    this.onEnsure = onEnsure;
    return this;
  }

  /** The Clusters ensure was called for: what a real backend would have read or created. */
  public List<String> ensured() {
    return ensured;
  }

  @Override
  public String requestedEcsCluster(Cluster cluster) {
    return requestedEcsCluster;
  }

  @Override
  public ClusterState ensure(Cluster cluster, ResolvedCluster resolved) {
    ensured.add(cluster.getMetadata().getName());
    return onEnsure.get();
  }
}
