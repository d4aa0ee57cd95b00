package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.KeyValuePair;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** App Mesh proxy configuration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxyConfiguration {

  @JsonPropertyDescription("APPMESH.")
  @SchemaEnum({"APPMESH"})
  public String type;

  @JsonPropertyDescription("The proxy container.")
  @Required
  public String containerName;

  @JsonPropertyDescription("Proxy properties.")
  @Size(max = 20)
  public List<KeyValuePair> properties;
}
