package dev.tidewater.backend;

import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsSettings;
import dev.tidewater.backend.aws.ClusterAwsContexts;
import dev.tidewater.backend.ecs.EcsClusterBackend;
import dev.tidewater.backend.ecs.EcsTaskDefinitionBackend;
import dev.tidewater.backend.kubernetes.KubernetesBackendSettings;
import dev.tidewater.backend.kubernetes.KubernetesServiceBackend;
import dev.tidewater.backend.kubernetes.KubernetesTaskDefinitionBackend;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;

/**
 * Chooses the backend of a resource from its Cluster. A kind whose ecs backend does not exist yet
 * reports BackendUnavailable instead of being touched.
 */
@ApplicationScoped
public class BackendFactory {

  private final KubernetesTaskDefinitionBackend kubernetesTaskDefinitions =
      new KubernetesTaskDefinitionBackend();
  private final KubernetesServiceBackend kubernetesServices;
  private final EcsTaskDefinitionBackend ecsTaskDefinitions;
  private final EcsClusterBackend ecsClusters;
  private final ClusterAwsContexts awsContexts;

  public BackendFactory(
      KubernetesBackendSettings settings,
      AwsSettings awsSettings,
      AwsClientFactory aws,
      ClusterAwsContexts awsContexts) {
    this.kubernetesServices = new KubernetesServiceBackend(settings.externalSecretsCheckPeriod());
    this.awsContexts = awsContexts;
    this.ecsTaskDefinitions =
        new EcsTaskDefinitionBackend(
            aws, awsContexts, awsSettings.taskDefinitionDriftPeriod(), Clock.systemUTC());
    this.ecsClusters = new EcsClusterBackend(aws);
  }

  public Optional<TaskDefinitionBackend> taskDefinitions(ResolvedCluster cluster) {
    return Optional.of(
        cluster.backend() == BackendKind.KUBERNETES
            ? kubernetesTaskDefinitions
            : ecsTaskDefinitions);
  }

  public Optional<ServiceBackend> services(ResolvedCluster cluster) {
    return cluster.backend() == BackendKind.KUBERNETES
        ? Optional.of(kubernetesServices)
        : Optional.empty();
  }

  /** The ecs TaskDefinition backend, whatever a resource's Cluster says now (deletion). */
  public EcsTaskDefinitionBackend ecsTaskDefinitions() {
    return ecsTaskDefinitions;
  }

  /** The ECS clusters of {@code backend: ecs} Clusters. */
  public EcsClusterBackend ecsClusters() {
    return ecsClusters;
  }

  /** The AWS context of a Cluster (its own settings over the operator's). */
  public ClusterAwsContexts awsContexts() {
    return awsContexts;
  }
}
