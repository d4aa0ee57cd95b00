package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.common.PlacementConstraint;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.schema.ListMapKeys;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * N copies of a task definition revision: the fields of ECS CreateService, plus Tidewater
 * references and autoscaling.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.launchType) && has(self.capacityProviderStrategy))",
    message = "set launchType or capacityProviderStrategy, not both",
    reason = "FieldValueForbidden",
    fieldPath = ".capacityProviderStrategy")
@ValidationRule(
    value =
        "!has(self.schedulingStrategy) || self.schedulingStrategy != 'DAEMON' || (!has(self.autoscaling) && !has(self.desiredCount))",
    message = "a DAEMON service runs one task per node: desiredCount and autoscaling do not apply",
    reason = "FieldValueForbidden",
    fieldPath = ".schedulingStrategy")
@ValidationRule(
    value =
        "!has(self.schedulingStrategy) || self.schedulingStrategy != 'DAEMON' || !has(self.launchType) || self.launchType != 'FARGATE'",
    message = "FARGATE does not run DAEMON services",
    fieldPath = ".schedulingStrategy")
@ValidationRule(
    value =
        "!(has(self.desiredCount) && has(self.autoscaling)) || (self.desiredCount >= self.autoscaling.minTasks && self.desiredCount <= self.autoscaling.maxTasks)",
    message = "desiredCount must lie between autoscaling.minTasks and autoscaling.maxTasks",
    fieldPath = ".desiredCount")
public class EcsServiceSpec {

  @JsonPropertyDescription(
      "The Cluster this belongs to; default: the Cluster named \"default\" in the namespace.")
  public ObjectRef clusterRef;

  @JsonPropertyDescription("The TaskDefinition to run, latest or pinned revision.")
  @Required
  public TaskDefinitionRef taskDefinitionRef;

  @JsonPropertyDescription(
      "Tasks to keep running (REPLICA); left to the scaler when autoscaling is set.")
  @Min(0)
  @Max(100000)
  public Integer desiredCount;

  @JsonPropertyDescription("Target tracking between minTasks and maxTasks.")
  public Autoscaling autoscaling;

  @JsonPropertyDescription("REPLICA (default) or DAEMON (one task per node / instance).")
  @SchemaEnum({"REPLICA", "DAEMON"})
  public String schedulingStrategy;

  @JsonPropertyDescription(
      "EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES (or use capacityProviderStrategy).")
  @SchemaEnum({"EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"})
  public String launchType;

  @JsonPropertyDescription("Capacity providers and their shares.")
  @Size(max = 20)
  @ListMapKeys("capacityProvider")
  public List<CapacityProviderStrategyItem> capacityProviderStrategy;

  @JsonPropertyDescription("Fargate platform version (default LATEST).")
  public String platformVersion;

  @JsonPropertyDescription("ENABLED or DISABLED.")
  @SchemaEnum({"ENABLED", "DISABLED"})
  public String availabilityZoneRebalancing;

  @JsonPropertyDescription(
      "Target groups given by ARN (LoadBalancerRoutes that target this Service add theirs).")
  @Size(max = 10)
  public List<LoadBalancer> loadBalancers;

  @JsonPropertyDescription("Cloud Map registries.")
  @Size(max = 10)
  public List<ServiceRegistry> serviceRegistries;

  @JsonPropertyDescription("Legacy service role for classic load balancers.")
  public String role;

  @JsonPropertyDescription("How deployments proceed.")
  public DeploymentConfiguration deploymentConfiguration;

  @JsonPropertyDescription("Placement constraints (EC2).")
  @Size(max = 10)
  public List<PlacementConstraint> placementConstraints;

  @JsonPropertyDescription("Placement strategies (EC2).")
  @Size(max = 5)
  public List<PlacementStrategy> placementStrategy;

  @JsonPropertyDescription("awsvpc subnets and security groups.")
  public NetworkConfiguration networkConfiguration;

  @JsonPropertyDescription("Seconds load balancer health checks are ignored after a task starts.")
  @Min(0)
  @Max(2147483647)
  public Integer healthCheckGracePeriodSeconds;

  @JsonPropertyDescription("Who runs deployments (ECS, CODE_DEPLOY, EXTERNAL).")
  public DeploymentController deploymentController;

  @JsonPropertyDescription("AWS tags of the service.")
  @Size(max = 50)
  public List<Tag> tags;

  @JsonPropertyDescription("ECS-managed tags on tasks.")
  public Boolean enableECSManagedTags;

  @JsonPropertyDescription("TASK_DEFINITION, SERVICE or NONE.")
  @SchemaEnum({"TASK_DEFINITION", "SERVICE", "NONE"})
  public String propagateTags;

  @JsonPropertyDescription("ECS Exec.")
  public Boolean enableExecuteCommand;

  @JsonPropertyDescription("ECS Service Connect.")
  public ServiceConnectConfiguration serviceConnectConfiguration;

  @JsonPropertyDescription("Volumes configured at launch.")
  @Size(max = 10)
  public List<ServiceVolumeConfiguration> volumeConfigurations;

  @JsonPropertyDescription("VPC Lattice target groups.")
  @Size(max = 10)
  public List<VpcLatticeConfiguration> vpcLatticeConfigurations;

  @JsonPropertyDescription(
      "ecs backend: Delete (scale to zero, delete) or Retain the ECS service when this resource is deleted (default Delete).")
  @SchemaEnum({"Delete", "Retain"})
  public String deletionPolicy;

  @JsonPropertyDescription(
      "ecs backend: take over an existing ECS service of the same name not created by Tidewater.")
  public Boolean adopt;
}
