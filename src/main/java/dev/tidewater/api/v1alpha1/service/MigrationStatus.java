package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where a Service's move from one backend to the other stands (docs/migration.md). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationStatus {

  @JsonPropertyDescription("The backend the Service ran on when the migration started.")
  public String from;

  @JsonPropertyDescription("The backend it moves to.")
  public String to;

  @JsonPropertyDescription(
      "Pending, Preparing, Verifying, Shifting, Finishing, Completed, RollingBack, Failed or Reverted.")
  public String phase;

  @JsonPropertyDescription("When the migration started (RFC 3339).")
  public String startedAt;

  @JsonPropertyDescription("When the current phase began (RFC 3339).")
  public String phaseSince;

  @JsonPropertyDescription(
      "Since when the new side has been ready at the desired count (RFC 3339); the soak counts from it.")
  public String readySince;

  @JsonPropertyDescription("When the migration ended (Completed, Failed or Reverted).")
  public String finishedAt;

  @JsonPropertyDescription("Tasks the Service wants.")
  public Integer desiredCount;

  @JsonPropertyDescription("Tasks the old side runs.")
  public Integer oldRunning;

  @JsonPropertyDescription("The count the old side is scaled to (Shifting).")
  public Integer oldTarget;

  @JsonPropertyDescription("Tasks of the new side that are ready.")
  public Integer newReady;

  @JsonPropertyDescription(
      "Failed: the Service and Cluster generations it failed at; a change of either retries.")
  public String failedAt;

  @JsonPropertyDescription("What the migration is doing or waiting for.")
  public String message;
}
