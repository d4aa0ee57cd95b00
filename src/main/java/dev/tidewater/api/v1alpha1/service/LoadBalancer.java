package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** A target group the service registers tasks in (LoadBalancerRoutes add theirs). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LoadBalancer {

  @JsonPropertyDescription("Target group ARN.")
  public String targetGroupArn;

  @JsonPropertyDescription("Classic load balancer name.")
  public String loadBalancerName;

  @JsonPropertyDescription("Container receiving traffic.")
  public String containerName;

  @JsonPropertyDescription("Its port.")
  @Min(0)
  @Max(65535)
  public Integer containerPort;

  @JsonPropertyDescription("Blue/green settings.")
  public AdvancedConfiguration advancedConfiguration;
}
