package dev.tidewater.api.v1alpha1.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.PlacementConstraint;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.schema.ListMapKeys;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import dev.tidewater.api.v1alpha1.service.CapacityProviderStrategyItem;
import dev.tidewater.api.v1alpha1.service.NetworkConfiguration;
import dev.tidewater.api.v1alpha1.service.PlacementStrategy;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * What to run, in the shape of ECS RunTask: the task definition, count, overrides, capacity,
 * network and placement, tags. A Task runs it once; a ScheduledTask on every tick.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.launchType) && has(self.capacityProviderStrategy))",
    message = "set launchType or capacityProviderStrategy, not both",
    reason = "FieldValueForbidden",
    fieldPath = ".capacityProviderStrategy")
public class TaskTemplate {

  @JsonPropertyDescription(
      "The TaskDefinition to run: a pinned revision, or the latest when the Task starts.")
  @Required
  public TaskDefinitionRef taskDefinitionRef;

  @JsonPropertyDescription("How many tasks to start (1-10, as RunTask; default 1).")
  @Min(1)
  @Max(10)
  public Integer count;

  @JsonPropertyDescription("Per-run changes to the task definition (RunTask overrides).")
  public TaskOverride overrides;

  @JsonPropertyDescription(
      "EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES (or use capacityProviderStrategy).")
  @SchemaEnum({"EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"})
  public String launchType;

  @JsonPropertyDescription("Capacity providers and their shares.")
  @Size(max = 20)
  @ListMapKeys("capacityProvider")
  public List<CapacityProviderStrategyItem> capacityProviderStrategy;

  @JsonPropertyDescription("Fargate platform version (default LATEST).")
  @Size(max = 255)
  public String platformVersion;

  @JsonPropertyDescription("awsvpc subnets and security groups.")
  public NetworkConfiguration networkConfiguration;

  @JsonPropertyDescription("Placement constraints (EC2).")
  @Size(max = 10)
  public List<PlacementConstraint> placementConstraints;

  @JsonPropertyDescription("Placement strategies (EC2).")
  @Size(max = 5)
  public List<PlacementStrategy> placementStrategy;

  @JsonPropertyDescription(
      "Who started the tasks (RunTask startedBy, up to 128 letters, digits, - / _; default:"
          + " tidewater/<the Task's uid>, by which the ecs backend finds its tasks again).")
  @Size(max = 128)
  public String startedBy;

  @JsonPropertyDescription("The task group (RunTask group, e.g. family:migrations).")
  @Size(max = 255)
  public String group;

  @JsonPropertyDescription("AWS tags of the tasks.")
  @Size(max = 50)
  public List<Tag> tags;

  @JsonPropertyDescription("ECS-managed tags on tasks.")
  public Boolean enableECSManagedTags;

  @JsonPropertyDescription("TASK_DEFINITION or NONE.")
  @SchemaEnum({"TASK_DEFINITION", "NONE"})
  public String propagateTags;

  @JsonPropertyDescription("ECS Exec.")
  public Boolean enableExecuteCommand;
}
