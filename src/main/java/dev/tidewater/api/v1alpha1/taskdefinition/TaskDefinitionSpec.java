package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.schema.ListMapKeys;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What to run: the fields of ECS RegisterTaskDefinition, plus Tidewater references. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.networkMode) || self.networkMode != 'awsvpc' || self.containerDefinitions.all(c, !has(c.portMappings) || c.portMappings.all(p, !has(p.hostPort) || !has(p.containerPort) || p.hostPort == p.containerPort))",
    message = "under networkMode awsvpc, portMappings[].hostPort must equal containerPort",
    fieldPath = ".containerDefinitions")
@ValidationRule(
    value = "!(has(self.taskRoleArn) && has(self.taskRoleRef))",
    message = "set taskRoleArn or taskRoleRef, not both",
    reason = "FieldValueForbidden",
    fieldPath = ".taskRoleRef")
@ValidationRule(
    value = "!(has(self.executionRoleArn) && has(self.executionRoleRef))",
    message = "set executionRoleArn or executionRoleRef, not both",
    reason = "FieldValueForbidden",
    fieldPath = ".executionRoleRef")
@ValidationRule(
    value = "self.containerDefinitions.exists(c, !has(c.essential) || c.essential)",
    message = "at least one container must be essential",
    fieldPath = ".containerDefinitions")
@ValidationRule(
    value =
        "!has(self.requiresCompatibilities) || !self.requiresCompatibilities.exists(c, c == 'FARGATE') || (has(self.networkMode) && self.networkMode == 'awsvpc')",
    message = "requiresCompatibilities FARGATE needs networkMode awsvpc",
    fieldPath = ".networkMode")
public class TaskDefinitionSpec {

  @JsonPropertyDescription(
      "The Cluster this belongs to; default: the Cluster named \"default\" in the namespace.")
  public ObjectRef clusterRef;

  @JsonPropertyDescription("ECS family; default: derived from namespace and name (docs/naming.md).")
  @Pattern("^[a-zA-Z0-9_-]{1,255}$")
  public String family;

  @JsonPropertyDescription("IAM role of the task, as an ARN or role name (or use taskRoleRef).")
  @Size(max = 2048)
  public String taskRoleArn;

  @JsonPropertyDescription(
      "A TaskRole of this namespace used as the task role (ServiceAccount on Kubernetes).")
  public ObjectRef taskRoleRef;

  @JsonPropertyDescription(
      "IAM role ECS uses to pull images and read secrets, as an ARN or role name.")
  @Size(max = 2048)
  public String executionRoleArn;

  @JsonPropertyDescription("A TaskRole of this namespace used as the execution role.")
  public ObjectRef executionRoleRef;

  @JsonPropertyDescription("awsvpc, bridge, host or none (ECS default: bridge on EC2).")
  @SchemaEnum({"bridge", "host", "awsvpc", "none"})
  public String networkMode;

  @JsonPropertyDescription("The containers (1-10).")
  @Required
  @Size(min = 1, max = 10)
  @ListMapKeys("name")
  public List<ContainerDefinition> containerDefinitions;

  @JsonPropertyDescription("Volumes of the task.")
  @Size(max = 100)
  @ListMapKeys("name")
  public List<Volume> volumes;

  @JsonPropertyDescription("Placement constraints (EC2).")
  @Size(max = 10)
  public List<TaskDefinitionPlacementConstraint> placementConstraints;

  @JsonPropertyDescription("EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES.")
  @Size(max = 4)
  @SchemaEnum({"EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"})
  public List<String> requiresCompatibilities;

  @JsonPropertyDescription("Task CPU: units (\"256\") or vCPU (\"0.25 vCPU\").")
  @Pattern("^\\s*([0-9]+|[0-9]*\\.?[0-9]+\\s*[vV][cC][pP][uU])\\s*$")
  public String cpu;

  @JsonPropertyDescription("Task memory: MiB (\"512\") or GB (\"2 GB\").")
  @Pattern("^\\s*([0-9]+|[0-9]*\\.?[0-9]+\\s*([gG][bB]|[gG][iI][bB]|[mM][bB]|[mM][iI][bB]))\\s*$")
  public String memory;

  @JsonPropertyDescription("AWS tags of the task definition.")
  @Size(max = 50)
  public List<Tag> tags;

  @JsonPropertyDescription("host or task.")
  @SchemaEnum({"host", "task"})
  public String pidMode;

  @JsonPropertyDescription("host, task or none.")
  @SchemaEnum({"host", "task", "none"})
  public String ipcMode;

  @JsonPropertyDescription("App Mesh proxy configuration.")
  public ProxyConfiguration proxyConfiguration;

  @JsonPropertyDescription("Elastic Inference accelerators.")
  @Size(max = 10)
  public List<InferenceAccelerator> inferenceAccelerators;

  @JsonPropertyDescription("Fargate ephemeral storage.")
  public EphemeralStorage ephemeralStorage;

  @JsonPropertyDescription("CPU architecture and OS family.")
  public RuntimePlatform runtimePlatform;

  @JsonPropertyDescription("Enable ECS fault injection.")
  public Boolean enableFaultInjection;

  @JsonPropertyDescription("Revisions kept beyond those in use (default 10).")
  @Min(0)
  @Max(1000)
  public Integer revisionHistoryLimit;

  @JsonPropertyDescription(
      "ecs backend: Delete (deregister revisions) or Retain when this resource is deleted (default Delete).")
  @SchemaEnum({"Delete", "Retain"})
  public String deletionPolicy;

  @JsonPropertyDescription(
      "ecs backend: register revisions in a family whose latest revision was not registered by Tidewater for this resource.")
  public Boolean adopt;
}
