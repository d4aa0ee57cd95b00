package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.backend.ResolvedCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Watches Clusters for a kind that refers to them, and resolves a resource's Cluster from that
 * cache: a Cluster change re-reconciles every resource using it, without list calls.
 */
public final class ClusterEventSources {

  private ClusterEventSources() {}

  /** The cluster a resource names, or {@code default}. */
  public static String clusterName(ObjectRef ref) {
    return ref == null || ref.name == null ? ResolvedCluster.DEFAULT_NAME : ref.name;
  }

  /** The shared Clusters informer, mapped to the primaries of {@code context} that use them. */
  public static <P extends HasMetadata> SharedEventSource<Cluster, P> create(
      EventSourceContext<P> context, SharedInformers informers, Function<P, ObjectRef> clusterRef) {
    return SharedEventSource.of(
        context,
        informers.clusters(),
        cluster ->
            context
                .getPrimaryCache()
                .list(cluster.getMetadata().getNamespace())
                .filter(
                    p -> clusterName(clusterRef.apply(p)).equals(cluster.getMetadata().getName()))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet()),
        (P p) ->
            Set.of(
                new ResourceID(clusterName(clusterRef.apply(p)), p.getMetadata().getNamespace())));
  }

  /**
   * The Cluster {@code primary} uses, from the informer cache. A Cluster absent from a cache that
   * has not listed yet is not "no Cluster" (which would mean the implicit kubernetes backend and
   * move an ecs workload): the reconcile fails with {@link ClusterCacheNotSynced} and is retried.
   * Informers retry a failed first list instead of stopping the operator, so one can still be
   * listing when reconciles start.
   */
  public static <P extends HasMetadata> ResolvedCluster resolve(
      P primary, ObjectRef ref, Context<P> context) {
    Optional<Cluster> found = context.getSecondaryResource(Cluster.class);
    if (found.isEmpty()
        && !synced(context.eventSourceRetriever().getEventSourcesFor(Cluster.class))) {
      throw new ClusterCacheNotSynced();
    }
    return found
        .map(
            c ->
                new ResolvedCluster(
                    c.getMetadata().getName(),
                    c.getSpec() == null ? new ClusterSpec() : c.getSpec(),
                    false))
        .orElseGet(
            () ->
                new ResolvedCluster(
                    ref == null ? null : ref.name,
                    new ClusterSpec(),
                    ref != null && ref.name != null));
  }

  /** Whether every Cluster informer among {@code sources} has listed at least once. */
  static boolean synced(List<? extends EventSource<Cluster, ?>> sources) {
    if (!sources.stream()
        .filter(SharedEventSource.class::isInstance)
        .allMatch(s -> ((SharedEventSource<?, ?>) s).cache().hasSynced())) {
      return false;
    }
    return sources.stream()
        .filter(ManagedInformerEventSource.class::isInstance)
        .map(ManagedInformerEventSource.class::cast)
        .allMatch(
            informer ->
                ((ManagedInformerEventSource<?, ?, ?>) informer)
                    .informerHealthIndicators().values().stream()
                        .allMatch(InformerHealthIndicator::hasSynced));
  }

  /** A reconcile that needs a Cluster before the Cluster cache has listed; retried. */
  public static final class ClusterCacheNotSynced extends IllegalStateException {
    ClusterCacheNotSynced() {
      super("the operator has not listed Clusters yet (its informer is retrying); will retry");
    }
  }
}
