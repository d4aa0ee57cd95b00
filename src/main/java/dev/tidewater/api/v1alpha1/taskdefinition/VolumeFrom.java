package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** Volumes mounted from another container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VolumeFrom {

  @JsonPropertyDescription("Container whose volumes are mounted.")
  @Size(max = 255)
  public String sourceContainer;

  @JsonPropertyDescription("Mount read-only.")
  public Boolean readOnly;
}
