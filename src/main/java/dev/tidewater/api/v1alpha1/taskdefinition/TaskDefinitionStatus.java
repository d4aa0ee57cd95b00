package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import java.util.List;

/** Status of a {@link TaskDefinition}: its family, latest revision and retained revisions. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TaskDefinitionStatus extends TidewaterStatus {

  @JsonPropertyDescription("The ECS family in effect.")
  public String family;

  @JsonPropertyDescription("The latest revision.")
  public Integer revision;

  @JsonPropertyDescription("Hash of the canonical spec of the latest revision.")
  public String hash;

  @JsonPropertyDescription("ecs backend: ARN of the latest revision.")
  public String taskDefinitionArn;

  @JsonPropertyDescription("Revisions kept (in use or within revisionHistoryLimit).")
  public List<TaskDefinitionRevision> revisions;
}
