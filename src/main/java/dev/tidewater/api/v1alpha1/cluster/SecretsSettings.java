package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The External Secrets Operator stores that ECS secrets are read through (kubernetes backend). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretsSettings {

  /** The ClusterSecretStore of SSM Parameter Store references when none is named. */
  public static final String DEFAULT_PARAMETER_STORE = "aws-parameter-store";

  /** The ClusterSecretStore of Secrets Manager references when none is named. */
  public static final String DEFAULT_SECRETS_MANAGER = "aws-secrets-manager";

  /** The store of Secrets Manager ({@code secretsManager}) or SSM references in effect. */
  public static String storeInEffect(SecretsSettings s, boolean secretsManager) {
    String named = s == null ? null : (secretsManager ? s.secretsManager : s.parameterStore);
    if (named != null && !named.isBlank()) return named.strip();
    return secretsManager ? DEFAULT_SECRETS_MANAGER : DEFAULT_PARAMETER_STORE;
  }

  @JsonPropertyDescription(
      "ClusterSecretStore of SSM Parameter Store references (default aws-parameter-store).")
  public String parameterStore;

  @JsonPropertyDescription(
      "ClusterSecretStore of Secrets Manager references (default aws-secrets-manager).")
  public String secretsManager;
}
