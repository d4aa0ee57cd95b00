package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.model.Problem;
import java.time.Duration;
import java.util.List;

/**
 * What runs for a Service after its backend applied a plan.
 *
 * @param desired tasks wanted now (from desiredCount or the scaler)
 * @param running tasks running and ready
 * @param pending tasks starting
 * @param revision the revision being rolled out or run
 * @param rollout where the rollout of that revision stands
 * @param warnings fields of the task or service that could not be honoured exactly
 * @param refusals guardrail violations or name conflicts: nothing was applied
 * @param serviceArn ecs: the ECS service ARN, else null
 * @param recheckAfter when the backend wants to look again when no rollout is in progress (ecs:
 *     aligned with the batched resync of its cluster); null for the controller's resync period
 * @param events what the backend changed out of the ordinary (drift it corrected), as Events
 */
public record ServiceObservation(
    Integer desired,
    Integer running,
    Integer pending,
    Integer revision,
    RolloutState rollout,
    List<StatusWarning> warnings,
    List<Problem> refusals,
    String serviceArn,
    Duration recheckAfter,
    List<Problem> events) {

  public ServiceObservation(
      Integer desired,
      Integer running,
      Integer pending,
      Integer revision,
      RolloutState rollout,
      List<StatusWarning> warnings,
      List<Problem> refusals) {
    this(desired, running, pending, revision, rollout, warnings, refusals, null, null, List.of());
  }

  /** Where a rollout stands. */
  public enum RolloutState {
    IN_PROGRESS,
    COMPLETED,
    FAILED
  }
}
