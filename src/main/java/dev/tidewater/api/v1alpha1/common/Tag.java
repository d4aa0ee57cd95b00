package dev.tidewater.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An AWS tag. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Tag {

  @JsonPropertyDescription("Tag key.")
  @Required
  @Size(min = 1, max = 128)
  public String key;

  @JsonPropertyDescription("Tag value.")
  @Size(max = 256)
  public String value;
}
