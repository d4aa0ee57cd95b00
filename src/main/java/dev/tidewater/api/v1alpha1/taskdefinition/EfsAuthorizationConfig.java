package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;

/** EFS access point and IAM authorisation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EfsAuthorizationConfig {

  @JsonPropertyDescription("EFS access point id.")
  public String accessPointId;

  @JsonPropertyDescription("ENABLED or DISABLED.")
  @SchemaEnum({"ENABLED", "DISABLED"})
  public String iam;
}
