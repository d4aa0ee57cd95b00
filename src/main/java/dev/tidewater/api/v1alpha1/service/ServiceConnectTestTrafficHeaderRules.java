package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Header rule of test traffic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceConnectTestTrafficHeaderRules {

  @JsonPropertyDescription("Header name.")
  @Required
  public String name;

  @JsonPropertyDescription("Header value match.")
  public ServiceConnectTestTrafficHeaderMatchRules value;
}
