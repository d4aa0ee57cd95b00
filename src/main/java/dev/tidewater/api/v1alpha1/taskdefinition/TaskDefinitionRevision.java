package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A retained revision of a TaskDefinition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskDefinitionRevision {

  @JsonPropertyDescription("Revision number.")
  public Integer revision;

  @JsonPropertyDescription("Hash of the canonical spec of this revision.")
  public String hash;

  @JsonPropertyDescription("ecs backend: the task definition ARN of this revision.")
  public String taskDefinitionArn;

  @JsonPropertyDescription("When the revision was made (RFC 3339).")
  public String createdAt;
}
