package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import java.util.Map;

/** A Docker volume. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerVolumeConfiguration {

  @JsonPropertyDescription("task or shared.")
  @SchemaEnum({"task", "shared"})
  public String scope;

  @JsonPropertyDescription("Create a shared volume when missing.")
  public Boolean autoprovision;

  @JsonPropertyDescription("Volume driver.")
  public String driver;

  @JsonPropertyDescription("Driver options.")
  public Map<String, String> driverOpts;

  @JsonPropertyDescription("Volume labels.")
  public Map<String, String> labels;
}
