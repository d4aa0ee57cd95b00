package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** An FSx for Windows File Server volume. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FsxWindowsFileServerVolumeConfiguration {

  @JsonPropertyDescription("File system id.")
  @Required
  public String fileSystemId;

  @JsonPropertyDescription("Root directory.")
  @Required
  public String rootDirectory;

  @JsonPropertyDescription("Credentials.")
  @Required
  public FsxWindowsFileServerAuthorizationConfig authorizationConfig;
}
