package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a validator knows beyond the spec itself: the guardrails and the backend of the Cluster the
 * resource resolves to, when there is one, and the tenancy ceiling of its namespace.
 *
 * <p>{@code guardrails} are the effective ones: the Cluster's own met with the ceiling ({@link
 * TenancyCeiling#effectiveGuardrails}), so every check reading them gets what the namespace may
 * really ask for.
 *
 * <p>{@link #NONE} (the CLI without a cluster) skips guardrail and backend checks. With a Cluster,
 * an absent guardrails block means every guardrail at its default, which is "not allowed", and an
 * absent backend (or no Cluster at all) is the kubernetes backend.
 */
public record ValidationContext(
    Optional<Guardrails> guardrails,
    Optional<String> backend,
    Optional<String> routingMode,
    Optional<TenancyCeiling> ceiling) {

  /** No Cluster known: guardrails and backend-specific rules are not checked. */
  public static final ValidationContext NONE =
      new ValidationContext(Optional.empty(), Optional.empty(), Optional.empty());

  /** A context without a tenancy ceiling (the CLI, tests of the Cluster's own guardrails). */
  public ValidationContext(
      Optional<Guardrails> guardrails, Optional<String> backend, Optional<String> routingMode) {
    this(guardrails, backend, routingMode, Optional.empty());
  }

  /**
   * The IAM path deploy/iam-policy.json lets the operator manage roles under ({@code
   * arn:aws:iam::*:role/tidewater/*}): the default role path, and the prefix of any other.
   */
  public static final String POLICY_ROLE_PATH = "/tidewater/";

  /**
   * The context of a resource in a namespace with {@code ceiling} that resolves to a Cluster with
   * this spec: the Cluster's guardrails met with the ceiling. Reconcilers use this one.
   */
  public static ValidationContext forCluster(ClusterSpec cluster, TenancyCeiling ceiling) {
    ValidationContext own = forCluster(cluster);
    return new ValidationContext(
        Optional.of(ceiling.effectiveGuardrails(own.guardrails().orElseThrow())),
        own.backend(),
        own.routingMode(),
        Optional.of(ceiling));
  }

  /**
   * The context of a resource that resolves to a Cluster with this spec, its own guardrails alone
   * (no tenancy ceiling: the CLI without policies in its input, tests).
   */
  public static ValidationContext forCluster(ClusterSpec cluster) {
    Guardrails g = cluster == null ? null : cluster.guardrails;
    String backend = cluster == null || cluster.backend == null ? "kubernetes" : cluster.backend;
    String routing =
        cluster == null || cluster.routing == null || cluster.routing.mode == null
            ? "ingress"
            : cluster.routing.mode;
    return new ValidationContext(
        Optional.of(g == null ? new Guardrails() : g), Optional.of(backend), Optional.of(routing));
  }

  /**
   * Whether a TaskDefinition's or Service's tags reach AWS: on the ecs backend, or when the backend
   * is not known (the CLI without a Cluster), where AWS's tag rules are the safe assumption. On the
   * kubernetes backend they label nothing in AWS, so AWS's rules do not apply (DESIGN.md rule 8
   * refuses only what something would refuse).
   */
  public boolean tagsGoToAws() {
    return backend.map("ecs"::equals).orElse(true);
  }

  /**
   * Whether a LoadBalancerRoute's tags reach AWS: its target group and rules are ELBv2 objects
   * Tidewater writes (the ecs backend, or the {@code aws} routing mode), or the Cluster is not
   * known.
   */
  public boolean routeTagsGoToAws() {
    return tagsGoToAws() || routingMode.map("aws"::equals).orElse(true);
  }

  /** Whether the resource is known to run on the ecs backend. */
  public boolean onEcs() {
    return backend.map("ecs"::equals).orElse(false);
  }

  /** Whether privileged containers are allowed; always true without a Cluster. */
  public boolean allowsPrivileged() {
    return guardrails.map(g -> Boolean.TRUE.equals(g.allowPrivileged)).orElse(true);
  }

  /** The Pod Security Standards level a Cluster holds its workloads to ({@link #podSecurity}). */
  public enum PodSecurity {
    /** Unrestricted: no Cluster is known, or its guardrails.allowPrivileged is true. */
    PRIVILEGED,
    /** Pod Security baseline: no known privilege escalation (the default). */
    BASELINE,
    /** Pod Security restricted: baseline, plus non-root and no privilege escalation. */
    RESTRICTED
  }

  /**
   * The level {@link PodSecurityGuardrails} holds the task to: privileged without a Cluster or
   * where {@code guardrails.allowPrivileged} is true, else {@code guardrails.podSecurity} (absent
   * means baseline).
   */
  public PodSecurity podSecurity() {
    if (allowsPrivileged()) {
      return PodSecurity.PRIVILEGED;
    }
    return guardrails
        .map(
            g -> "restricted".equals(g.podSecurity) ? PodSecurity.RESTRICTED : PodSecurity.BASELINE)
        .orElse(PodSecurity.PRIVILEGED);
  }

  /** Whether networkMode host is allowed; always true without a Cluster. */
  public boolean allowsHostNetwork() {
    return guardrails.map(g -> Boolean.TRUE.equals(g.allowHostNetwork)).orElse(true);
  }

  /** Whether host path volumes are allowed; always true without a Cluster. */
  public boolean allowsHostPath() {
    return guardrails.map(g -> Boolean.TRUE.equals(g.allowHostPath)).orElse(true);
  }

  /**
   * Whether a TaskRole may attach the managed policy {@code arn}: it matches one of {@code
   * guardrails.allowedManagedPolicyArns} ({@code *} matches any run of characters; an absent or
   * empty list allows none), and the tenancy ceiling allows it. Always true without a Cluster.
   */
  public boolean allowsManagedPolicy(String arn) {
    if (ceiling.flatMap(c -> c.refusalOfManagedPolicy(arn)).isPresent()) return false;
    return guardrails
        .map(
            g -> {
              List<String> patterns = g.allowedManagedPolicyArns;
              return patterns != null
                  && patterns.stream().anyMatch(p -> glob(p).matcher(arn).matches());
            })
        .orElse(true);
  }

  /** The permissions boundary every role gets ({@code guardrails.permissionsBoundaryArn}). */
  public Optional<String> enforcedPermissionsBoundary() {
    return guardrails.map(g -> g.permissionsBoundaryArn);
  }

  /**
   * The IAM path of every role: {@code guardrails.rolePath}, else {@link #POLICY_ROLE_PATH} (the
   * only path deploy/iam-policy.json lets the operator manage roles under).
   */
  public String rolePath() {
    return guardrails.map(g -> g.rolePath).orElse(POLICY_ROLE_PATH);
  }

  private static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    String[] parts = pattern.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) regex.append(".*");
      regex.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString());
  }
}
