package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.tenancy.AwsGrants;
import dev.tidewater.api.v1alpha1.tenancy.RoutingGrants;
import dev.tidewater.api.v1alpha1.tenancy.SecretGrants;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicySpec;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The ceiling of one namespace: every {@link TenancyPolicy} that governs it, each of which must
 * allow what the namespace asks for. With no policy governing the namespace, the built-in ceiling
 * applies: a policy with an empty spec (strict guardrails, no endpoint override, no role to assume,
 * no adoption, no chosen family; everything else any).
 *
 * <p>Each {@code refusal...} method returns the name of a policy that refuses the value ({@link
 * #BUILT_IN} for the built-in ceiling), or empty when every governing policy allows it.
 */
public record TenancyCeiling(String namespace, List<Governing> policies) {

  /** The name used in messages for the built-in ceiling. */
  public static final String BUILT_IN = "the built-in tenancy ceiling (no TenancyPolicy)";

  /** A policy that governs the namespace: its name and spec. */
  public record Governing(String name, TenancyPolicySpec spec) {}

  public TenancyCeiling {
    policies = List.copyOf(policies);
  }

  /** The ceiling of {@code namespace} among {@code all} policies (in a stable order). */
  public static TenancyCeiling of(String namespace, List<TenancyPolicy> all) {
    List<Governing> governing =
        all.stream()
            .filter(p -> governs(p.getSpec(), namespace))
            .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
            .map(p -> new Governing(p.getMetadata().getName(), p.getSpec()))
            .toList();
    return new TenancyCeiling(namespace, governing);
  }

  /** The built-in ceiling of a namespace no policy governs. */
  public static TenancyCeiling builtIn(String namespace) {
    return new TenancyCeiling(namespace, List.of());
  }

  /** Whether {@code spec} governs {@code namespace}: its namespaces list names it, or is absent. */
  public static boolean governs(TenancyPolicySpec spec, String namespace) {
    if (spec == null || spec.namespaces == null) return true;
    return spec.namespaces.stream()
        .filter(Objects::nonNull)
        .anyMatch(
            p ->
                p.endsWith("*")
                    ? namespace.startsWith(p.substring(0, p.length() - 1))
                    : p.equals(namespace));
  }

  /** The policies in effect: the governing ones, else the built-in (an empty spec). */
  public List<Governing> effective() {
    return policies.isEmpty()
        ? List.of(new Governing(BUILT_IN, new TenancyPolicySpec()))
        : policies;
  }

  /** A Cluster's aws.endpoint: absent list allows none. */
  public Optional<String> refusalOfEndpoint(String endpoint) {
    return refusal(aws(a -> a.allowedEndpoints), false, endpoint);
  }

  /** An AWS account id: absent list allows any. */
  public Optional<String> refusalOfAccount(String accountId) {
    return refusal(aws(a -> a.allowedAccounts), true, accountId);
  }

  /** A Cluster's aws.assumeRoleArn: absent list allows none. */
  public Optional<String> refusalOfAssumeRole(String roleArn) {
    return refusal(aws(a -> a.allowedAssumeRoleArns), false, roleArn);
  }

  /** An ECS cluster name: absent list allows any. */
  public Optional<String> refusalOfEcsCluster(String clusterName) {
    return refusal(aws(a -> a.allowedEcsClusters), true, clusterName);
  }

  /**
   * A taskRoleArn / executionRoleArn that is not one of the namespace's own TaskRoles: absent list
   * allows any (the caller refuses roles Tidewater manages for another namespace before asking).
   */
  public Optional<String> refusalOfRoleArn(String roleArn) {
    return refusal(aws(a -> a.allowedRoleArns), true, roleArn);
  }

  /** A load balancer name or ARN: absent list allows any. */
  public Optional<String> refusalOfLoadBalancer(String nameOrArn) {
    return refusal(routing(r -> r.allowedLoadBalancers), true, nameOrArn);
  }

  /** A listener ARN: absent list allows any. */
  public Optional<String> refusalOfListener(String listenerArn) {
    return refusal(routing(r -> r.allowedListenerArns), true, listenerArn);
  }

  /** An External Secrets store name: absent list allows any. */
  public Optional<String> refusalOfSecretStore(String store) {
    return refusal(secrets(s -> s.allowedSecretStores), true, store);
  }

  /** A container secret's valueFrom: absent list allows any; each pattern is a prefix. */
  public Optional<String> refusalOfSecretArn(String valueFrom) {
    return refusal(
        secrets(s -> s.allowedSecretArnPrefixes == null ? null : withTrailingStar(s)),
        true,
        valueFrom);
  }

  /** Whether adopt: true may be used (every governing policy says allowAdopt: true). */
  public Optional<String> refusalOfAdopt() {
    return effective().stream()
        .filter(g -> !Boolean.TRUE.equals(g.spec().allowAdopt))
        .map(Governing::name)
        .findFirst();
  }

  /** Whether spec.family may be used (every governing policy says allowFamily: true). */
  public Optional<String> refusalOfFamily() {
    return effective().stream()
        .filter(g -> !Boolean.TRUE.equals(g.spec().allowFamily))
        .map(Governing::name)
        .findFirst();
  }

  private static List<String> withTrailingStar(SecretGrants s) {
    return s.allowedSecretArnPrefixes.stream()
        .filter(Objects::nonNull)
        .map(p -> p.endsWith("*") ? p : p + "*")
        .toList();
  }

  private static Function<TenancyPolicySpec, List<String>> aws(
      Function<AwsGrants, List<String>> f) {
    return s -> s.aws == null ? null : f.apply(s.aws);
  }

  private static Function<TenancyPolicySpec, List<String>> routing(
      Function<RoutingGrants, List<String>> f) {
    return s -> s.routing == null ? null : f.apply(s.routing);
  }

  private static Function<TenancyPolicySpec, List<String>> secrets(
      Function<SecretGrants, List<String>> f) {
    return s -> s.secrets == null ? null : f.apply(s.secrets);
  }

  private Optional<String> refusal(
      Function<TenancyPolicySpec, List<String>> list, boolean absentAllows, String value) {
    for (Governing g : effective()) {
      List<String> patterns = list.apply(g.spec());
      boolean allowed =
          patterns == null
              ? absentAllows
              : value != null
                  && patterns.stream().filter(Objects::nonNull).anyMatch(p -> matches(p, value));
      if (!allowed) return Optional.of(g.name());
    }
    return Optional.empty();
  }

  private boolean matches(String pattern, String value) {
    String p = pattern.replace("{namespace}", namespace);
    StringBuilder regex = new StringBuilder();
    String[] parts = p.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) regex.append(".*");
      regex.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString()).matcher(value).matches();
  }
}
