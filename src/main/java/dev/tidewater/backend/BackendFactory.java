package dev.tidewater.backend;

import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.backend.aws.ClusterAwsContexts;
import dev.tidewater.backend.ecs.EcsServiceBackend;
import dev.tidewater.backend.ecs.EcsServiceSettings;
import dev.tidewater.backend.kubernetes.KubernetesBackendSettings;
import dev.tidewater.backend.kubernetes.KubernetesServiceBackend;
import dev.tidewater.backend.kubernetes.KubernetesTaskDefinitionBackend;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses the backend of a resource from its Cluster. Kinds whose ecs backend does not exist yet
 * report BackendUnavailable instead of being touched.
 */
@ApplicationScoped
public class BackendFactory {

  /** How often a Service with a rollout in progress is looked at. */
  public static final Duration ROLLOUT_POLL = Duration.ofSeconds(5);

  private final KubernetesTaskDefinitionBackend kubernetesTaskDefinitions =
      new KubernetesTaskDefinitionBackend();
  private final KubernetesServiceBackend kubernetesServices;
  private final EcsServiceBackend ecsServices;

  public BackendFactory(
      KubernetesBackendSettings settings,
      EcsServiceSettings ecsServiceSettings,
      AwsClientFactory awsClients,
      ClusterAwsContexts awsContexts,
      @ConfigProperty(name = "tidewater.resync-period") Duration resyncPeriod) {
    this.kubernetesServices = new KubernetesServiceBackend(settings.externalSecretsCheckPeriod());
    Duration ecsResync =
        ecsServiceSettings.resyncPeriod().compareTo(resyncPeriod) < 0
            ? ecsServiceSettings.resyncPeriod()
            : resyncPeriod;
    this.ecsServices =
        new EcsServiceBackend(
            awsClients, awsContexts, ecsResync, ecsServiceSettings.slowPassPeriod(), ROLLOUT_POLL);
  }

  public Optional<TaskDefinitionBackend> taskDefinitions(ResolvedCluster cluster) {
    return cluster.backend() == BackendKind.KUBERNETES
        ? Optional.of(kubernetesTaskDefinitions)
        : Optional.empty();
  }

  public Optional<ServiceBackend> services(ResolvedCluster cluster) {
    return Optional.of(
        cluster.backend() == BackendKind.KUBERNETES ? kubernetesServices : ecsServices);
  }
}
