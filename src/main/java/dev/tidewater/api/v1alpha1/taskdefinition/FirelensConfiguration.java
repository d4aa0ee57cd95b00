package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** FireLens log router settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FirelensConfiguration {

  @JsonPropertyDescription("fluentd or fluentbit.")
  @Required
  @SchemaEnum({"fluentd", "fluentbit"})
  public String type;

  @JsonPropertyDescription(
      "Router options (config-file-type, config-file-value, enable-ecs-log-metadata).")
  public Map<String, String> options;
}
