package dev.tidewater.api.v1alpha1.loadbalancerroute;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The load balancer the route attaches to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.name) || has(self.arn)", message = "name or arn is required")
public class LoadBalancerSelector {

  @JsonPropertyDescription(
      "Load balancer name (aws mode / ECS: looked up; ingress mode: the IngressGroup name).")
  @Size(max = 255)
  public String name;

  @JsonPropertyDescription("Load balancer ARN.")
  @Size(max = 2048)
  public String arn;

  @JsonPropertyDescription("application (default) or network.")
  @SchemaEnum({"application", "network"})
  public String type;

  @JsonPropertyDescription("internet-facing or internal (ingress mode).")
  @SchemaEnum({"internet-facing", "internal"})
  public String scheme;
}
