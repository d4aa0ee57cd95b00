package dev.tidewater.api.v1alpha1.loadbalancerroute;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Conditions of a rule (ALB semantics: all must match; values of one condition are alternatives).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RuleConditions {

  @JsonPropertyDescription("Host names (wildcards * and ?).")
  @Size(min = 1, max = 5)
  public List<String> hostHeaders;

  @JsonPropertyDescription("Path patterns (wildcards * and ?, case-sensitive).")
  @Size(min = 1, max = 5)
  public List<String> pathPatterns;

  @JsonPropertyDescription("HTTP header conditions.")
  @Size(min = 1, max = 5)
  public List<HttpHeaderCondition> httpHeaders;

  @JsonPropertyDescription("HTTP methods.")
  @Size(min = 1, max = 5)
  public List<String> httpRequestMethods;

  @JsonPropertyDescription("Source CIDRs.")
  @Size(min = 1, max = 5)
  public List<String> sourceIps;
}
