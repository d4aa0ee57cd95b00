package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The EKS cluster of the kubernetes backend, for IAM roles of TaskRoles. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.identity) || self.identity != 'irsa' || has(self.oidcProviderArn)",
    message = "identity irsa needs oidcProviderArn",
    reason = "FieldValueRequired",
    fieldPath = ".oidcProviderArn")
@ValidationRule(
    value = "!has(self.identity) || self.identity != 'podIdentity' || has(self.clusterName)",
    message = "identity podIdentity needs clusterName",
    reason = "FieldValueRequired",
    fieldPath = ".clusterName")
public class EksSettings {

  @JsonPropertyDescription("EKS cluster name (Pod Identity associations).")
  @Size(max = 100)
  public String clusterName;

  @JsonPropertyDescription(
      "irsa (IAM roles for service accounts) or podIdentity (EKS Pod Identity).")
  @SchemaEnum({"irsa", "podIdentity"})
  public String identity;

  @JsonPropertyDescription("IRSA: the cluster's IAM OIDC provider ARN.")
  @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$")
  @Size(max = 2048)
  public String oidcProviderArn;
}
