package dev.tidewater.backend;

import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsSettings;
import dev.tidewater.backend.aws.ClusterAwsContexts;
import dev.tidewater.backend.aws.RouteElb;
import dev.tidewater.backend.aws.TaskRoleIam;
import dev.tidewater.backend.ecs.EcsClusterBackend;
import dev.tidewater.backend.ecs.EcsRouteBackend;
import dev.tidewater.backend.ecs.EcsServiceBackend;
import dev.tidewater.backend.ecs.EcsServiceSettings;
import dev.tidewater.backend.ecs.EcsTaskDefinitionBackend;
import dev.tidewater.backend.ecs.EcsTaskRoleBackend;
import dev.tidewater.backend.kubernetes.KubernetesBackendSettings;
import dev.tidewater.backend.kubernetes.KubernetesClusterBackend;
import dev.tidewater.backend.kubernetes.KubernetesRouteBackend;
import dev.tidewater.backend.kubernetes.KubernetesServiceBackend;
import dev.tidewater.backend.kubernetes.KubernetesTaskDefinitionBackend;
import dev.tidewater.backend.kubernetes.KubernetesTaskRoleBackend;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
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

  /** How often a Service with an ECS rollout in progress is looked at (ECS sends no events). */
  public static final Duration ROLLOUT_POLL = Duration.ofSeconds(5);

  private final KubernetesTaskDefinitionBackend kubernetesTaskDefinitions =
      new KubernetesTaskDefinitionBackend();
  private final KubernetesServiceBackend kubernetesServices;
  private final EcsTaskDefinitionBackend ecsTaskDefinitions;
  private final EcsClusterBackend ecsClusters;
  private final EcsServiceBackend ecsServices;
  private final ClusterAwsContexts awsContexts;
  private final Map<BackendKind, Backends> registry;

  public BackendFactory(
      KubernetesClient client,
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
    this.ecsClusters = new EcsClusterBackend(aws, awsContexts, client);
    // the ECS sweep follows the operator's resync when that is shorter (tests, small fleets)
    Duration ecsResync =
        ecsServiceSettings.resyncPeriod().compareTo(resyncPeriod) < 0
            ? ecsServiceSettings.resyncPeriod()
            : resyncPeriod;
    this.ecsServices =
        new EcsServiceBackend(
            aws, awsContexts, ecsResync, ecsServiceSettings.slowPassPeriod(), ROLLOUT_POLL);
    TaskRoleIam taskRoleIam = new TaskRoleIam(aws, awsContexts, client);
    RouteElb routeElb = new RouteElb(aws, awsContexts, client);
    this.registry =
        new EnumMap<>(
            Map.of(
                BackendKind.KUBERNETES,
                new Backends(
                    new KubernetesClusterBackend(),
                    kubernetesTaskDefinitions,
                    kubernetesServices,
                    new KubernetesTaskRoleBackend(taskRoleIam, client),
                    new KubernetesRouteBackend(routeElb, client)),
                BackendKind.ECS,
                new Backends(
                    ecsClusters,
                    ecsTaskDefinitions,
                    ecsServices,
                    new EcsTaskRoleBackend(taskRoleIam),
                    new EcsRouteBackend(routeElb, client))));
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

  public Optional<TaskDefinitionBackend> taskDefinitions(ResolvedCluster cluster) {
    return Optional.of(of(cluster).taskDefinitions());
  }

  public Optional<ServiceBackend> services(ResolvedCluster cluster) {
    return Optional.of(of(cluster).services());
  }

  /** The ecs Service backend, whatever a resource's Cluster says now (deletion). */
  public EcsServiceBackend ecsServices() {
    return ecsServices;
  }

  /** The ecs TaskDefinition backend, whatever a resource's Cluster says now (deletion). */
  public EcsTaskDefinitionBackend ecsTaskDefinitions() {
    return ecsTaskDefinitions;
  }

  /** The AWS context of a Cluster (its own settings over the operator's). */
  public ClusterAwsContexts awsContexts() {
    return awsContexts;
  }
}
