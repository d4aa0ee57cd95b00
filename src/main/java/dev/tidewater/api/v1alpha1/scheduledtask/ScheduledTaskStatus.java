package dev.tidewater.api.v1alpha1.scheduledtask;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import java.util.List;

/** Status of a ScheduledTask: where the schedule lives, the last and next run, recent results. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ScheduledTaskStatus extends TidewaterStatus {

  @JsonPropertyDescription("ecs backend: the EventBridge Scheduler schedule ARN.")
  public String scheduleArn;

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

  @JsonPropertyDescription("at() schedules: true once the single run has started.")
  public Boolean completed;
}
