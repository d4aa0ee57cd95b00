package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a validator knows beyond the spec itself: the guardrails and the backend of the Cluster the
 * resource resolves to, when there is one.
 *
 * <p>{@link #NONE} (the CLI without a cluster) skips guardrail and backend checks. With a Cluster,
 * an absent guardrails block means every guardrail at its default, which is "not allowed", and an
 * absent backend (or no Cluster at all) is the kubernetes backend.
 */
public record ValidationContext(Optional<Guardrails> guardrails, Optional<String> backend) {

  /** No Cluster known: guardrails and backend-specific rules are not checked. */
  public static final ValidationContext NONE =
      new ValidationContext(Optional.empty(), Optional.empty());

  /** The context of a resource that resolves to a Cluster with this spec. */
  public static ValidationContext forCluster(ClusterSpec cluster) {
    Guardrails g = cluster == null ? null : cluster.guardrails;
    String backend = cluster == null || cluster.backend == null ? "kubernetes" : cluster.backend;
    return new ValidationContext(
        Optional.of(g == null ? new Guardrails() : g), Optional.of(backend));
  }

  /** Whether the resource is known to run on the ecs backend. */
  public boolean onEcs() {
    return backend.map("ecs"::equals).orElse(false);
  }

  /** Whether privileged containers are allowed; always true without a Cluster. */
  public boolean allowsPrivileged() {
    return guardrails.map(g -> Boolean.TRUE.equals(g.allowPrivileged)).orElse(true);
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
   * empty list allows none). Always true without a Cluster.
   */
  public boolean allowsManagedPolicy(String arn) {
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

  /** The IAM path of every role: {@code guardrails.rolePath}, else {@code /}. */
  public String rolePath() {
    return guardrails.map(g -> g.rolePath).orElse("/");
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
