package dev.tidewater.api.v1alpha1.scheduledtask;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import java.util.List;

/** Status of a ScheduledTask: where the schedule lives, the last and next run, recent results. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ScheduledTaskStatus extends TidewaterStatus {

  @JsonPropertyDescription(
      "Active (runs are started), Paused (spec.paused), Pending (before startDate or the first"
          + " year of the cron), Ended (from endDate or after the last year of the cron), Completed"
          + " (an at() schedule that ran).")
  public String state;

  @JsonPropertyDescription("ecs backend: the EventBridge Scheduler schedule ARN.")
  public String scheduleArn;

  @JsonPropertyDescription("ecs backend: the schedule's name and group in EventBridge Scheduler.")
  public String scheduleName;

  @JsonPropertyDescription("ecs backend: ENABLED or DISABLED, as EventBridge Scheduler reports it.")
  public String scheduleState;

  @JsonPropertyDescription(
      "ecs backend: the role EventBridge Scheduler assumes (spec.schedulerRoleArn, or the one"
          + " Tidewater manages).")
  public String schedulerRoleArn;

  @JsonPropertyDescription(
      "ecs backend: a hash of what the managed scheduler role was last made from (its IAM calls"
          + " are made again only when it changes).")
  public String schedulerRoleHash;

  @JsonPropertyDescription("The TaskDefinition revision the runs start.")
  public Integer revision;

  @JsonPropertyDescription("kubernetes backend: the CronJob.")
  public String cronJobName;

  @JsonPropertyDescription(
      "kubernetes backend: the CronJob schedule and time zone the expression became.")
  public String cronJobSchedule;

  @JsonPropertyDescription("kubernetes backend: the CronJob's timeZone.")
  public String cronJobTimeZone;

  @JsonPropertyDescription("When the last run started (RFC 3339).")
  public String lastRunTime;

  @JsonPropertyDescription("When the next run is due (RFC 3339), absent when none is.")
  public String nextRunTime;

  @JsonPropertyDescription(
      "The last run's result, as a Task reports it: Succeeded, Failed or Running.")
  public String lastRunResult;

  @JsonPropertyDescription("The tasks of the last run.")
  public List<TaskRunStatus> lastRunTasks;

  @JsonPropertyDescription(
      "The finished runs kept: successfulRunsHistoryLimit succeeded and failedRunsHistoryLimit"
          + " failed ones, newest first (on the kubernetes backend also kept as Jobs).")
  public List<ScheduledRunStatus> recentRuns;

  @JsonPropertyDescription("at() schedules: true once the single run has started.")
  public Boolean completed;

  @JsonPropertyDescription(
      "at() schedules: the scheduleExpression (and time zone) `completed` applies to; an edited"
          + " at() is a new single run.")
  public String completedFor;

  @JsonPropertyDescription(
      "The last failed run a RunFailed Event was recorded for (its name), so that it is reported"
          + " once whatever failedRunsHistoryLimit keeps.")
  public String lastFailedRunReported;
}
