package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A VPC Lattice target group of the service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VpcLatticeConfiguration {

  @JsonPropertyDescription("Infrastructure role.")
  @Required
  public String roleArn;

  @JsonPropertyDescription("Lattice target group ARN.")
  @Required
  public String targetGroupArn;

  @JsonPropertyDescription("portMappings[].name to register.")
  @Required
  public String portName;
}
