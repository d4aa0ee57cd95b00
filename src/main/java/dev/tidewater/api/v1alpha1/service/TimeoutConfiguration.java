package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Service Connect timeouts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TimeoutConfiguration {

  @JsonPropertyDescription("Idle timeout.")
  @Min(0)
  public Integer idleTimeoutSeconds;

  @JsonPropertyDescription("Per-request timeout.")
  @Min(0)
  public Integer perRequestTimeoutSeconds;
}
