package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A host device exposed to the container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Device {

  @JsonPropertyDescription("Path of the device on the host.")
  @Required
  public String hostPath;

  @JsonPropertyDescription("Path in the container.")
  public String containerPath;

  @JsonPropertyDescription("read, write, mknod.")
  @Size(max = 3)
  public List<String> permissions;
}
