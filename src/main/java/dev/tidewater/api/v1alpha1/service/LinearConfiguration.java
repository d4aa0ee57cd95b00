package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Linear traffic shifting. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LinearConfiguration {

  @JsonPropertyDescription("Traffic shifted per step.")
  public Double stepPercent;

  @JsonPropertyDescription("Minutes between steps.")
  @Min(0)
  public Integer stepBakeTimeInMinutes;
}
