package dev.tidewater.api.v1alpha1.tenancy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The AWS endpoints, accounts, roles and ECS clusters a {@link TenancyPolicy} grants. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AwsGrants {

  @JsonPropertyDescription(
      "Endpoint overrides a Cluster's aws.endpoint may name (patterns); absent: none, only AWS's"
          + " own endpoints.")
  @Size(max = 100)
  public List<String> allowedEndpoints;

  @JsonPropertyDescription("AWS account ids workloads may run in (patterns); absent: any.")
  @Size(max = 100)
  public List<String> allowedAccounts;

  @JsonPropertyDescription(
      "Roles a Cluster's aws.assumeRoleArn may name (patterns); absent: none, the operator's own"
          + " credentials only.")
  @Size(max = 100)
  public List<String> allowedAssumeRoleArns;

  @JsonPropertyDescription("ECS clusters a Cluster may name or create (patterns); absent: any.")
  @Size(max = 100)
  public List<String> allowedEcsClusters;

  @JsonPropertyDescription(
      "Roles a TaskDefinition's taskRoleArn / executionRoleArn may name besides its own"
          + " namespace's TaskRoles (patterns); absent: any role Tidewater does not manage for"
          + " another namespace.")
  @Size(max = 100)
  public List<String> allowedRoleArns;
}
