package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A bind mount from the host (EC2 / external). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HostVolumeProperties {

  @JsonPropertyDescription("Path on the host; absent means a Docker-managed path.")
  public String sourcePath;
}
