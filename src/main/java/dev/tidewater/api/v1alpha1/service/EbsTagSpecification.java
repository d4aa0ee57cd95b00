package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Tags of EBS volumes created for tasks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EbsTagSpecification {

  @JsonPropertyDescription("volume.")
  @Required
  @SchemaEnum({"volume"})
  public String resourceType;

  @JsonPropertyDescription("Tags.")
  @Size(max = 50)
  public List<Tag> tags;

  @JsonPropertyDescription("TASK_DEFINITION, SERVICE or NONE.")
  @SchemaEnum({"TASK_DEFINITION", "SERVICE", "NONE"})
  public String propagateTags;
}
