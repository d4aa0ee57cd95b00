package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place status conditions are built: sets {@code observedGeneration}, keeps {@code
 * lastTransitionTime} while a condition's status holds, and tells whether anything changed so
 * callers skip the status patch when nothing did.
 */
public final class StatusConditions {

  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";

  private final Clock clock;

  public StatusConditions(Clock clock) {
    this.clock = clock;
  }

  /** A condition without its transition time (filled in by {@link #apply}). */
  public static Condition condition(String type, boolean status, String reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .build();
  }

  /**
   * Writes {@code desired} conditions and {@code warnings} into {@code status} for {@code
   * generation}.
   *
   * @return whether the status differs from before
   */
  public boolean apply(
      TidewaterStatus status,
      long generation,
      List<Condition> desired,
      List<StatusWarning> warnings) {
    List<Condition> next = new ArrayList<>(desired.size());
    for (Condition want : desired) {
      Optional<Condition> before =
          status.getConditions().stream()
              .filter(c -> Objects.equals(c.getType(), want.getType()))
              .findFirst();
      Condition c =
          new ConditionBuilder(want)
              .withObservedGeneration(generation)
              .withLastTransitionTime(
                  before
                      .filter(b -> Objects.equals(b.getStatus(), want.getStatus()))
                      .map(Condition::getLastTransitionTime)
                      .orElseGet(this::now))
              .build();
      next.add(c);
    }
    boolean changed =
        !Objects.equals(status.getObservedGeneration(), generation)
            || !Objects.equals(status.getConditions(), next)
            || !Objects.equals(status.getWarnings(), warnings);
    status.setObservedGeneration(generation);
    status.setConditions(next);
    status.setWarnings(new ArrayList<>(warnings));
    return changed;
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
