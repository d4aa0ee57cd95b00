package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A placement constraint of the task definition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskDefinitionPlacementConstraint {

  @JsonPropertyDescription("memberOf.")
  @Required
  @SchemaEnum({"memberOf"})
  public String type;

  @JsonPropertyDescription("Cluster query language expression.")
  @Size(max = 2000)
  public String expression;
}
