package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The External Secrets Operator stores that ECS secrets are read through (kubernetes backend). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretsSettings {

  @JsonPropertyDescription(
      "ClusterSecretStore of SSM Parameter Store references (default aws-parameter-store).")
  public String parameterStore;

  @JsonPropertyDescription(
      "ClusterSecretStore of Secrets Manager references (default aws-secrets-manager).")
  public String secretsManager;
}
