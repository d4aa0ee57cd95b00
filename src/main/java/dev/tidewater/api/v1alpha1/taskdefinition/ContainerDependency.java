package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Start order: this container waits for another container to reach a condition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerDependency {

  @JsonPropertyDescription("The container waited for.")
  @Required
  @Size(max = 255)
  public String containerName;

  @JsonPropertyDescription("START, COMPLETE, SUCCESS or HEALTHY.")
  @Required
  @SchemaEnum({"START", "COMPLETE", "SUCCESS", "HEALTHY"})
  public String condition;
}
