package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Credentials for an FSx for Windows File Server volume. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FsxWindowsFileServerAuthorizationConfig {

  @JsonPropertyDescription("Secrets Manager or SSM ARN of the credentials.")
  @Required
  public String credentialsParameter;

  @JsonPropertyDescription("Active Directory domain.")
  @Required
  public String domain;
}
