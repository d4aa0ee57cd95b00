package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Subnets and security groups of awsvpc tasks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AwsVpcConfiguration {

  @JsonPropertyDescription("Subnet ids (at most 16).")
  @Required
  @Size(min = 1, max = 16)
  public List<String> subnets;

  @JsonPropertyDescription("Security group ids (at most 5).")
  @Size(max = 5)
  public List<String> securityGroups;

  @JsonPropertyDescription("ENABLED or DISABLED.")
  @SchemaEnum({"ENABLED", "DISABLED"})
  public String assignPublicIp;
}
