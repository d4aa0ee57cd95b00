package dev.tidewater.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A name / value pair (environment variables, proxy properties). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeyValuePair {

  @JsonPropertyDescription("The name.")
  @Required
  @Size(max = 255)
  public String name;

  @JsonPropertyDescription("The value.")
  public String value;
}
