package dev.tidewater.api.v1alpha1.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import java.util.List;

/**
 * Status of a Task, in ECS's words on both backends: each task's lastStatus, stop code and reason,
 * and each container's exit code; conditions Succeeded / Failed / Running besides the common ones.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TaskStatus extends TidewaterStatus {

  @JsonPropertyDescription("The TaskDefinition revision the tasks run.")
  public Integer revision;

  @JsonPropertyDescription("kubernetes backend: the Job running the tasks.")
  public String jobName;

  @JsonPropertyDescription("Tasks started, running and stopped (the printer columns).")
  public Integer started;

  @JsonPropertyDescription("Tasks whose lastStatus is RUNNING.")
  public Integer running;

  @JsonPropertyDescription("Tasks whose lastStatus is STOPPED.")
  public Integer stopped;

  @JsonPropertyDescription(
      "ecs backend: the startedBy of the tasks (the spec's, else tidewater/<uid>), by which they"
          + " are found again.")
  public String startedBy;

  @JsonPropertyDescription(
      "When the last task stopped (RFC 3339): ttlSecondsAfterFinished counts from it.")
  public String finishedAt;

  @JsonPropertyDescription("One entry per task, in start order.")
  public List<TaskRunStatus> tasks;

  @JsonPropertyDescription(
      "ecs backend: the ECS cluster ARN the tasks were started in; they are observed and stopped"
          + " there whatever the Cluster says later.")
  public String clusterArn;

  @JsonPropertyDescription("ecs backend: the task definition ARN the tasks run.")
  public String taskDefinitionArn;

  @JsonPropertyDescription(
      "The essential containers of the revision the tasks run (their exits decide the result).")
  public List<String> essentialContainers;

  @JsonPropertyDescription(
      "The metadata.generation whose start AWS refused with a client error (RunTask"
          + " InvalidParameter, AccessDenied, NotFound): not tried again until the generation"
          + " changes.")
  public Long startRefusedGeneration;
}
