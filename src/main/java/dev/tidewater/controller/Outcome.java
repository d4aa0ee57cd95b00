package dev.tidewater.controller;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * The result of one reconcile as the three standard conditions: Ready, Progressing and Degraded,
 * with one machine-readable reason and one human message.
 */
public record Outcome(
    boolean ready, boolean progressing, boolean degraded, String reason, String message) {

  /** Converged and healthy. */
  public static Outcome ready(String reason, String message) {
    return new Outcome(true, false, false, reason, message);
  }

  /** Working towards the spec (a rollout, a dependency not there yet). */
  public static Outcome progressing(String reason, String message) {
    return new Outcome(false, true, false, reason, message);
  }

  /** Cannot converge until something changes (invalid spec, refused by guardrails, AWS error). */
  public static Outcome degraded(String reason, String message) {
    return new Outcome(false, false, true, reason, message);
  }

  /** Ready / Progressing / Degraded conditions for this outcome. */
  public List<Condition> conditions() {
    return List.of(
        StatusConditions.condition(StatusConditions.READY, ready, reason, message),
        StatusConditions.condition(
            StatusConditions.PROGRESSING,
            progressing,
            progressing ? reason : "Idle",
            progressing ? message : "nothing in progress"),
        StatusConditions.condition(
            StatusConditions.DEGRADED,
            degraded,
            degraded ? reason : "Healthy",
            degraded ? message : "no problem found"));
  }
}
