package dev.tidewater.cli;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.ecs.EcsClusterBackend;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TenancyCeiling;
import dev.tidewater.model.ValidationContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Clusters in a command's input files, and the one a resource resolves to as the operator
 * resolves it: the Cluster its {@code clusterRef} names, else the one named {@code default}, in the
 * resource's namespace (a resource and a Cluster without one share the namespace {@code kubectl
 * apply} puts them in). {@code render} and {@code validate} both ask here.
 */
final class InputClusters {

  /** No Cluster in the input. */
  static final InputClusters NONE = new InputClusters();

  private final Map<String, ClusterSpec> specs = new HashMap<>();
  private final List<TenancyPolicy> policies = new ArrayList<>();

  /** Adds a Cluster of the input (a later one of the same namespace and name wins, as on apply). */
  void add(Cluster cluster) {
    specs.put(
        key(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName()),
        cluster.getSpec() == null ? new ClusterSpec() : cluster.getSpec());
  }

  /**
   * Adds a TenancyPolicy of the input: with one or more in the input, each resource is checked
   * against its Cluster's guardrails met with the ceiling of its namespace, as the operator checks
   * it. Without any, the Cluster's own guardrails apply (the cluster's policies are not known).
   */
  void add(TenancyPolicy policy) {
    policies.add(policy);
  }

  /**
   * What a Cluster of the input asks beyond the ceiling of its namespace among the input's
   * TenancyPolicies, as the operator refuses it ({@code ExceedsTenancyPolicy}); nothing when the
   * input has no policy.
   */
  List<Problem> refusalsOf(Cluster cluster) {
    // a Cluster without a namespace is in default, where kubectl puts it (and so its derived name)
    String namespace =
        cluster.getMetadata().getNamespace() == null
            ? "default"
            : cluster.getMetadata().getNamespace();
    return ceiling(namespace)
        .map(
            c ->
                c.refusalsOf(
                    cluster.getSpec(),
                    EcsClusterBackend.governedClusterName(
                        cluster.getSpec(), namespace, cluster.getMetadata().getName())))
        .orElse(List.of());
  }

  /** The spec of the Cluster in the input a resource of {@code namespace} with {@code ref} uses. */
  Optional<ClusterSpec> resolve(String namespace, ObjectRef ref) {
    return resolve(namespace, ref == null ? null : ref.name);
  }

  /** As {@link #resolve(String, ObjectRef)}, the reference given by name (null: default). */
  Optional<ClusterSpec> resolve(String namespace, String clusterName) {
    String name = clusterName == null ? "default" : clusterName;
    return Optional.ofNullable(specs.get(key(namespace, name)))
        .map(
            spec ->
                ceiling(namespace)
                    .map(
                        c ->
                            new ResolvedCluster(name, spec, false)
                                .withGuardrails(c.effectiveGuardrails(spec.guardrails))
                                .spec())
                    .orElse(spec));
  }

  /**
   * The ceiling of {@code namespace} among the input's TenancyPolicies (a resource without a
   * namespace is in {@code default}, where kubectl puts it unless told otherwise); empty when the
   * input has none.
   */
  private Optional<TenancyCeiling> ceiling(String namespace) {
    return policies.isEmpty()
        ? Optional.empty()
        : Optional.of(TenancyCeiling.of(namespace == null ? "default" : namespace, policies));
  }

  /**
   * What the validators know of a resource's Cluster: its guardrails and backend when the Cluster
   * is in the input, else nothing ({@link ValidationContext#NONE}: no guardrails checked).
   */
  ValidationContext context(String namespace, String clusterName) {
    return resolve(namespace, clusterName)
        .map(
            spec ->
                ceiling(namespace)
                    .map(c -> ValidationContext.forCluster(spec, c))
                    .orElseGet(() -> ValidationContext.forCluster(spec)))
        .orElse(ValidationContext.NONE);
  }

  private static String key(String namespace, String name) {
    return (namespace == null ? "" : namespace) + "/" + name;
  }
}
