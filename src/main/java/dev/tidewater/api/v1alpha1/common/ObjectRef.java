package dev.tidewater.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A reference to another Tidewater resource in the same namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectRef {

  @JsonPropertyDescription("Name of the referenced resource.")
  @Required
  @Size(min = 1, max = 253)
  public String name;
}
