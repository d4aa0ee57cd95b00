package dev.tidewater.api.v1alpha1.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.ListMapKeys;
import dev.tidewater.api.v1alpha1.taskdefinition.EphemeralStorage;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The RunTask overrides: per-container changes and task-level cpu, memory and roles. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskOverride {

  @JsonPropertyDescription("Changes to named containers of the task definition.")
  @Size(max = 100)
  @ListMapKeys("name")
  public List<ContainerOverride> containerOverrides;

  @JsonPropertyDescription("Task CPU, as in the task definition (\"512\" or \"0.5 vCPU\").")
  @Pattern("^([0-9]+|[0-9]+(\\.[0-9]+)? ?[vV][cC][pP][uU])$")
  public String cpu;

  @JsonPropertyDescription("Task memory, as in the task definition (\"1024\" or \"1 GB\").")
  @Pattern("^([0-9]+|[0-9]+(\\.[0-9]+)? ?[gG][bB])$")
  public String memory;

  @JsonPropertyDescription("Fargate ephemeral storage for this run.")
  public EphemeralStorage ephemeralStorage;

  @JsonPropertyDescription(
      "A TaskRole in this namespace to run as instead of the task definition's (open question:"
          + " RunTask takes a role ARN; a reference keeps the tenancy rules of TaskRole).")
  public String taskRoleRef;
}
