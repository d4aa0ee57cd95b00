package dev.tidewater.api.v1alpha1.scheduledtask;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One finished run of a ScheduledTask: when it started and ended, and how it ended. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScheduledRunStatus {

  @JsonPropertyDescription(
      "kubernetes backend: the Job of the run; ecs backend: the ARN of its first task.")
  public String name;

  @JsonPropertyDescription("When the run started (RFC 3339).")
  public String startedAt;

  @JsonPropertyDescription("When its last task stopped (RFC 3339).")
  public String stoppedAt;

  @JsonPropertyDescription("Succeeded or Failed, as a Task reports it.")
  public String result;

  @JsonPropertyDescription("Why it failed: the stop code of the first failed task.")
  public String reason;
}
