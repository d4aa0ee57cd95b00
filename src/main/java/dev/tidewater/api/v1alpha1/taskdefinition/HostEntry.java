package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** An /etc/hosts entry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HostEntry {

  @JsonPropertyDescription("Host name.")
  @Required
  public String hostname;

  @JsonPropertyDescription("IP address.")
  @Required
  public String ipAddress;
}
