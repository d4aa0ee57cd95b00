package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Private registry credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RepositoryCredentials {

  @JsonPropertyDescription("Secrets Manager secret ARN or name with the registry credentials.")
  @Required
  public String credentialsParameter;
}
