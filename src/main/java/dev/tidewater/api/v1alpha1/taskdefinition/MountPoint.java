package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** A volume mounted into the container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MountPoint {

  @JsonPropertyDescription("Name of a volume of the task.")
  @Size(max = 255)
  public String sourceVolume;

  @JsonPropertyDescription("Path in the container.")
  @Size(max = 4096)
  public String containerPath;

  @JsonPropertyDescription("Mount read-only.")
  public Boolean readOnly;
}
