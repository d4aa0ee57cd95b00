package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Blue/green target group settings of a load balancer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdvancedConfiguration {

  @JsonPropertyDescription("Alternate target group.")
  public String alternateTargetGroupArn;

  @JsonPropertyDescription("Production listener rule ARN.")
  public String productionListenerRule;

  @JsonPropertyDescription("Test listener rule ARN.")
  public String testListenerRule;

  @JsonPropertyDescription("Role ECS uses to change the rules.")
  public String roleArn;
}
