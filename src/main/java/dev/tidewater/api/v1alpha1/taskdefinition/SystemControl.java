package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A namespaced kernel parameter (sysctl). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SystemControl {

  @JsonPropertyDescription("The sysctl name, e.g. net.core.somaxconn.")
  public String namespace;

  @JsonPropertyDescription("Its value.")
  public String value;
}
