package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A Lambda hook run at deployment lifecycle stages. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeploymentLifecycleHook {

  @JsonPropertyDescription("Lambda function ARN.")
  public String hookTargetArn;

  @JsonPropertyDescription("Role ECS uses to invoke it.")
  public String roleArn;

  @JsonPropertyDescription("Stages the hook runs at.")
  @Size(max = 10)
  public List<String> lifecycleStages;

  @JsonPropertyDescription("Free-form details passed to the hook.")
  @PreserveUnknownFields
  public JsonNode hookDetails;
}
