package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Stop (and optionally roll back) a deployment that cannot reach steady state. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeploymentCircuitBreaker {

  @JsonPropertyDescription("Turn the circuit breaker on.")
  @Required
  public Boolean enable;

  @JsonPropertyDescription("Roll back to the last working revision when it trips.")
  @Required
  public Boolean rollback;
}
