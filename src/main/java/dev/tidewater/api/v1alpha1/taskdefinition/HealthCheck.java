package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The container health check (ECS HealthCheck). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HealthCheck {

  @JsonPropertyDescription("[\"CMD\", exe, args...] or [\"CMD-SHELL\", \"command\"].")
  @Required
  @Size(min = 1, max = 64)
  public List<String> command;

  @JsonPropertyDescription("Seconds between checks (5-300, default 30).")
  @Min(5)
  @Max(300)
  public Integer interval;

  @JsonPropertyDescription("Seconds before a check fails (2-120, default 5).")
  @Min(2)
  @Max(120)
  public Integer timeout;

  @JsonPropertyDescription("Failures before unhealthy (1-10, default 3).")
  @Min(1)
  @Max(10)
  public Integer retries;

  @JsonPropertyDescription("Grace seconds before failures count (0-300).")
  @Min(0)
  @Max(300)
  public Integer startPeriod;
}
