package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.cluster.SecretsSettings;
import dev.tidewater.api.v1alpha1.common.Secret;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteSpec;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a namespace's ceiling ({@link TenancyCeiling}) refuses of its own resources, as problems
 * naming the field and the refusing policy (pure: the same checks run in reconcilers and tests).
 */
public final class TenancyChecks {

  /** The reason of every refusal by the ceiling. */
  public static final String FORBIDDEN = "ForbiddenByTenancyPolicy";

  /** The reason of a role Tidewater manages for another namespace. */
  public static final String CROSS_NAMESPACE_ROLE = "CrossNamespaceRole";

  /** The reason of a chosen family in the form of another namespace's derived families. */
  public static final String RESERVED_FAMILY = "ReservedFamily";

  private TenancyChecks() {}

  /**
   * Everything of a TaskDefinition's spec the ceiling decides without AWS: {@code adopt}, {@code
   * family}, the role ARNs (see {@link #roleArn}) and the secrets it reads (see {@link
   * #secretArns}).
   */
  public static List<Problem> taskDefinition(TaskDefinitionSpec spec, TenancyCeiling ceiling) {
    List<Problem> problems = new ArrayList<>();
    if (spec == null) return problems;
    adopt(spec.adopt, ceiling).ifPresent(problems::add);
    family(spec.family, ceiling).ifPresent(problems::add);
    roleArn("taskRoleArn", spec.taskRoleArn, ceiling).ifPresent(problems::add);
    roleArn("executionRoleArn", spec.executionRoleArn, ceiling).ifPresent(problems::add);
    problems.addAll(secretArns(spec, ceiling));
    return problems;
  }

  /** What the ceiling refuses of a Service: {@code adopt}, and its legacy service {@code role}. */
  public static List<Problem> service(EcsServiceSpec spec, TenancyCeiling ceiling) {
    List<Problem> problems = new ArrayList<>();
    if (spec == null) return problems;
    adopt(spec.adopt, ceiling).ifPresent(problems::add);
    roleArn("role", spec.role, ceiling).ifPresent(problems::add);
    return problems;
  }

  /**
   * What the ceiling refuses of a LoadBalancerRoute as written: {@code adopt}, and the load
   * balancer and listener it names (the listener it resolves to is checked again with {@link
   * #listener} once known).
   */
  public static List<Problem> route(LoadBalancerRouteSpec spec, TenancyCeiling ceiling) {
    List<Problem> problems = new ArrayList<>();
    if (spec == null) return problems;
    adopt(spec.adopt, ceiling).ifPresent(problems::add);
    if (spec.loadBalancer != null) {
      for (String value : new String[] {spec.loadBalancer.name, spec.loadBalancer.arn}) {
        if (value == null) continue;
        String field = value == spec.loadBalancer.name ? "loadBalancer.name" : "loadBalancer.arn";
        ceiling
            .refusalOfLoadBalancer(value)
            .ifPresent(
                policy ->
                    problems.add(
                        new Problem(
                            field,
                            FORBIDDEN,
                            "load balancer "
                                + value
                                + " is not in the allowedLoadBalancers of "
                                + describe(policy)
                                + " for namespace "
                                + ceiling.namespace())));
      }
    }
    if (spec.listener != null && spec.listener.arn != null) {
      listener("listener.arn", spec.listener.arn, ceiling).ifPresent(problems::add);
    }
    return problems;
  }

  /**
   * A listener the route resolved to ({@code listenerArn}): refused unless the ceiling allows the
   * listener and its load balancer (by ARN or name, both read from the listener ARN).
   */
  public static Optional<Problem> listener(
      String field, String listenerArn, TenancyCeiling ceiling) {
    Optional<String> refused = ceiling.refusalOfListener(listenerArn);
    if (refused.isPresent()) {
      return Optional.of(
          new Problem(
              field,
              FORBIDDEN,
              "listener "
                  + listenerArn
                  + " is not in the allowedListenerArns of "
                  + describe(refused.get())
                  + " for namespace "
                  + ceiling.namespace()));
    }
    // arn:...:listener/app/<name>/<id>/<listener id> belongs to
    // arn:...:loadbalancer/app/<name>/<id>
    int cut = listenerArn.lastIndexOf('/');
    if (!listenerArn.contains(":listener/") || cut < 0) return Optional.empty();
    String lbArn = listenerArn.substring(0, cut).replace(":listener/", ":loadbalancer/");
    String[] parts = lbArn.split("/");
    String lbName = parts.length >= 3 ? parts[parts.length - 2] : lbArn;
    Optional<String> byArn = ceiling.refusalOfLoadBalancer(lbArn);
    if (byArn.isEmpty() || ceiling.refusalOfLoadBalancer(lbName).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Problem(
            field,
            FORBIDDEN,
            "listener "
                + listenerArn
                + " is on load balancer "
                + lbName
                + ", not in the allowedLoadBalancers of "
                + describe(byArn.get())
                + " for namespace "
                + ceiling.namespace()));
  }

  /** {@code spec.family} where no governing policy allows choosing one. */
  public static Optional<Problem> family(String family, TenancyCeiling ceiling) {
    if (family == null) return Optional.empty();
    // the unambiguous names are each namespace's own: whatever the policy allows, a chosen family
    // never takes the name a TaskDefinition of another namespace derives (docs/naming.md)
    Optional<String> owner = AwsNames.namespaceOfEcsName(family);
    if (owner.isPresent() && !owner.get().equals(ceiling.namespace())) {
      return Optional.of(
          new Problem(
              "family",
              RESERVED_FAMILY,
              "family "
                  + family
                  + " has the form of the families Tidewater derives for "
                  + (owner.get().isEmpty()
                      ? "TaskDefinitions (a shortened name ending in __ and a hash)"
                      : "namespace " + owner.get() + "'s TaskDefinitions (<namespace>_<name>)")
                  + ": choose one without it (e.g. with - instead of _)"));
    }
    return ceiling
        .refusalOfFamily()
        .map(
            policy ->
                new Problem(
                    "family",
                    FORBIDDEN,
                    "a chosen ECS family ("
                        + family
                        + ") is not allowed in namespace "
                        + ceiling.namespace()
                        + " by "
                        + describe(policy)
                        + " (allowFamily is not true): the family derives from namespace and"
                        + " name"));
  }

  /**
   * A role ARN (or name) a workload hands to AWS: refused when its name is Tidewater's name for
   * another namespace's TaskRole (always, whatever the ceiling: see {@link
   * AwsNames#namespaceOfRoleArn}), allowed when it is this namespace's, else as the ceiling's
   * allowedRoleArns say. Owner tags of a role whose name does not tell are the backend's to check.
   */
  public static Optional<Problem> roleArn(String field, String arn, TenancyCeiling ceiling) {
    if (arn == null || arn.isBlank()) return Optional.empty();
    Optional<String> owner = AwsNames.namespaceOfRoleArn(arn);
    if (owner.isPresent() && !owner.get().equals(ceiling.namespace())) {
      return Optional.of(crossNamespaceRole(field, arn, owner.get()));
    }
    if (owner.isPresent()) return Optional.empty();
    return ceiling
        .refusalOfRoleArn(arn)
        .map(
            policy ->
                new Problem(
                    field,
                    FORBIDDEN,
                    "role "
                        + arn
                        + " is not one of namespace "
                        + ceiling.namespace()
                        + "'s TaskRoles and not in the allowedRoleArns of "
                        + describe(policy)
                        + "; use taskRoleRef / executionRoleRef for the namespace's own"));
  }

  /** The problem of a role that Tidewater manages for namespace {@code owner}. */
  public static Problem crossNamespaceRole(String field, String arn, String owner) {
    return new Problem(
        field,
        CROSS_NAMESPACE_ROLE,
        "role "
            + arn
            + " is Tidewater's role of a TaskRole in namespace "
            + owner
            + ": a namespace never uses another namespace's roles");
  }

  /**
   * Every secret a TaskDefinition has ECS (or the External Secrets Operator) read — container
   * {@code secrets[].valueFrom}, {@code logConfiguration.secretOptions[].valueFrom} and {@code
   * repositoryCredentials.credentialsParameter} — outside the ceiling's allowedSecretArnPrefixes.
   */
  public static List<Problem> secretArns(TaskDefinitionSpec spec, TenancyCeiling ceiling) {
    List<Problem> problems = new ArrayList<>();
    if (spec.containerDefinitions == null) return problems;
    for (int i = 0; i < spec.containerDefinitions.size(); i++) {
      ContainerDefinition c = spec.containerDefinitions.get(i);
      if (c == null) continue;
      String at = "containerDefinitions[" + i + "].";
      secrets(at + "secrets", c.secrets, ceiling, problems);
      if (c.logConfiguration != null) {
        secrets(
            at + "logConfiguration.secretOptions",
            c.logConfiguration.secretOptions,
            ceiling,
            problems);
      }
      if (c.repositoryCredentials != null) {
        secret(
                at + "repositoryCredentials.credentialsParameter",
                c.repositoryCredentials.credentialsParameter,
                ceiling)
            .ifPresent(problems::add);
      }
    }
    return problems;
  }

  /**
   * The ClusterSecretStores the kubernetes backend would read {@code spec}'s secrets through (the
   * Cluster's named store, else the shared default), each one the ceiling must allow: without this
   * a namespace that names no store reads through the shared default whatever the policy says.
   */
  public static List<Problem> secretStores(
      TaskDefinitionSpec spec, SecretsSettings settings, TenancyCeiling ceiling) {
    List<Problem> problems = new ArrayList<>();
    if (spec.containerDefinitions == null) return problems;
    for (int i = 0; i < spec.containerDefinitions.size(); i++) {
      ContainerDefinition c = spec.containerDefinitions.get(i);
      if (c == null || c.secrets == null) continue;
      for (int j = 0; j < c.secrets.size(); j++) {
        Secret s = c.secrets.get(j);
        if (s == null || s.valueFrom == null) continue;
        boolean sm = s.valueFrom.startsWith("arn:") && s.valueFrom.contains(":secretsmanager:");
        String store = SecretsSettings.storeInEffect(settings, sm);
        String field = "containerDefinitions[" + i + "].secrets[" + j + "].valueFrom";
        ceiling
            .refusalOfSecretStore(store)
            .ifPresent(
                p ->
                    problems.add(
                        new Problem(
                            field,
                            FORBIDDEN,
                            "is read through ClusterSecretStore "
                                + store
                                + ", which is not in the secrets.allowedSecretStores of "
                                + describe(p)
                                + " for namespace "
                                + ceiling.namespace()
                                + " (name a granted store in the Cluster's spec.secrets)")));
      }
    }
    return problems;
  }

  private static void secrets(
      String at, List<Secret> secrets, TenancyCeiling ceiling, List<Problem> problems) {
    if (secrets == null) return;
    for (int j = 0; j < secrets.size(); j++) {
      Secret s = secrets.get(j);
      if (s == null) continue;
      secret(at + "[" + j + "].valueFrom", s.valueFrom, ceiling).ifPresent(problems::add);
    }
  }

  private static Optional<Problem> secret(String field, String valueFrom, TenancyCeiling ceiling) {
    if (valueFrom == null) return Optional.empty();
    return ceiling
        .refusalOfSecretArn(valueFrom)
        .map(
            policy ->
                new Problem(
                    field,
                    FORBIDDEN,
                    "secret "
                        + valueFrom
                        + " is outside the allowedSecretArnPrefixes of "
                        + describe(policy)
                        + " for namespace "
                        + ceiling.namespace()));
  }

  /** {@code adopt: true} where no governing policy allows adoption. */
  public static Optional<Problem> adopt(Boolean adopt, TenancyCeiling ceiling) {
    if (!Boolean.TRUE.equals(adopt)) return Optional.empty();
    return ceiling
        .refusalOfAdopt()
        .map(
            policy ->
                new Problem(
                    "adopt",
                    FORBIDDEN,
                    "adopt: true is not allowed in namespace "
                        + ceiling.namespace()
                        + " by "
                        + describe(policy)
                        + " (allowAdopt is not true): an object not made by Tidewater for this"
                        + " resource is never taken over"));
  }

  /** One reason for several problems: theirs when they share one, else {@link #FORBIDDEN}. */
  public static String reasonOf(List<Problem> problems) {
    String first = problems.get(0).reason();
    return problems.stream().allMatch(p -> p.reason().equals(first)) ? first : FORBIDDEN;
  }

  /** "TenancyPolicy x", or the built-in ceiling's own wording. */
  public static String describe(String policy) {
    return TenancyCeiling.BUILT_IN.equals(policy) ? policy : "TenancyPolicy " + policy;
  }
}
