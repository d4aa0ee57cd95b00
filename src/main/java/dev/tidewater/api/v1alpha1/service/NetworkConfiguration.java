package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Network configuration of awsvpc tasks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkConfiguration {

  @JsonPropertyDescription("Subnets and security groups.")
  public AwsVpcConfiguration awsvpcConfiguration;
}
