package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Rules routing test traffic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceConnectTestTrafficRules {

  @JsonPropertyDescription("Header rule.")
  @Required
  public ServiceConnectTestTrafficHeaderRules header;
}
