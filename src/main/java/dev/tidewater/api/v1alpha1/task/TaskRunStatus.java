package dev.tidewater.api.v1alpha1.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One task of a Task, as DescribeTasks reports it (and as the kubernetes backend maps a pod). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskRunStatus {

  @JsonPropertyDescription("ecs backend: the task ARN; kubernetes backend: the pod name.")
  public String taskArn;

  @JsonPropertyDescription("PROVISIONING, PENDING, RUNNING, STOPPED, ... (ECS lastStatus).")
  public String lastStatus;

  @JsonPropertyDescription(
      "Why the task stopped: EssentialContainerExited, TaskFailedToStart, UserInitiated, ...")
  public String stopCode;

  @JsonPropertyDescription("The stop reason in words.")
  public String stoppedReason;

  @JsonPropertyDescription("When the task started (RFC 3339).")
  public String startedAt;

  @JsonPropertyDescription("When the task stopped (RFC 3339).")
  public String stoppedAt;

  @JsonPropertyDescription("Each container's state and exit code.")
  public List<ContainerRunStatus> containers;
}
