package dev.tidewater.api.v1alpha1.tenancy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The load balancers and listeners a {@link TenancyPolicy} lets LoadBalancerRoutes use. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RoutingGrants {

  @JsonPropertyDescription(
      "Load balancers (names or ARNs, patterns) routes may use; absent: any. A host or path"
          + " another namespace routes on the same listener is refused either way.")
  @Size(max = 100)
  public List<String> allowedLoadBalancers;

  @JsonPropertyDescription("Listener ARNs (patterns) routes may add rules to; absent: any.")
  @Size(max = 100)
  public List<String> allowedListenerArns;
}
