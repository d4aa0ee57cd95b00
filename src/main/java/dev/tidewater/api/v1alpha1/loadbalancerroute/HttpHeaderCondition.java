package dev.tidewater.api.v1alpha1.loadbalancerroute;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** An HTTP header condition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpHeaderCondition {

  @JsonPropertyDescription("Header name.")
  @Required
  @Size(max = 40)
  public String name;

  @JsonPropertyDescription("Values (wildcards * and ?).")
  @Required
  @Size(min = 1, max = 5)
  public List<String> values;
}
