package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.task.ContainerRunStatus;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where a Task stands, from its tasks as the backend reports them (pure): Succeeded when every task
 * stopped with its essential containers at exit code 0, Failed when every task stopped and one did
 * not, Running while one runs; the standard conditions and the three of a Task.
 */
final class TaskProgress {

  static final String SUCCEEDED = "Succeeded";
  static final String FAILED = "Failed";
  static final String RUNNING = "Running";

  /** Stop codes that mean the task did not run to its end. */
  private static final Set<String> NOT_RUN_TO_END =
      Set.of(
          "TaskFailedToStart",
          "TaskMissing",
          "UserInitiated",
          "SpotInterruption",
          "ServiceSchedulerInitiated",
          "TerminationNotice");

  /**
   * @param outcome Ready / Progressing / Degraded
   * @param conditions the outcome's conditions and Succeeded / Failed / Running
   * @param finished whether every task stopped
   */
  record Result(
      Outcome outcome,
      List<Condition> conditions,
      boolean finished,
      int started,
      int running,
      int stopped) {}

  private TaskProgress() {}

  /**
   * @param count the tasks asked for
   * @param essential the essential containers' names; empty when unknown (then every container that
   *     reports an exit code counts)
   */
  static Result of(List<TaskRunStatus> tasks, int count, Set<String> essential) {
    int running = 0;
    int stopped = 0;
    TaskRunStatus firstFailed = null;
    for (TaskRunStatus t : tasks) {
      if ("STOPPED".equals(t.lastStatus)) {
        stopped++;
        if (firstFailed == null && !succeeded(t, essential)) firstFailed = t;
      } else if ("RUNNING".equals(t.lastStatus)) {
        running++;
      }
    }
    boolean finished = !tasks.isEmpty() && stopped == tasks.size() && tasks.size() >= count;
    Outcome outcome;
    boolean succeeded = false;
    boolean failed = false;
    if (finished && firstFailed == null) {
      succeeded = true;
      outcome =
          Outcome.ready(
              SUCCEEDED,
              stopped
                  + " of "
                  + count
                  + " tasks stopped with their essential containers at exit 0");
    } else if (finished) {
      failed = true;
      String reason = firstFailed.stopCode == null ? "TaskFailed" : firstFailed.stopCode;
      outcome =
          Outcome.degraded(
              reason,
              (firstFailed.taskArn == null ? "a task" : "task " + firstFailed.taskArn)
                  + ": "
                  + why(firstFailed));
    } else if (running > 0) {
      outcome =
          Outcome.progressing(
              RUNNING, running + " of " + count + " tasks running" + notStarted(tasks));
    } else {
      outcome =
          Outcome.progressing(
              "Starting", tasks.size() + " of " + count + " tasks started, none running yet");
    }
    List<Condition> conditions = new ArrayList<>(outcome.conditions());
    conditions.add(
        StatusConditions.condition(
            SUCCEEDED,
            succeeded,
            succeeded ? SUCCEEDED : finished ? FAILED : "NotFinished",
            succeeded
                ? outcome.message()
                : finished ? "a task failed" : "tasks have not all stopped"));
    conditions.add(
        StatusConditions.condition(
            FAILED,
            failed,
            failed ? outcome.reason() : finished ? SUCCEEDED : "NotFinished",
            failed ? outcome.message() : finished ? "every task succeeded" : "no verdict yet"));
    conditions.add(
        StatusConditions.condition(
            RUNNING,
            running > 0,
            running > 0 ? RUNNING : finished ? "Stopped" : "Starting",
            running + " of " + count + " tasks running"));
    return new Result(outcome, conditions, finished, tasks.size(), running, stopped);
  }

  /**
   * The conditions of a Task whose start was refused for good ({@code outcome}, Degraded): Failed
   * with its reason, nothing succeeded, nothing runs.
   */
  static List<Condition> refused(Outcome outcome) {
    List<Condition> conditions = new ArrayList<>(outcome.conditions());
    conditions.add(StatusConditions.condition(SUCCEEDED, false, FAILED, "the tasks did not start"));
    conditions.add(StatusConditions.condition(FAILED, true, outcome.reason(), outcome.message()));
    conditions.add(StatusConditions.condition(RUNNING, false, "NotStarted", "nothing runs"));
    return conditions;
  }

  /** "; 1 failed to start (RESOURCE:CPU)" for tasks RunTask could not place, else "". */
  private static String notStarted(List<TaskRunStatus> tasks) {
    List<TaskRunStatus> failed =
        tasks.stream().filter(t -> "TaskFailedToStart".equals(t.stopCode)).toList();
    if (failed.isEmpty()) return "";
    return "; "
        + failed.size()
        + " failed to start ("
        + String.join(
            ", ",
            failed.stream()
                .map(t -> t.stoppedReason == null ? "unknown" : t.stoppedReason)
                .distinct()
                .toList())
        + ")";
  }

  private static boolean succeeded(TaskRunStatus t, Set<String> essential) {
    if (t.stopCode != null && NOT_RUN_TO_END.contains(t.stopCode)) return false;
    if (t.containers == null || t.containers.isEmpty()) return false;
    boolean any = false;
    for (ContainerRunStatus c : t.containers) {
      if (!essential.isEmpty() && !essential.contains(c.name)) continue;
      if (c.exitCode == null || c.exitCode != 0) return false;
      any = true;
    }
    return any;
  }

  private static String why(TaskRunStatus t) {
    if (t.containers != null) {
      for (ContainerRunStatus c : t.containers) {
        if (c.exitCode != null && c.exitCode != 0) {
          return "container "
              + c.name
              + " exited with "
              + c.exitCode
              + (c.reason == null ? "" : " (" + c.reason + ")")
              + (t.stoppedReason == null ? "" : "; " + t.stoppedReason);
        }
      }
    }
    return t.stoppedReason == null ? "stopped (" + t.stopCode + ")" : t.stoppedReason;
  }
}
