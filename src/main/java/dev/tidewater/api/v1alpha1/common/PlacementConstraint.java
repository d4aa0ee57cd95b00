package dev.tidewater.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An ECS placement constraint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlacementConstraint {

  @JsonPropertyDescription("memberOf or distinctInstance.")
  @Required
  @SchemaEnum({"memberOf", "distinctInstance"})
  public String type;

  @JsonPropertyDescription("Cluster query language expression.")
  @Size(max = 2000)
  public String expression;
}
