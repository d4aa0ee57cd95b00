package dev.tidewater.backend;

import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsSettings;
import dev.tidewater.backend.aws.ClusterAwsContexts;
import dev.tidewater.backend.ecs.EcsClusterBackend;
import dev.tidewater.backend.ecs.EcsServiceBackend;
import dev.tidewater.backend.ecs.EcsServiceSettings;
import dev.tidewater.backend.ecs.EcsTaskDefinitionBackend;
import dev.tidewater.backend.kubernetes.KubernetesBackendSettings;
import dev.tidewater.backend.kubernetes.KubernetesServiceBackend;
import dev.tidewater.backend.kubernetes.KubernetesTaskDefinitionBackend;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses the backend of a resource from its Cluster. A kind whose ecs backend does not exist yet
 * reports BackendUnavailable instead of being touched.
 */
@ApplicationScoped
public class BackendFactory {

  /** How often a Service with an ECS rollout in progress is looked at (ECS sends no events). */
  public static final Duration ROLLOUT_POLL = Duration.ofSeconds(5);

  private final KubernetesTaskDefinitionBackend kubernetesTaskDefinitions =
      new KubernetesTaskDefinitionBackend();
  private final KubernetesServiceBackend kubernetesServices;
  private final EcsTaskDefinitionBackend ecsTaskDefinitions;
  private final EcsClusterBackend ecsClusters;
  private final EcsServiceBackend ecsServices;
  private final ClusterAwsContexts awsContexts;

  public BackendFactory(
      KubernetesBackendSettings settings,
      AwsSettings awsSettings,
      EcsServiceSettings ecsServiceSettings,
      AwsClientFactory aws,
      ClusterAwsContexts awsContexts,
      @ConfigProperty(name = "tidewater.resync-period") Duration resyncPeriod) {
    this.kubernetesServices = new KubernetesServiceBackend(settings.externalSecretsCheckPeriod());
    this.awsContexts = awsContexts;
    this.ecsTaskDefinitions =
        new EcsTaskDefinitionBackend(
            aws, awsContexts, awsSettings.taskDefinitionDriftPeriod(), Clock.systemUTC());
    this.ecsClusters = new EcsClusterBackend(aws);
    // the ECS sweep follows the operator's resync when that is shorter (tests, small fleets)
    Duration ecsResync =
        ecsServiceSettings.resyncPeriod().compareTo(resyncPeriod) < 0
            ? ecsServiceSettings.resyncPeriod()
            : resyncPeriod;
    this.ecsServices =
        new EcsServiceBackend(
            aws, awsContexts, ecsResync, ecsServiceSettings.slowPassPeriod(), ROLLOUT_POLL);
  }

  public Optional<TaskDefinitionBackend> taskDefinitions(ResolvedCluster cluster) {
    return Optional.of(
        cluster.backend() == BackendKind.KUBERNETES
            ? kubernetesTaskDefinitions
            : ecsTaskDefinitions);
  }

  public Optional<ServiceBackend> services(ResolvedCluster cluster) {
    return Optional.of(
        cluster.backend() == BackendKind.KUBERNETES ? kubernetesServices : ecsServices);
  }

  /** The ecs Service backend, whatever a resource's Cluster says now (deletion). */
  public EcsServiceBackend ecsServices() {
    return ecsServices;
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
