package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A port published through Service Connect. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceConnectService {

  @JsonPropertyDescription("portMappings[].name of the task definition.")
  @Required
  public String portName;

  @JsonPropertyDescription("Cloud Map discovery name.")
  public String discoveryName;

  @JsonPropertyDescription("Client aliases.")
  @Size(max = 10)
  public List<ServiceConnectClientAlias> clientAliases;

  @JsonPropertyDescription("Port of the proxy.")
  @Min(0)
  @Max(65535)
  public Integer ingressPortOverride;

  @JsonPropertyDescription("Timeouts.")
  public TimeoutConfiguration timeout;

  @JsonPropertyDescription("TLS.")
  public ServiceConnectTlsConfiguration tls;
}
