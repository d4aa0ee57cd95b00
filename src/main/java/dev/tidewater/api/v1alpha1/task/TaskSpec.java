package dev.tidewater.api.v1alpha1.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A one-off run of a task definition revision: the fields of ECS RunTask ({@link TaskTemplate}),
 * plus the Cluster, a time to live once finished and a deletion policy. It runs once per resource;
 * changing what to run afterwards would not start another run (ECS never reruns a task), so the API
 * server refuses it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(oldSelf.taskDefinitionRef) || self.taskDefinitionRef == oldSelf.taskDefinitionRef",
    message = "a Task runs once: its taskDefinitionRef cannot change; create another Task",
    fieldPath = ".taskDefinitionRef")
@ValidationRule(
    value =
        "!has(oldSelf.overrides) || (has(self.overrides) && self.overrides == oldSelf.overrides)",
    message = "a Task runs once: its overrides cannot change; create another Task",
    fieldPath = ".overrides")
public class TaskSpec extends TaskTemplate {

  @JsonPropertyDescription(
      "The Cluster this belongs to; default: the Cluster named \"default\" in the namespace.")
  public ObjectRef clusterRef;

  @JsonPropertyDescription(
      "Seconds to keep this resource once every task has stopped (absent: kept until deleted).")
  @Min(0)
  public Integer ttlSecondsAfterFinished;

  @JsonPropertyDescription(
      "When this resource is deleted while tasks run: Delete stops them (StopTask, or the Job"
          + " with its pods), Retain leaves them running (default Delete).")
  @SchemaEnum({"Delete", "Retain"})
  public String deletionPolicy;
}
