package dev.tidewater.api.v1alpha1.loadbalancerroute;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where one rule of a route landed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RuleStatus {

  @JsonPropertyDescription("The rule's priority.")
  public Integer priority;

  @JsonPropertyDescription(
      "ingress mode: alb.ingress.kubernetes.io/group.order of its Ingress (rank in the group).")
  public Integer groupOrder;

  @JsonPropertyDescription("ELBv2 listener rule ARN (ecs backend and aws routing mode).")
  public String ruleArn;

  @JsonPropertyDescription("Ingress or HTTPRoute of this rule (kubernetes backend).")
  public String childName;
}
