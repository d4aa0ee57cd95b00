package dev.tidewater.api.v1alpha1.taskrole;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** An inline IAM policy of the role. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InlinePolicy {

  @JsonPropertyDescription("Policy name, unique in the role.")
  @Required
  @Pattern("^[A-Za-z0-9+=,.@_-]{1,128}$")
  public String name;

  @JsonPropertyDescription("The policy document, as YAML / JSON.")
  @Required
  @PreserveUnknownFields
  public JsonNode document;
}
