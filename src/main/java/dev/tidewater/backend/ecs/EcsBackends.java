package dev.tidewater.backend.ecs;

import dev.tidewater.backend.BackendDependencies;
import dev.tidewater.backend.Backends;
import java.time.Clock;
import java.time.Duration;

/** The ecs backend of every kind, as {@code BackendFactory} registers it. */
public final class EcsBackends {

  /** How often a Service with an ECS rollout in progress is looked at (ECS sends no events). */
  public static final Duration ROLLOUT_POLL = Duration.ofSeconds(5);

  private EcsBackends() {}

  public static Backends create(BackendDependencies deps) {
    // the ECS sweep follows the operator's resync when that is shorter (tests, small fleets)
    Duration ecsResync =
        deps.ecsServiceSettings().resyncPeriod().compareTo(deps.resyncPeriod()) < 0
            ? deps.ecsServiceSettings().resyncPeriod()
            : deps.resyncPeriod();
    EcsTaskBackend tasks = new EcsTaskBackend(deps.aws(), deps.awsContexts(), deps.client());
    return new Backends(
        new EcsClusterBackend(deps.aws(), deps.awsContexts(), deps.client()),
        new EcsTaskDefinitionBackend(
            deps.aws(),
            deps.awsContexts(),
            deps.awsSettings().taskDefinitionDriftPeriod(),
            Clock.systemUTC(),
            deps.client()),
        new EcsServiceBackend(
            deps.aws(),
            deps.awsContexts(),
            ecsResync,
            deps.ecsServiceSettings().slowPassPeriod(),
            ROLLOUT_POLL,
            deps.client()),
        new EcsTaskRoleBackend(deps.taskRoleIam()),
        new EcsRouteBackend(deps.routeElb(), deps.client()),
        tasks,
        new EcsScheduledTaskBackend(deps.aws(), deps.awsContexts(), deps.client(), tasks));
  }
}
