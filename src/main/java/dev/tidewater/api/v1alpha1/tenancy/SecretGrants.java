package dev.tidewater.api.v1alpha1.tenancy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The secret stores and secrets a {@link TenancyPolicy} lets workloads read. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretGrants {

  @JsonPropertyDescription(
      "External Secrets stores (names, patterns) a Cluster's secrets settings may name; absent:"
          + " any.")
  @Size(max = 100)
  public List<String> allowedSecretStores;

  @JsonPropertyDescription(
      "Prefixes (patterns) every container secret's valueFrom (a Secrets Manager or SSM ARN or"
          + " name) must match; absent: any.")
  @Size(max = 100)
  public List<String> allowedSecretArnPrefixes;
}
