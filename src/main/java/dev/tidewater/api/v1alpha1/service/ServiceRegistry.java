package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** A Cloud Map service registry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceRegistry {

  @JsonPropertyDescription("Registry ARN.")
  public String registryArn;

  @JsonPropertyDescription("Port for SRV records.")
  @Min(0)
  @Max(65535)
  public Integer port;

  @JsonPropertyDescription("Container for SRV records.")
  public String containerName;

  @JsonPropertyDescription("Container port for SRV records.")
  @Min(0)
  @Max(65535)
  public Integer containerPort;
}
