package dev.tidewater.api.v1alpha1.loadbalancerroute;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import java.util.List;

/** Status of a {@link LoadBalancerRoute}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class LoadBalancerRouteStatus extends TidewaterStatus {

  @JsonPropertyDescription("The target group ARN (ecs backend and aws routing mode).")
  public String targetGroupArn;

  @JsonPropertyDescription("kubernetes backend: the Service selecting the target's pods.")
  public String serviceName;

  @JsonPropertyDescription("Each rule and where it landed.")
  public List<RuleStatus> rules;
}
