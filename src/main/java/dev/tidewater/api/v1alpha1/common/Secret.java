package dev.tidewater.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A secret exposed to a container, read by ECS or Kubernetes from Secrets Manager / SSM (ECS) or a
 * Secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Secret {

  @JsonPropertyDescription("The environment variable (or log option) name.")
  @Required
  @Size(max = 255)
  public String name;

  @JsonPropertyDescription(
      "Secrets Manager ARN (optionally with :json-key:version-stage:version-id), SSM parameter ARN or name.")
  @Required
  @Size(min = 1, max = 2048)
  public String valueFrom;
}
