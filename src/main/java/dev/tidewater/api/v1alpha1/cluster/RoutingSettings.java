package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.ValidationRule;

/** How LoadBalancerRoutes are realised on the kubernetes backend. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.mode) || self.mode != 'gateway' || has(self.gatewayRef)",
    message = "mode gateway needs gatewayRef",
    reason = "FieldValueRequired",
    fieldPath = ".gatewayRef")
public class RoutingSettings {

  @JsonPropertyDescription(
      "ingress (AWS Load Balancer Controller Ingresses), aws (target groups and rules through ELBv2 + TargetGroupBinding) or gateway (HTTPRoute).")
  @SchemaEnum({"ingress", "aws", "gateway"})
  public String mode;

  @JsonPropertyDescription("IngressClass of ingress mode (default alb).")
  public String ingressClassName;

  @JsonPropertyDescription("Gateway of gateway mode.")
  public GatewayRef gatewayRef;
}
