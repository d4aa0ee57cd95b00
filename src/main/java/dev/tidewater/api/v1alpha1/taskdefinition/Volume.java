package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A volume of the task (ECS Volume): host path, Docker, EFS, FSx, or configured at launch (EBS).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Volume {

  @JsonPropertyDescription("Volume name, referenced by mountPoints.")
  @Required
  @Pattern("^[a-zA-Z0-9_-]{1,255}$")
  public String name;

  @JsonPropertyDescription("A host bind mount.")
  public HostVolumeProperties host;

  @JsonPropertyDescription("A Docker volume.")
  public DockerVolumeConfiguration dockerVolumeConfiguration;

  @JsonPropertyDescription("An EFS volume.")
  public EfsVolumeConfiguration efsVolumeConfiguration;

  @JsonPropertyDescription("An FSx for Windows File Server volume.")
  public FsxWindowsFileServerVolumeConfiguration fsxWindowsFileServerVolumeConfiguration;

  @JsonPropertyDescription(
      "Configured when the task or service launches (an EBS volume of the Service).")
  public Boolean configuredAtLaunch;
}
