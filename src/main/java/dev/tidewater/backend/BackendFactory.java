package dev.tidewater.backend;

import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsSettings;
import dev.tidewater.backend.aws.ClusterAwsContexts;
import dev.tidewater.backend.aws.RouteElb;
import dev.tidewater.backend.aws.TaskRoleIam;
import dev.tidewater.backend.ecs.EcsBackends;
import dev.tidewater.backend.ecs.EcsServiceSettings;
import dev.tidewater.backend.kubernetes.KubernetesBackendSettings;
import dev.tidewater.backend.kubernetes.KubernetesBackends;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one registry of backends: per {@link BackendKind}, the {@link Backends} of every kind, and
 * the choice of them from a resource's resolved Cluster. Reconcilers ask it and never branch on the
 * backend themselves; adding a backend is one package plus one line in the constructor.
 */
@ApplicationScoped
public class BackendFactory {

  private final Map<BackendKind, Backends> registry = new EnumMap<>(BackendKind.class);

  @Inject
  public BackendFactory(
      KubernetesClient client,
      KubernetesBackendSettings settings,
      AwsSettings awsSettings,
      EcsServiceSettings ecsServiceSettings,
      AwsClientFactory aws,
      ClusterAwsContexts awsContexts,
      @ConfigProperty(name = "tidewater.resync-period") Duration resyncPeriod) {
    BackendDependencies deps =
        new BackendDependencies(
            client,
            aws,
            awsContexts,
            awsSettings,
            settings,
            ecsServiceSettings,
            resyncPeriod,
            new TaskRoleIam(aws, awsContexts, client),
            new RouteElb(aws, awsContexts, client, resyncPeriod));
    // one line per place workloads run
    registry.put(BackendKind.KUBERNETES, KubernetesBackends.create(deps));
    registry.put(BackendKind.ECS, EcsBackends.create(deps));
  }

  /** A registry given whole: unit tests register in-memory fakes for every place. */
  public BackendFactory(Map<BackendKind, Backends> registry) {
    this.registry.putAll(registry);
  }

  /** The backends of the place {@code cluster} selects. */
  public Backends of(ResolvedCluster cluster) {
    return registry.get(cluster.backend());
  }

  /** The backends of every place, for what goes whatever a resource's Cluster says now. */
  public java.util.Collection<Backends> all() {
    return registry.values();
  }

  /** The backends of every place but the one {@code cluster} selects (what a move leaves). */
  public java.util.List<Backends> others(ResolvedCluster cluster) {
    return registry.entrySet().stream()
        .filter(e -> e.getKey() != cluster.backend())
        .map(Map.Entry::getValue)
        .toList();
  }

  /** The LoadBalancerRoute backend of the place {@code cluster} selects. */
  public RouteBackend routes(ResolvedCluster cluster) {
    return of(cluster).routes();
  }

  /** The TaskRole backend of the place {@code cluster} selects. */
  public TaskRoleBackend taskRoles(ResolvedCluster cluster) {
    return of(cluster).taskRoles();
  }

  /** The Cluster backend of the place {@code cluster} selects. */
  public ClusterBackend clusters(ResolvedCluster cluster) {
    return of(cluster).clusters();
  }

  /** The TaskDefinition backend of the place named {@code place} (status.backend). */
  public TaskDefinitionBackend taskDefinitions(String place) {
    return registry.get(BackendKind.of(place)).taskDefinitions();
  }

  /** The Task backend of the place {@code cluster} selects. */
  public TaskBackend tasks(ResolvedCluster cluster) {
    return of(cluster).tasks();
  }

  /** The Task backend of the place named {@code place}: where a started Task's tasks run. */
  public TaskBackend tasks(String place) {
    return registry.get(BackendKind.of(place)).tasks();
  }

  /** The ScheduledTask backend of the place {@code cluster} selects. */
  public ScheduledTaskBackend scheduledTasks(ResolvedCluster cluster) {
    return of(cluster).scheduledTasks();
  }

  /** The ScheduledTask backend named {@code place} (where a schedule was made: status.backend). */
  public ScheduledTaskBackend scheduledTasks(String place) {
    return registry.get(BackendKind.of(place)).scheduledTasks();
  }

  public Optional<TaskDefinitionBackend> taskDefinitions(ResolvedCluster cluster) {
    return Optional.of(of(cluster).taskDefinitions());
  }

  /** The Service backend of the place named {@code place} (status.backend): a migration's sides. */
  public ServiceBackend services(String place) {
    return registry.get(BackendKind.of(place)).services();
  }

  public Optional<ServiceBackend> services(ResolvedCluster cluster) {
    return Optional.of(of(cluster).services());
  }
}
