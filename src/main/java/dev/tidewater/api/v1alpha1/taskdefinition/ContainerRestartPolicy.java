package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Restarts of an exited container in place. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerRestartPolicy {

  @JsonPropertyDescription("Whether the restart policy is on.")
  @Required
  public Boolean enabled;

  @JsonPropertyDescription("Exit codes that do not restart.")
  @Size(max = 50)
  public List<Integer> ignoredExitCodes;

  @JsonPropertyDescription("Seconds a container must run before a restart is attempted.")
  @Min(60)
  @Max(1800)
  public Integer restartAttemptPeriod;
}
