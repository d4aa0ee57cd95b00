package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Required;

/** An environment file in S3. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EnvironmentFile {

  @JsonPropertyDescription("S3 object ARN.")
  @Required
  public String value;

  @JsonPropertyDescription("s3.")
  @Required
  @SchemaEnum({"s3"})
  public String type;
}
