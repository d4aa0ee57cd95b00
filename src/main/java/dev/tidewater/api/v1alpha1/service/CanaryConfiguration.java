package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Canary traffic shifting. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanaryConfiguration {

  @JsonPropertyDescription("Traffic of the canary step.")
  public Double canaryPercent;

  @JsonPropertyDescription("Minutes before shifting the rest.")
  @Min(0)
  public Integer canaryBakeTimeInMinutes;
}
