package dev.tidewater.api.v1alpha1.loadbalancerroute;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A listener rule: conditions and an optional explicit priority. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouteRule {

  @JsonPropertyDescription(
      "Listener rule priority 1-50000; lower wins; unique per listener. Without it, Tidewater assigns one (reported in status.rules[].priority and kept across reconciles).")
  @Min(1)
  @Max(50000)
  public Integer priority;

  @JsonPropertyDescription("Conditions.")
  @Required
  public RuleConditions conditions;
}
