package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Required;

/** Access logs of the Service Connect proxy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceConnectAccessLogConfiguration {

  @JsonPropertyDescription("TEXT or JSON.")
  @Required
  @SchemaEnum({"TEXT", "JSON"})
  public String format;

  @JsonPropertyDescription("ENABLED or DISABLED.")
  @SchemaEnum({"ENABLED", "DISABLED"})
  public String includeQueryParameters;
}
