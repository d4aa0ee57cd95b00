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

  @JsonPropertyDescription("The listener ARN the rules are on (ecs backend and aws routing mode).")
  public String listenerArn;

  @JsonPropertyDescription(
      "What the listener was resolved from (load balancer and port, or listener ARN): when the spec names another, the rules move to the new listener.")
  public String listenerSource;

  @JsonPropertyDescription(
      "Target groups replaced (the target type changed) and deleted once nothing uses them.")
  public List<String> retiredTargetGroupArns;

  @JsonPropertyDescription("kubernetes backend: the Service selecting the target's pods.")
  public String serviceName;

  @JsonPropertyDescription(
      "Where clients reach the route: the load balancer's DNS name from the Ingress / Gateway / Service status, when known.")
  public String address;

  @JsonPropertyDescription(
      "kubernetes backend: HTTPRoutes / TargetGroupBindings made for this route (apiVersion/kind/name), so stale ones are deleted without a LIST.")
  public List<String> genericChildren;

  @JsonPropertyDescription("Each rule and where it landed.")
  public List<RuleStatus> rules;
}
