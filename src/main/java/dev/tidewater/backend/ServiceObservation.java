package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.model.Problem;
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
 * @param refusals guardrail violations: nothing was applied
 */
public record ServiceObservation(
    Integer desired,
    Integer running,
    Integer pending,
    Integer revision,
    RolloutState rollout,
    List<StatusWarning> warnings,
    List<Problem> refusals) {

  /** Where a rollout stands. */
  public enum RolloutState {
    IN_PROGRESS,
    COMPLETED,
    FAILED
  }
}
