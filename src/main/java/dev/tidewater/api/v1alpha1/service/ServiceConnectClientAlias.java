package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A client alias of a Service Connect service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceConnectClientAlias {

  @JsonPropertyDescription("Port clients use.")
  @Required
  @Min(0)
  @Max(65535)
  public Integer port;

  @JsonPropertyDescription("DNS name clients use.")
  public String dnsName;

  @JsonPropertyDescription("Test traffic rules.")
  public ServiceConnectTestTrafficRules testTrafficRules;
}
