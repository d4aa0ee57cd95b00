package dev.tidewater.api.v1alpha1.tenancy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The namespaces a {@link TenancyPolicy} governs and the most they may ask for.
 *
 * <p>Patterns in the allow-lists match with {@code *} (any run of characters) and may name the
 * namespace being checked as {@code {namespace}}, so one policy can grant every team its own
 * listener, ECS cluster or secret prefix.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TenancyPolicySpec {

  @JsonPropertyDescription(
      "Namespaces governed: names, or prefixes ending in * (\"team-*\"); absent: every namespace.")
  @Size(max = 1000)
  public List<String> namespaces;

  @JsonPropertyDescription(
      "The most a Cluster's guardrails may allow; an absent field is the strict default.")
  public Guardrails guardrails;

  @JsonPropertyDescription("AWS endpoints, accounts and roles the governed namespaces may use.")
  public AwsGrants aws;

  @JsonPropertyDescription("Load balancers and listeners the governed namespaces may route on.")
  public RoutingGrants routing;

  @JsonPropertyDescription("Secret stores and secrets the governed namespaces may read.")
  public SecretGrants secrets;

  @JsonPropertyDescription(
      "Whether adopt: true may take over untagged AWS objects or ServiceAccounts (default false).")
  public Boolean allowAdopt;

  @JsonPropertyDescription(
      "Whether a TaskDefinition may choose its ECS family with spec.family (default false: the"
          + " family derives from namespace and name).")
  public Boolean allowFamily;
}
