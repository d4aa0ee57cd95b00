package dev.tidewater.api.v1alpha1.loadbalancerroute;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Listener rules forwarding to a Service's container port. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.loadBalancer.type) && self.loadBalancer.type == 'network') || (has(self.rules) && size(self.rules) > 0)",
    message = "an application load balancer route needs at least one rule",
    reason = "FieldValueRequired",
    fieldPath = ".rules")
@ValidationRule(
    value =
        "!has(self.loadBalancer.type) || self.loadBalancer.type != 'network' || !has(self.rules) || size(self.rules) == 0",
    message = "a network load balancer has no listener rules: leave rules empty",
    reason = "FieldValueForbidden",
    fieldPath = ".rules")
@ValidationRule(
    value =
        "!has(self.rules) || self.rules.all(r, has(r.conditions.hostHeaders) || has(r.conditions.pathPatterns) || has(r.conditions.httpHeaders) || has(r.conditions.httpRequestMethods) || has(r.conditions.sourceIps))",
    message = "every rule needs at least one condition",
    fieldPath = ".rules")
@ValidationRule(
    value =
        "!has(self.rules) || self.rules.all(r, !has(r.priority) || self.rules.exists_one(o, has(o.priority) && o.priority == r.priority))",
    // the default reason (FieldValueInvalid): FieldValueDuplicate drops the message
    message = "rule priorities must be unique",
    fieldPath = ".rules")
public class LoadBalancerRouteSpec {

  @JsonPropertyDescription(
      "The Cluster this belongs to; default: the Cluster named \"default\" in the namespace.")
  public ObjectRef clusterRef;

  @JsonPropertyDescription("The load balancer.")
  @Required
  public LoadBalancerSelector loadBalancer;

  @JsonPropertyDescription("The listener.")
  @Required
  public ListenerSelector listener;

  @JsonPropertyDescription("Where traffic goes.")
  @Required
  public RouteTarget target;

  // no list-map key: priority is optional; its uniqueness is the CEL rule above
  @JsonPropertyDescription("Rules, in order; each with an explicit priority or one assigned.")
  @Size(max = 100)
  public List<RouteRule> rules;

  @JsonPropertyDescription("Target group health check.")
  public TargetHealthCheck healthCheck;

  @JsonPropertyDescription("Seconds a deregistering target drains.")
  @Min(0)
  @Max(3600)
  public Integer deregistrationDelaySeconds;

  @JsonPropertyDescription("AWS tags of the target group and rules.")
  @Size(max = 50)
  public List<Tag> tags;

  @JsonPropertyDescription(
      "Delete or Retain the target group and rules when this resource is deleted (default Delete).")
  @SchemaEnum({"Delete", "Retain"})
  public String deletionPolicy;

  @JsonPropertyDescription(
      "Take over an existing target group of the same name not created by Tidewater.")
  public Boolean adopt;
}
