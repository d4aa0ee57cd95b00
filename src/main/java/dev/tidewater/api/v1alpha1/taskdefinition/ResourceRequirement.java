package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Required;

/** A GPU or inference accelerator request. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceRequirement {

  @JsonPropertyDescription("Number of GPUs, or the accelerator device name.")
  @Required
  public String value;

  @JsonPropertyDescription("GPU or InferenceAccelerator.")
  @Required
  @SchemaEnum({"GPU", "InferenceAccelerator"})
  public String type;
}
