package dev.tidewater.backend.ecs;

import dev.tidewater.api.v1alpha1.task.ContainerRunStatus;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Failure;

/** An ECS task as a Task's status reports it (pure): the DescribeTasks fields, unchanged. */
public final class EcsTaskStatuses {

  /** ECS's stopCode of a task RunTask could not place. */
  public static final String TASK_FAILED_TO_START = "TaskFailedToStart";

  /**
   * Tidewater's stopCode of a task ECS no longer describes (DescribeTasks failure {@code MISSING})
   * after it was seen: it stopped, with a result nobody can know any more.
   */
  public static final String TASK_MISSING = "TaskMissing";

  /** DescribeTasks' failure reason for a task it does not know (any more). */
  public static final String MISSING = "MISSING";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private EcsTaskStatuses() {}

  /**
   * A task RunTask could not place ({@code failures[]} of its answer): stopped before it started,
   * {@code TaskFailedToStart} with ECS's reason (e.g. {@code RESOURCE:CPU}). No task ARN: a
   * failure's {@code arn} is the container instance or cluster it concerns, never a task.
   */
  public static TaskRunStatus failedToStart(Failure f) {
    TaskRunStatus failed = new TaskRunStatus();
    failed.lastStatus = "STOPPED";
    failed.stopCode = TASK_FAILED_TO_START;
    failed.stoppedReason =
        f.reason()
            + (f.detail() == null || f.detail().isBlank() ? "" : ": " + f.detail())
            + (f.arn() == null || f.arn().isBlank() ? "" : " (" + f.arn() + ")");
    return failed;
  }

  /**
   * How long after the first task of a RunTask was created ECS may still not list the others
   * (ListTasks is eventually consistent): fewer tasks found than asked are looked for again until
   * then, and only then taken as never started ({@link #padded}).
   */
  public static final Duration LISTING_GRACE = Duration.ofMinutes(2);

  /**
   * Whether {@code found} (fewer than {@code count}) may still be joined by tasks ECS does not list
   * yet: the first of them was created less than {@link #LISTING_GRACE} before {@code now}. Tasks
   * without a creation time are old enough.
   */
  public static boolean mayStillBeListed(
      List<software.amazon.awssdk.services.ecs.model.Task> found, int count, Instant now) {
    if (found.size() >= count) return false;
    return found.stream()
        .map(software.amazon.awssdk.services.ecs.model.Task::createdAt)
        .filter(c -> c != null)
        .min(Instant::compareTo)
        .map(first -> now.isBefore(first.plus(LISTING_GRACE)))
        .orElse(false);
  }

  /**
   * The tasks found again (a crash or a lost status write after RunTask) padded to {@code count}:
   * RunTask's answer, which said why the others were not placed, is gone, and ECS never starts them
   * later, so each is {@code TaskFailedToStart} saying so (without this the Task would wait for
   * them for ever). Only once {@link #mayStillBeListed} says no: before, the others may just not be
   * listed yet.
   */
  public static List<TaskRunStatus> padded(List<TaskRunStatus> found, int count) {
    List<TaskRunStatus> out = new ArrayList<>(found);
    while (out.size() < count) {
      TaskRunStatus failed = new TaskRunStatus();
      failed.lastStatus = "STOPPED";
      failed.stopCode = TASK_FAILED_TO_START;
      failed.stoppedReason =
          "RunTask started "
              + found.size()
              + " of "
              + count
              + " tasks; its reason for the others was lost with the status write after it";
      out.add(failed);
    }
    return out;
  }

  /**
   * A task DescribeTasks answered {@code MISSING} for, as last seen {@code last}: stopped with an
   * unknown result ({@value #TASK_MISSING}) once it had been seen past {@code PROVISIONING} or
   * {@code longGone} (ECS describes a stopped task for about an hour; right after RunTask a task
   * may not be described yet, so a missing new task is looked for again); else {@code last}
   * unchanged.
   */
  public static TaskRunStatus missing(TaskRunStatus last, boolean longGone) {
    boolean seen =
        last.lastStatus != null && !"PROVISIONING".equals(last.lastStatus)
            || last.startedAt != null;
    if (!seen && !longGone) {
      return last;
    }
    TaskRunStatus t = JSON.clone(last);
    t.lastStatus = "STOPPED";
    t.stopCode = TASK_MISSING;
    t.stoppedReason =
        "ECS no longer describes this task (DescribeTasks: MISSING): it stopped, its exit codes are"
            + " unknown";
    if (t.containers != null) {
      for (ContainerRunStatus c : t.containers) {
        if (!"STOPPED".equals(c.lastStatus)) {
          c.lastStatus = "STOPPED";
          c.exitCode = null;
          c.reason = "unknown: the task is MISSING";
        }
      }
    }
    return t;
  }

  /** The essential containers of a registered task definition (essential unless said otherwise). */
  public static List<String> essentialContainers(List<ContainerDefinition> containers) {
    return containers.stream()
        .filter(c -> c.essential() == null || c.essential())
        .map(ContainerDefinition::name)
        .toList();
  }

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
