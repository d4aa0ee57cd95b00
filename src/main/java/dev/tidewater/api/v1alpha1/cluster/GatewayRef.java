package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A Gateway API Gateway. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayRef {

  @JsonPropertyDescription("Gateway name.")
  @Required
  public String name;

  @JsonPropertyDescription("Gateway namespace (default: the route's).")
  public String namespace;

  @JsonPropertyDescription("Listener of the Gateway.")
  public String sectionName;
}
