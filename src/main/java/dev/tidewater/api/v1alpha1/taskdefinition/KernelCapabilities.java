package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Linux capabilities added to or dropped from the container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KernelCapabilities {

  @JsonPropertyDescription("Capabilities to add (e.g. NET_ADMIN).")
  @Size(max = 64)
  public List<String> add;

  @JsonPropertyDescription("Capabilities to drop.")
  @Size(max = 64)
  public List<String> drop;
}
