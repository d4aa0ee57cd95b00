package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Required;

/** Who runs deployments. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeploymentController {

  @JsonPropertyDescription("ECS (rolling), CODE_DEPLOY or EXTERNAL.")
  @Required
  @SchemaEnum({"ECS", "CODE_DEPLOY", "EXTERNAL"})
  public String type;
}
