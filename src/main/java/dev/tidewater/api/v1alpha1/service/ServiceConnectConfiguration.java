package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.LogConfiguration;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** ECS Service Connect. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceConnectConfiguration {

  @JsonPropertyDescription("Use Service Connect.")
  @Required
  public Boolean enabled;

  @JsonPropertyDescription("Cloud Map namespace.")
  public String namespace;

  @JsonPropertyDescription("Published ports.")
  @Size(max = 10)
  public List<ServiceConnectService> services;

  @JsonPropertyDescription("Proxy logs.")
  public LogConfiguration logConfiguration;

  @JsonPropertyDescription("Proxy access logs.")
  public ServiceConnectAccessLogConfiguration accessLogConfiguration;
}
