package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Required;

/** An ECS placement strategy (EC2). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlacementStrategy {

  @JsonPropertyDescription("random, spread or binpack.")
  @Required
  @SchemaEnum({"random", "spread", "binpack"})
  public String type;

  @JsonPropertyDescription(
      "Field the strategy applies to (e.g. attribute:ecs.availability-zone, memory).")
  public String field;
}
