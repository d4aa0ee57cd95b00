package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;

/**
 * The Cluster a resource uses: the one its clusterRef names, else the one named "default" in its
 * namespace, else the implicit kubernetes backend with default settings.
 *
 * @param name the Cluster's name, or null for the implicit default
 * @param spec its spec (an empty spec for the implicit default)
 * @param missing an explicit clusterRef names a Cluster that does not exist
 */
public record ResolvedCluster(String name, ClusterSpec spec, boolean missing) {

  public static final String DEFAULT_NAME = "default";

  /** The backend in effect: {@code kubernetes} unless the spec says {@code ecs}. */
  public BackendKind backend() {
    return "ecs".equals(spec.backend) ? BackendKind.ECS : BackendKind.KUBERNETES;
  }
}
