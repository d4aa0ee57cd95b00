package dev.tidewater.backend.ecs;

import dev.tidewater.backend.ServiceObservation.RolloutState;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Reads where a described ECS service's rollout stands, and whether ECS's circuit breaker rolled
 * the planned task definition back (DESIGN.md rule 7): pure, tested as data.
 */
public final class EcsRollouts {

  /**
   * A described service as the controller sees it.
   *
   * @param taskDefinitionArn the task definition the service runs now
   * @param rollout the PRIMARY deployment's rollout state
   * @param rolledBack ECS rolled the planned task definition back: its deployment FAILED and the
   *     service went back to another one; that choice must not be undone by drift correction
   */
  public record Reading(
      Integer desired,
      Integer running,
      Integer pending,
      String taskDefinitionArn,
      RolloutState rollout,
      boolean rolledBack) {}

  private EcsRollouts() {}

  /** How {@code service} stands with {@code plannedArn} the task definition we asked for. */
  public static Reading read(Service service, String plannedArn) {
    Optional<Deployment> primary =
        service.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).findFirst();
    boolean plannedFailed =
        service.deployments().stream()
            .anyMatch(
                d ->
                    Objects.equals(plannedArn, d.taskDefinition())
                        && "FAILED".equals(d.rolloutStateAsString()));
    boolean rolledBack =
        plannedFailed
            && plannedArn != null
            && !plannedArn.equals(service.taskDefinition())
            && primary.map(p -> !plannedArn.equals(p.taskDefinition())).orElse(true);
    RolloutState rollout;
    if (rolledBack) {
      rollout = RolloutState.FAILED;
    } else if (primary.isPresent() && primary.get().rolloutStateAsString() != null) {
      rollout =
          switch (primary.get().rolloutStateAsString()) {
            case "COMPLETED" -> RolloutState.COMPLETED;
            case "FAILED" -> RolloutState.FAILED;
            default -> RolloutState.IN_PROGRESS;
          };
    } else {
      // no deployment information (EXTERNAL controller, or an emulator): by the counts
      rollout =
          Objects.equals(service.runningCount(), service.desiredCount())
              ? RolloutState.COMPLETED
              : RolloutState.IN_PROGRESS;
    }
    return new Reading(
        service.desiredCount(),
        service.runningCount(),
        service.pendingCount(),
        service.taskDefinition(),
        rollout,
        rolledBack);
  }
}
