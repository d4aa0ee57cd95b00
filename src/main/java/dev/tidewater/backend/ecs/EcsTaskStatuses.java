package dev.tidewater.backend.ecs;

import dev.tidewater.api.v1alpha1.task.ContainerRunStatus;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import java.util.List;

/** An ECS task as a Task's status reports it (pure): the DescribeTasks fields, unchanged. */
public final class EcsTaskStatuses {

  /** ECS's stopCode of a task RunTask could not place. */
  public static final String TASK_FAILED_TO_START = "TaskFailedToStart";

  private EcsTaskStatuses() {}

  /** {@code task} in the status's shape. */
  public static TaskRunStatus of(software.amazon.awssdk.services.ecs.model.Task task) {
    TaskRunStatus t = new TaskRunStatus();
    t.taskArn = task.taskArn();
    t.lastStatus = task.lastStatus();
    t.stopCode = task.stopCodeAsString();
    t.stoppedReason = blankToNull(task.stoppedReason());
    t.startedAt = task.startedAt() == null ? null : task.startedAt().toString();
    t.stoppedAt = task.stoppedAt() == null ? null : task.stoppedAt().toString();
    List<ContainerRunStatus> containers =
        task.containers().stream()
            .map(
                c -> {
                  ContainerRunStatus out = new ContainerRunStatus();
                  out.name = c.name();
                  out.lastStatus = c.lastStatus();
                  out.exitCode = c.exitCode();
                  out.reason = blankToNull(c.reason());
                  return out;
                })
            .toList();
    t.containers = containers.isEmpty() ? null : containers;
    return t;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
