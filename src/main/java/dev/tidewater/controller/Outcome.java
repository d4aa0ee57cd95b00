package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * The result of one reconcile as the three standard conditions: Ready, Progressing and Degraded,
 * with one machine-readable reason and one human message.
 */
public record Outcome(
    boolean ready,
    boolean progressing,
    boolean degraded,
    String reason,
    String message,
    List<Condition> extra) {

  public Outcome(
      boolean ready, boolean progressing, boolean degraded, String reason, String message) {
    this(ready, progressing, degraded, reason, message, List.of());
  }

  /** This outcome with one more condition (e.g. Migrating) next to the standard three. */
  public Outcome with(Condition condition) {
    List<Condition> more = new java.util.ArrayList<>(extra);
    more.add(condition);
    return new Outcome(ready, progressing, degraded, reason, message, List.copyOf(more));
  }

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

  /** A resource without a spec (the CRDs allow one): nothing to reconcile. */
  public static Outcome missingSpec() {
    return degraded("InvalidSpec", "spec is required");
  }

  /**
   * Whether this outcome is a degradation the previous status did not already report (same reason):
   * a Warning event is recorded then, once, not on every resync or rollout step.
   */
  public boolean newlyDegraded(TidewaterStatus previous) {
    return degraded
        && (previous == null
            || previous.getConditions().stream()
                .filter(c -> StatusConditions.DEGRADED.equals(c.getType()))
                .noneMatch(c -> "True".equals(c.getStatus()) && reason.equals(c.getReason())));
  }

  /** Ready / Progressing / Degraded conditions for this outcome. */
  public List<Condition> conditions() {
    List<Condition> standard =
        List.of(
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
    if (extra.isEmpty()) return standard;
    List<Condition> all = new java.util.ArrayList<>(standard);
    all.addAll(extra);
    return all;
  }
}
