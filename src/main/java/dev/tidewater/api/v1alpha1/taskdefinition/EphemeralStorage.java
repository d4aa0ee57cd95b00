package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Fargate ephemeral storage. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EphemeralStorage {

  @JsonPropertyDescription("21-200 GiB.")
  @Required
  @Min(21)
  @Max(200)
  public Integer sizeInGiB;
}
