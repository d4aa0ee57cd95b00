package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * How the Services of a Cluster move when its backend changes: how many at once, how fast the old
 * side is scaled down, how long the new side must stay ready first (docs/migration.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationSettings {

  /** Services of one Cluster migrating at the same time when unset. */
  public static final int DEFAULT_MAX_CONCURRENT = 5;

  /** Percent of the desired count the old side loses per step when unset. */
  public static final int DEFAULT_STEP_PERCENT = 25;

  /** Seconds the new side must stay ready before the old side is scaled down, when unset. */
  public static final int DEFAULT_SOAK_SECONDS = 30;

  /** Seconds the new side has to become ready before the migration rolls back, when unset. */
  public static final int DEFAULT_VERIFY_TIMEOUT_SECONDS = 600;

  @JsonPropertyDescription(
      "Services of this Cluster that migrate at the same time (default 5); the others wait in phase Pending.")
  @Min(1)
  @Max(1000)
  public Integer maxConcurrentServices;

  @JsonPropertyDescription(
      "Percent of a Service's desired count the old side is scaled down by per step, once the new side is ready (default 25; 100: in one step).")
  @Min(1)
  @Max(100)
  public Integer stepPercent;

  @JsonPropertyDescription(
      "Seconds the new side must stay ready at the desired count before the old side is scaled down (default 30).")
  @Min(0)
  @Max(86400)
  public Integer soakSeconds;

  @JsonPropertyDescription(
      "Seconds the new side has to become ready before the migration rolls back with MigrationFailed (default 600).")
  @Min(10)
  @Max(86400)
  public Integer verifyTimeoutSeconds;

  @JsonPropertyDescription(
      "true: no migration moves to its next phase (nothing is scaled or removed) until false again.")
  public Boolean paused;

  public int maxConcurrent() {
    return maxConcurrentServices == null ? DEFAULT_MAX_CONCURRENT : maxConcurrentServices;
  }

  public int step() {
    return stepPercent == null ? DEFAULT_STEP_PERCENT : stepPercent;
  }

  public int soak() {
    return soakSeconds == null ? DEFAULT_SOAK_SECONDS : soakSeconds;
  }

  public int verifyTimeout() {
    return verifyTimeoutSeconds == null ? DEFAULT_VERIFY_TIMEOUT_SECONDS : verifyTimeoutSeconds;
  }

  public boolean isPaused() {
    return Boolean.TRUE.equals(paused);
  }
}
