package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** An Elastic Inference accelerator (deprecated by AWS). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InferenceAccelerator {

  @JsonPropertyDescription("Device name referenced by containers.")
  @Required
  public String deviceName;

  @JsonPropertyDescription("Accelerator type.")
  @Required
  public String deviceType;
}
