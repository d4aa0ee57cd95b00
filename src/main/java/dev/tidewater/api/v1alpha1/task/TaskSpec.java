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
 * changing what to run afterwards would not start another run (ECS never reruns a task) and would
 * lose the tasks (startedBy, the Cluster are how they are found again), so the API server refuses a
 * change of every field but {@code ttlSecondsAfterFinished} and {@code deletionPolicy} (setting or
 * removing one counts as a change).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.taskDefinitionRef) == has(oldSelf.taskDefinitionRef) && (!has(self.taskDefinitionRef) || self.taskDefinitionRef == oldSelf.taskDefinitionRef)",
    message = "a Task runs once: its taskDefinitionRef cannot change; create another Task",
    fieldPath = ".taskDefinitionRef")
@ValidationRule(
    value =
        "has(self.count) == has(oldSelf.count) && (!has(self.count) || self.count == oldSelf.count)",
    message = "a Task runs once: its count cannot change; create another Task",
    fieldPath = ".count")
@ValidationRule(
    value =
        "has(self.overrides) == has(oldSelf.overrides) && (!has(self.overrides) || self.overrides == oldSelf.overrides)",
    message = "a Task runs once: its overrides cannot change; create another Task",
    fieldPath = ".overrides")
@ValidationRule(
    value =
        "has(self.launchType) == has(oldSelf.launchType) && (!has(self.launchType) || self.launchType == oldSelf.launchType)",
    message = "a Task runs once: its launchType cannot change; create another Task",
    fieldPath = ".launchType")
@ValidationRule(
    value =
        "has(self.capacityProviderStrategy) == has(oldSelf.capacityProviderStrategy) && (!has(self.capacityProviderStrategy) || self.capacityProviderStrategy == oldSelf.capacityProviderStrategy)",
    message = "a Task runs once: its capacityProviderStrategy cannot change; create another Task",
    fieldPath = ".capacityProviderStrategy")
@ValidationRule(
    value =
        "has(self.platformVersion) == has(oldSelf.platformVersion) && (!has(self.platformVersion) || self.platformVersion == oldSelf.platformVersion)",
    message = "a Task runs once: its platformVersion cannot change; create another Task",
    fieldPath = ".platformVersion")
@ValidationRule(
    value =
        "has(self.networkConfiguration) == has(oldSelf.networkConfiguration) && (!has(self.networkConfiguration) || self.networkConfiguration == oldSelf.networkConfiguration)",
    message = "a Task runs once: its networkConfiguration cannot change; create another Task",
    fieldPath = ".networkConfiguration")
@ValidationRule(
    value =
        "has(self.placementConstraints) == has(oldSelf.placementConstraints) && (!has(self.placementConstraints) || self.placementConstraints == oldSelf.placementConstraints)",
    message = "a Task runs once: its placementConstraints cannot change; create another Task",
    fieldPath = ".placementConstraints")
@ValidationRule(
    value =
        "has(self.placementStrategy) == has(oldSelf.placementStrategy) && (!has(self.placementStrategy) || self.placementStrategy == oldSelf.placementStrategy)",
    message = "a Task runs once: its placementStrategy cannot change; create another Task",
    fieldPath = ".placementStrategy")
@ValidationRule(
    value =
        "has(self.startedBy) == has(oldSelf.startedBy) && (!has(self.startedBy) || self.startedBy == oldSelf.startedBy)",
    message = "a Task runs once: its startedBy cannot change; create another Task",
    fieldPath = ".startedBy")
@ValidationRule(
    value =
        "has(self.group) == has(oldSelf.group) && (!has(self.group) || self.group == oldSelf.group)",
    message = "a Task runs once: its group cannot change; create another Task",
    fieldPath = ".group")
@ValidationRule(
    value = "has(self.tags) == has(oldSelf.tags) && (!has(self.tags) || self.tags == oldSelf.tags)",
    message = "a Task runs once: its tags cannot change; create another Task",
    fieldPath = ".tags")
@ValidationRule(
    value =
        "has(self.enableECSManagedTags) == has(oldSelf.enableECSManagedTags) && (!has(self.enableECSManagedTags) || self.enableECSManagedTags == oldSelf.enableECSManagedTags)",
    message = "a Task runs once: its enableECSManagedTags cannot change; create another Task",
    fieldPath = ".enableECSManagedTags")
@ValidationRule(
    value =
        "has(self.propagateTags) == has(oldSelf.propagateTags) && (!has(self.propagateTags) || self.propagateTags == oldSelf.propagateTags)",
    message = "a Task runs once: its propagateTags cannot change; create another Task",
    fieldPath = ".propagateTags")
@ValidationRule(
    value =
        "has(self.enableExecuteCommand) == has(oldSelf.enableExecuteCommand) && (!has(self.enableExecuteCommand) || self.enableExecuteCommand == oldSelf.enableExecuteCommand)",
    message = "a Task runs once: its enableExecuteCommand cannot change; create another Task",
    fieldPath = ".enableExecuteCommand")
@ValidationRule(
    value =
        "has(self.clusterRef) == has(oldSelf.clusterRef) && (!has(self.clusterRef) || self.clusterRef == oldSelf.clusterRef)",
    message = "a Task runs once: its clusterRef cannot change; create another Task",
    fieldPath = ".clusterRef")
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
