package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Header match of test traffic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceConnectTestTrafficHeaderMatchRules {

  @JsonPropertyDescription("Exact header value.")
  @Required
  public String exact;
}
