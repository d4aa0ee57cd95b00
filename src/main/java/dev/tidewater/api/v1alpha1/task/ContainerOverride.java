package dev.tidewater.api.v1alpha1.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.KeyValuePair;
import dev.tidewater.api.v1alpha1.schema.ListMapKeys;
import dev.tidewater.api.v1alpha1.taskdefinition.ResourceRequirement;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** RunTask's change to one container of the task definition, named by {@code name}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerOverride {

  @JsonPropertyDescription("The container of the task definition this changes.")
  @Required
  @Size(min = 1, max = 255)
  public String name;

  @JsonPropertyDescription("Replaces the container's command.")
  @Size(max = 100)
  public List<String> command;

  @JsonPropertyDescription("Added to (or replacing, by name) the container's environment.")
  @Size(max = 100)
  @ListMapKeys("name")
  public List<KeyValuePair> environment;

  @JsonPropertyDescription("CPU units for the container.")
  @Min(0)
  public Integer cpu;

  @JsonPropertyDescription("Hard memory limit in MiB.")
  @Min(1)
  public Integer memory;

  @JsonPropertyDescription("Soft memory limit in MiB.")
  @Min(1)
  public Integer memoryReservation;

  @JsonPropertyDescription("GPU and other resources for the container.")
  @Size(max = 10)
  public List<ResourceRequirement> resourceRequirements;
}
