package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The TaskDefinition a Service runs: its latest revision, or a pinned one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskDefinitionRef {

  @JsonPropertyDescription("TaskDefinition name in this namespace.")
  @Required
  @Size(min = 1, max = 253)
  public String name;

  @JsonPropertyDescription("Pin this revision; absent follows the latest.")
  @Min(1)
  public Integer revision;
}
