package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import java.util.List;

/** Status of a Service: task counts, the revision it runs and the rollout state. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class EcsServiceStatus extends TidewaterStatus {

  @JsonPropertyDescription("Tasks wanted now (from desiredCount or the scaler).")
  public Integer desiredCount;

  @JsonPropertyDescription("Tasks running and ready.")
  public Integer runningCount;

  @JsonPropertyDescription("Tasks starting.")
  public Integer pendingCount;

  @JsonPropertyDescription("TaskDefinition revision the service runs.")
  public Integer revision;

  @JsonPropertyDescription(
      "uid of the TaskDefinition the revision numbers belong to; another one resets them.")
  public String taskDefinitionUid;

  @JsonPropertyDescription(
      "The last revision whose rollout completed; a circuit breaker rolls back to it.")
  public Integer stableRevision;

  @JsonPropertyDescription("IN_PROGRESS, COMPLETED or FAILED.")
  public String rolloutState;

  @JsonPropertyDescription(
      "Revisions a circuit breaker rolled back; not re-applied until the TaskDefinition changes.")
  public List<Integer> rolledBackRevisions;

  @JsonPropertyDescription("ecs backend: the ECS service ARN.")
  public String serviceArn;

  @JsonPropertyDescription("kubernetes backend: the Deployment or DaemonSet running the tasks.")
  public String workloadName;

  @JsonPropertyDescription(
      "The move from one backend to the other after the Cluster's backend changed: phase, counts and what it waits for; kept after it ends until the next one.")
  public MigrationStatus migration;
}
