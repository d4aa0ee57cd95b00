package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A capacity provider and its share. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CapacityProviderStrategyItem {

  @JsonPropertyDescription("FARGATE, FARGATE_SPOT or an Auto Scaling group provider.")
  @Required
  public String capacityProvider;

  @JsonPropertyDescription("Relative share.")
  @Min(0)
  @Max(1000)
  public Integer weight;

  @JsonPropertyDescription("Tasks placed here first.")
  @Min(0)
  @Max(100000)
  public Integer base;
}
