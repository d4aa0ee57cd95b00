package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.model.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keeps a ScheduledTask's schedule on one backend and reports its runs: kubernetes, a CronJob whose
 * Jobs are a Task's Job; ecs, an EventBridge Scheduler schedule that calls RunTask (and the role it
 * assumes). Made once, changed in place only when the spec differs, removed when the ScheduledTask
 * goes.
 */
public interface ScheduledTaskBackend {

  /**
   * What the backend reads of the informer caches the ScheduledTask controller registered: its
   * children (CronJob, Jobs, pods), its Cluster, and the revisions and TaskRoles of its namespace.
   */
  interface Caches extends TaskBackend.Caches {}

  /**
   * What the schedule should be now, decided by the controller from the spec and the clock.
   *
   * @param plan the TaskDefinition revision each run starts
   * @param now the reconcile's clock (windows, at() schedules)
   */
  record Desired(TaskBackend.Plan plan, Instant now) {}

  /** One run of the schedule as the backend sees it: its tasks in a Task's words. */
  record Run(String name, Instant startedAt, List<TaskRunStatus> tasks) {}

  /**
   * What the backend saw and did.
   *
   * @param cronJobName kubernetes: the CronJob
   * @param cronJobSchedule kubernetes: its five-field schedule
   * @param cronJobTimeZone kubernetes: its time zone
   * @param scheduleArn ecs: the schedule's ARN
   * @param scheduleName ecs: {@code <group>/<name>}
   * @param scheduleState ecs: ENABLED or DISABLED
   * @param schedulerRoleArn ecs: the role the scheduler assumes
   * @param schedulerRoleHash ecs: what the managed role was made from (null: a given role)
   * @param suspended whether no run starts now although the schedule is active (a window the
   *     backend holds, e.g. a CronJob before the first year of its cron), with {@code why}
   * @param runs the runs seen, newest first (empty when the backend cannot tell yet)
   * @param warnings what was accepted but cannot be honoured (paths of the ScheduledTask's spec)
   * @param refusals what stops the schedule (nothing was applied)
   * @param events Normal Events to record (reason, message), e.g. a schedule updated in place
   * @param recheckAfter when to look again (a run in progress, a run due), or null
   * @param essentialContainers the essential containers of the revision the runs start, as the
   *     backend has it registered (null: those of the plan's TaskDefinition spec)
   */
  record Observation(
      String cronJobName,
      String cronJobSchedule,
      String cronJobTimeZone,
      String scheduleArn,
      String scheduleName,
      String scheduleState,
      String schedulerRoleArn,
      String schedulerRoleHash,
      boolean suspended,
      String why,
      List<Run> runs,
      List<StatusWarning> warnings,
      List<Problem> refusals,
      List<String[]> events,
      Duration recheckAfter,
      List<String> essentialContainers) {

    /** An observation whose essential containers are the plan's. */
    public Observation(
        String cronJobName,
        String cronJobSchedule,
        String cronJobTimeZone,
        String scheduleArn,
        String scheduleName,
        String scheduleState,
        String schedulerRoleArn,
        String schedulerRoleHash,
        boolean suspended,
        String why,
        List<Run> runs,
        List<StatusWarning> warnings,
        List<Problem> refusals,
        List<String[]> events,
        Duration recheckAfter) {
      this(
          cronJobName,
          cronJobSchedule,
          cronJobTimeZone,
          scheduleArn,
          scheduleName,
          scheduleState,
          schedulerRoleArn,
          schedulerRoleHash,
          suspended,
          why,
          runs,
          warnings,
          refusals,
          events,
          recheckAfter,
          null);
    }

    /** Nothing applied: {@code refusals} stop it. */
    public static Observation refused(List<StatusWarning> warnings, List<Problem> refusals) {
      return new Observation(
          null, null, null, null, null, null, null, null, false, null, List.of(), warnings,
          refusals, List.of(), null);
    }
  }

  /** What removing a deleted ScheduledTask's schedule came to. */
  record Removal(boolean finished, Duration retryAfter, List<String> removed) {

    public static Removal complete(List<String> removed) {
      return new Removal(true, null, removed);
    }
  }

  /** The revision numbers of {@code taskDefinition} this backend can run now, ascending. */
  List<Integer> revisions(ScheduledTask scheduled, TaskDefinition taskDefinition, Caches caches);

  /** What revision {@code revision} still waits for before runs can start; empty when none. */
  default Optional<Problem> waitingFor(
      ScheduledTask scheduled, TaskDefinition taskDefinition, int revision, Caches caches) {
    return Optional.empty();
  }

  /** The plan that runs revision {@code revision} of {@code taskDefinition}. */
  TaskBackend.Plan plan(
      ScheduledTask scheduled, TaskDefinition taskDefinition, int revision, Caches caches);

  /**
   * Makes the schedule what {@code desired} says (created once, updated only where it differs) and
   * reports it and its runs.
   */
  Observation apply(
      ScheduledTask scheduled, ResolvedCluster cluster, Desired desired, Caches caches);

  /** Whether the schedule lives outside Kubernetes, so deleting needs a finalizer. */
  default boolean needsFinalizer() {
    return false;
  }

  /**
   * Removes this backend's schedule of a ScheduledTask whose Cluster moved to another backend (ecs:
   * the EventBridge schedule and the managed role, whatever the deletionPolicy; kubernetes: the
   * CronJob), so that it never runs on both. Called before the new side's schedule is made.
   */
  default Removal retire(ScheduledTask scheduled, ResolvedCluster cluster, Caches caches) {
    return Removal.complete(List.of());
  }

  /**
   * Removes what a deleted ScheduledTask left outside Kubernetes (honouring its deletionPolicy).
   * Kubernetes children go by garbage collection, so the default removes nothing.
   */
  default Removal remove(ScheduledTask scheduled, ResolvedCluster cluster, Caches caches) {
    return Removal.complete(List.of());
  }
}
