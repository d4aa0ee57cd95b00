package dev.tidewater.api.v1alpha1.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One container of a task: its status, exit code and reason, as ECS reports them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerRunStatus {

  @JsonPropertyDescription("The container name.")
  public String name;

  @JsonPropertyDescription("PENDING, RUNNING or STOPPED.")
  public String lastStatus;

  @JsonPropertyDescription("The exit code once stopped.")
  public Integer exitCode;

  @JsonPropertyDescription("Why it stopped, when known (e.g. OOMKilled).")
  public String reason;
}
