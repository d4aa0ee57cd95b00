package dev.tidewater.controller;

import dev.tidewater.backend.ServiceObservation;
import dev.tidewater.backend.ServiceObservation.RolloutState;
import java.util.List;
import java.util.Objects;

/**
 * DESIGN.md rule 7 as two pure decisions, the same on both backends: which revision a Service runs
 * given the revisions a circuit breaker rolled back, and whether an observation is such a rollback
 * (then the revision is remembered and not applied again until the TaskDefinition changes).
 */
public final class RollbackMemory {

  private RollbackMemory() {}

  /**
   * The revision to run: the wanted one (latest or pinned), unless a circuit breaker rolled it
   * back, then the last stable one.
   */
  public static Integer target(Integer wanted, Integer stable, List<Integer> rolledBack) {
    return wanted != null && rolledBack.contains(wanted) && stable != null ? stable : wanted;
  }

  /**
   * Whether {@code observed} is the circuit breaker rolling back {@code target}: its rollout
   * failed, rollback is on, and a different stable revision exists to go back to.
   */
  public static boolean isRollback(
      ServiceObservation observed, Integer target, Integer stable, boolean rollbackEnabled) {
    return observed.rollout() == RolloutState.FAILED
        && rollbackEnabled
        && stable != null
        && !stable.equals(target)
        && Objects.equals(observed.revision(), target);
  }
}
