package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.cluster.AwsSettings;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import dev.tidewater.api.v1alpha1.tenancy.AwsGrants;
import dev.tidewater.api.v1alpha1.tenancy.RoutingGrants;
import dev.tidewater.api.v1alpha1.tenancy.SecretGrants;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicySpec;
import java.util.ArrayList;
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

  /** The condition reason of a Cluster that asks for more than its namespace's ceiling allows. */
  public static final String EXCEEDS = "ExceedsTenancyPolicy";

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
            // a policy without a spec governs every namespace with the strict defaults
            .map(
                p ->
                    new Governing(
                        p.getMetadata().getName(),
                        p.getSpec() == null ? new TenancyPolicySpec() : p.getSpec()))
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
    for (Governing g : effective()) {
      List<String> patterns = aws(a -> a.allowedEndpoints).apply(g.spec());
      boolean allowed =
          patterns != null
              && patterns.stream()
                  .filter(Objects::nonNull)
                  .anyMatch(
                      p -> EndpointPattern.matches(p.replace("{namespace}", namespace), endpoint));
      if (!allowed) return Optional.of(g.name());
    }
    return Optional.empty();
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

  /**
   * A managed policy a TaskRole attaches: every governing policy's {@code
   * guardrails.allowedManagedPolicyArns} must match it; an absent list allows none (the strict
   * default of a Cluster's own list).
   */
  public Optional<String> refusalOfManagedPolicy(String arn) {
    return refusal(
        s -> s.guardrails == null ? null : s.guardrails.allowedManagedPolicyArns, false, arn);
  }

  /**
   * The guardrails in effect for a Cluster whose own are {@code own}: the Cluster can only tighten
   * the ceiling. Each {@code allow*} holds only if the Cluster and every governing policy allow it;
   * {@code podSecurity} is the strictest named (restricted over baseline); a policy's {@code
   * permissionsBoundaryArn} replaces the Cluster's; the role path is the Cluster's when it lies
   * under every policy's, else the deepest policy's. Managed policy ARNs are not merged here:
   * {@link ValidationContext#allowsManagedPolicy} asks {@link #refusalOfManagedPolicy} beside the
   * Cluster's list.
   */
  public Guardrails effectiveGuardrails(Guardrails own) {
    Guardrails mine = own == null ? new Guardrails() : own;
    Guardrails out = new Guardrails();
    List<Guardrails> ceilings = ceilingGuardrails();
    out.allowPrivileged =
        Boolean.TRUE.equals(mine.allowPrivileged)
            && ceilings.stream().allMatch(g -> Boolean.TRUE.equals(g.allowPrivileged));
    out.allowHostNetwork =
        Boolean.TRUE.equals(mine.allowHostNetwork)
            && ceilings.stream().allMatch(g -> Boolean.TRUE.equals(g.allowHostNetwork));
    out.allowHostPath =
        Boolean.TRUE.equals(mine.allowHostPath)
            && ceilings.stream().allMatch(g -> Boolean.TRUE.equals(g.allowHostPath));
    out.podSecurity =
        RESTRICTED.equals(mine.podSecurity)
                || ceilings.stream().anyMatch(g -> RESTRICTED.equals(g.podSecurity))
            ? RESTRICTED
            : mine.podSecurity;
    out.allowedManagedPolicyArns = mine.allowedManagedPolicyArns;
    out.permissionsBoundaryArn =
        ceilings.stream()
            .map(g -> g.permissionsBoundaryArn)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(mine.permissionsBoundaryArn);
    Optional<String> deepest =
        ceilings.stream()
            .map(g -> g.rolePath)
            .filter(Objects::nonNull)
            .max(Comparator.comparingInt(String::length));
    out.rolePath =
        mine.rolePath != null && rolePathRefusal(mine.rolePath).isEmpty()
            ? mine.rolePath
            : deepest.orElse(mine.rolePath);
    return out;
  }

  /**
   * What a Cluster with {@code spec} asks beyond this ceiling, one problem per field (reason {@link
   * #EXCEEDS}), each naming the refusing policy.
   *
   * @param ecsClusterName the ECS cluster the Cluster uses (named or derived), or null when it uses
   *     none (the kubernetes backend)
   */
  public List<Problem> refusalsOf(ClusterSpec spec, String ecsClusterName) {
    List<Problem> out = new ArrayList<>();
    if (spec == null) return out;
    Guardrails own = spec.guardrails == null ? new Guardrails() : spec.guardrails;
    for (Governing g : effective()) {
      Guardrails ceiling = g.spec().guardrails == null ? new Guardrails() : g.spec().guardrails;
      if (Boolean.TRUE.equals(own.allowPrivileged) && !Boolean.TRUE.equals(ceiling.allowPrivileged))
        out.add(exceeds("guardrails.allowPrivileged", "true", g, "privileged containers"));
      if (Boolean.TRUE.equals(own.allowHostNetwork)
          && !Boolean.TRUE.equals(ceiling.allowHostNetwork))
        out.add(exceeds("guardrails.allowHostNetwork", "true", g, "networkMode host"));
      if (Boolean.TRUE.equals(own.allowHostPath) && !Boolean.TRUE.equals(ceiling.allowHostPath))
        out.add(exceeds("guardrails.allowHostPath", "true", g, "host path volumes"));
      if (own.permissionsBoundaryArn != null
          && ceiling.permissionsBoundaryArn != null
          && !own.permissionsBoundaryArn.equals(ceiling.permissionsBoundaryArn))
        out.add(
            new Problem(
                "guardrails.permissionsBoundaryArn",
                EXCEEDS,
                own.permissionsBoundaryArn
                    + " is not the boundary TenancyPolicy "
                    + g.name()
                    + " enforces ("
                    + ceiling.permissionsBoundaryArn
                    + ")"));
    }
    if (own.rolePath != null) {
      rolePathRefusal(own.rolePath)
          .ifPresent(
              g ->
                  out.add(
                      new Problem(
                          "guardrails.rolePath",
                          EXCEEDS,
                          own.rolePath
                              + " does not lie under "
                              + g.spec().guardrails.rolePath
                              + ", the role path of TenancyPolicy "
                              + g.name())));
    }
    AwsSettings aws = spec.aws;
    if (aws != null && aws.endpoint != null) {
      refusalOfEndpoint(aws.endpoint)
          .ifPresent(p -> out.add(notGranted("aws.endpoint", aws.endpoint, p, "allowedEndpoints")));
    }
    if (aws != null && aws.assumeRoleArn != null) {
      refusalOfAssumeRole(aws.assumeRoleArn)
          .ifPresent(
              p ->
                  out.add(
                      notGranted(
                          "aws.assumeRoleArn", aws.assumeRoleArn, p, "allowedAssumeRoleArns")));
      accountOf(aws.assumeRoleArn)
          .flatMap(this::refusalOfAccount)
          .ifPresent(
              p ->
                  out.add(
                      notGranted(
                          "aws.assumeRoleArn",
                          "the account of " + aws.assumeRoleArn,
                          p,
                          "allowedAccounts")));
    }
    if (ecsClusterName != null) {
      refusalOfEcsCluster(ecsClusterName)
          .ifPresent(
              p ->
                  out.add(
                      notGranted(
                          "ecs.clusterName",
                          "ECS cluster " + ecsClusterName,
                          p,
                          "allowedEcsClusters")));
    }
    if (spec.secrets != null) {
      if (spec.secrets.parameterStore != null) {
        refusalOfSecretStore(spec.secrets.parameterStore)
            .ifPresent(
                p ->
                    out.add(
                        notGranted(
                            "secrets.parameterStore",
                            "store " + spec.secrets.parameterStore,
                            p,
                            "secrets.allowedSecretStores")));
      }
      if (spec.secrets.secretsManager != null) {
        refusalOfSecretStore(spec.secrets.secretsManager)
            .ifPresent(
                p ->
                    out.add(
                        notGranted(
                            "secrets.secretsManager",
                            "store " + spec.secrets.secretsManager,
                            p,
                            "secrets.allowedSecretStores")));
      }
    }
    return out;
  }

  private static final String RESTRICTED = "restricted";

  private static final Pattern ROLE_ACCOUNT = Pattern.compile("^arn:[^:]+:iam::([0-9]{12}):");

  /** The account id of an IAM ARN. */
  public static Optional<String> accountOf(String arn) {
    var m = ROLE_ACCOUNT.matcher(arn);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private List<Guardrails> ceilingGuardrails() {
    return effective().stream()
        .map(g -> g.spec().guardrails == null ? new Guardrails() : g.spec().guardrails)
        .toList();
  }

  /** The first policy whose role path does not contain {@code rolePath}. */
  private Optional<Governing> rolePathRefusal(String rolePath) {
    return effective().stream()
        .filter(
            g ->
                g.spec().guardrails != null
                    && g.spec().guardrails.rolePath != null
                    && !rolePath.startsWith(g.spec().guardrails.rolePath))
        .findFirst();
  }

  private static Problem exceeds(String path, String value, Governing g, String what) {
    return new Problem(
        path,
        EXCEEDS,
        value
            + " is beyond "
            + policyName(g.name())
            + ", which does not allow "
            + what
            + " in this namespace");
  }

  private static Problem notGranted(String path, String value, String policy, String list) {
    return new Problem(
        path,
        EXCEEDS,
        value
            + " is not granted by "
            + policyName(policy)
            + (BUILT_IN.equals(policy) ? "" : " (its " + list + ")"));
  }

  /** How a refusing policy is named in a message. */
  public static String policyName(String name) {
    return BUILT_IN.equals(name) ? BUILT_IN : "TenancyPolicy " + name;
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
    return glob(pattern.replace("{namespace}", namespace), value);
  }

  /** Whether {@code value} matches {@code pattern}, where {@code *} is any run of characters. */
  public static boolean glob(String pattern, String value) {
    StringBuilder regex = new StringBuilder();
    String[] parts = pattern.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) regex.append(".*");
      regex.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString()).matcher(value).matches();
  }

  /**
   * Whether any of {@code all} grants {@code endpoint} to some namespace (a {@code {namespace}} in
   * a pattern stands for any): the coarse check of the AWS client factory, which knows no
   * namespace.
   */
  public static boolean grantedAnywhere(List<TenancyPolicy> all, String endpoint) {
    return all.stream()
        .map(TenancyPolicy::getSpec)
        .filter(s -> s != null && s.aws != null && s.aws.allowedEndpoints != null)
        .flatMap(s -> s.aws.allowedEndpoints.stream())
        .filter(Objects::nonNull)
        .anyMatch(p -> EndpointPattern.matches(p.replace("{namespace}", "*"), endpoint));
  }
}
