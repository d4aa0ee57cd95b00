package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.cluster.Cluster;

/**
 * Readies one backend for the workloads of a Cluster (ecs: finds or creates its ECS cluster;
 * kubernetes: nothing to make). Failures come as {@link BackendFailure}, never as an SDK exception.
 */
public interface ClusterBackend {

  /**
   * The ECS cluster name {@code cluster} asks for on this backend, as its namespace's tenancy
   * ceiling checks it before any call; null when it names none.
   */
  String requestedEcsCluster(Cluster cluster);

  /**
   * Makes this backend ready for the Cluster's workloads.
   *
   * @param cluster the Cluster resource: what is asked for and the owner of what is made
   * @param resolved the same Cluster as every other kind resolves it
   * @throws BackendFailure when it cannot (a missing ECS cluster, an invalid AWS context, AWS
   *     refusing)
   */
  ClusterState ensure(Cluster cluster, ResolvedCluster resolved);

  /**
   * A Cluster's backend, ready.
   *
   * @param reason the Ready reason, e.g. {@code EcsClusterReady}
   * @param message what runs where, for the condition
   * @param clusterArn ecs: the ECS cluster's ARN, else null
   * @param events what was made out of the ordinary, as Normal Events (path unused)
   */
  record ClusterState(
      String reason,
      String message,
      String clusterArn,
      java.util.List<dev.tidewater.model.Problem> events) {}
}
