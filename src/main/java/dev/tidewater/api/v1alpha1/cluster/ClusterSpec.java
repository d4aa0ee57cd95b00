package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;

/** Where workloads run: the backend and its settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterSpec {

  @JsonPropertyDescription("kubernetes (default) or ecs.")
  @SchemaEnum({"kubernetes", "ecs"})
  public String backend;

  @JsonPropertyDescription(
      "AWS context (ecs backend; kubernetes backend for IAM roles and aws routing).")
  public AwsSettings aws;

  @JsonPropertyDescription("The ECS cluster (ecs backend).")
  public EcsClusterSettings ecs;

  @JsonPropertyDescription("The EKS cluster (kubernetes backend with IAM roles).")
  public EksSettings eks;

  @JsonPropertyDescription("How LoadBalancerRoutes are realised (kubernetes backend).")
  public RoutingSettings routing;

  @JsonPropertyDescription("Node selectors and tolerations per launch type (kubernetes backend).")
  public LaunchTypePlacement placement;

  @JsonPropertyDescription(
      "ClusterSecretStores of SSM / Secrets Manager secrets, used when the External Secrets Operator is installed (kubernetes backend).")
  public SecretsSettings secrets;

  @JsonPropertyDescription(
      "StorageClasses of a Service's managed EBS volumes (kubernetes backend).")
  public StorageSettings storage;

  @JsonPropertyDescription(
      "How Services move when spec.backend changes: pace and safety of the managed cut-over (docs/migration.md).")
  public MigrationSettings migration;

  @JsonPropertyDescription("What workloads may ask for.")
  public Guardrails guardrails;
}
