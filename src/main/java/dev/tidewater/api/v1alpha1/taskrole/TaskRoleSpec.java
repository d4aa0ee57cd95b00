package dev.tidewater.api.v1alpha1.taskrole;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.schema.ListMapKeys;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * An IAM role for tasks: a ServiceAccount on Kubernetes (with IRSA / Pod Identity), a task role on
 * ECS.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskRoleSpec {

  @JsonPropertyDescription(
      "The Cluster this belongs to; default: the Cluster named \"default\" in the namespace.")
  public ObjectRef clusterRef;

  @JsonPropertyDescription("Role description.")
  @Size(max = 1000)
  public String description;

  @JsonPropertyDescription("Inline policies.")
  @Size(max = 50)
  @ListMapKeys("name")
  public List<InlinePolicy> inlinePolicies;

  @JsonPropertyDescription("Managed policies attached (subject to the Cluster guardrails).")
  @Size(max = 20)
  public List<String> managedPolicyArns;

  @JsonPropertyDescription("Permissions boundary ARN (the Cluster may enforce one).")
  public String permissionsBoundary;

  @JsonPropertyDescription("Maximum session duration (3600-43200).")
  @Min(3600)
  @Max(43200)
  public Integer maxSessionDurationSeconds;

  @JsonPropertyDescription(
      "Kubernetes backend: the ServiceAccount name (default: the TaskRole name).")
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @Size(max = 253)
  public String serviceAccountName;

  @JsonPropertyDescription("AWS tags of the role.")
  @Size(max = 50)
  public List<Tag> tags;

  @JsonPropertyDescription(
      "Delete or Retain the IAM role when this resource is deleted (default Delete).")
  @SchemaEnum({"Delete", "Retain"})
  public String deletionPolicy;

  @JsonPropertyDescription(
      "Take over an existing IAM role of the same name not created by Tidewater.")
  public Boolean adopt;
}
