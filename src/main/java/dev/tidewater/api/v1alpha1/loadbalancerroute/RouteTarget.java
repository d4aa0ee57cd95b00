package dev.tidewater.api.v1alpha1.loadbalancerroute;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** The Service (and container port) traffic goes to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouteTarget {

  @JsonPropertyDescription("The Service in this namespace.")
  @Required
  public ObjectRef serviceRef;

  @JsonPropertyDescription("Container receiving traffic (default: the one exposing containerPort).")
  public String containerName;

  @JsonPropertyDescription("Its port.")
  @Required
  @Min(1)
  @Max(65535)
  public Integer containerPort;
}
