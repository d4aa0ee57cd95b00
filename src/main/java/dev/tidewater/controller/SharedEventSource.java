package dev.tidewater.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * A controller's view of a {@link KindCache}: changes of the kind mapped to the primary resources
 * they concern (as the Operator SDK's informer event source does, with the same filters), and the
 * secondary resources of a primary for {@code Context#getSecondaryResource}. It opens no watch of
 * its own.
 */
public final class SharedEventSource<R extends HasMetadata, P extends HasMetadata>
    extends AbstractEventSource<R, P> implements ResourceEventHandler<R> {

  private static final Logger LOG = Logger.getLogger(SharedEventSource.class);

  private final KindCache<R> cache;
  private final Function<R, Set<ResourceID>> toPrimaries;
  private final Function<P, Set<ResourceID>> toSecondaries;
  private final Duration syncTimeout;
  // the namespaces the controller watches (null: all): the cache's, unless a shard's set is given
  private final Set<String> controllerNamespaces;

  private SharedEventSource(
      String name,
      KindCache<R> cache,
      Function<R, Set<ResourceID>> toPrimaries,
      Function<P, Set<ResourceID>> toSecondaries,
      OnUpdateFilter<R> onUpdate,
      Duration syncTimeout,
      Set<String> controllerNamespaces) {
    super(cache.type(), name);
    this.controllerNamespaces = controllerNamespaces;
    this.cache = cache;
    this.toPrimaries = toPrimaries;
    this.toSecondaries = toSecondaries;
    this.syncTimeout = syncTimeout;
    if (onUpdate != null) setOnUpdateFilter(onUpdate);
  }

  /**
   * An event source over {@code cache} for the controller of {@code context}: a change of an object
   * wakes the primaries {@code toPrimaries} names (before and after the change), and a primary's
   * secondary resources are those {@code toSecondaries} names.
   */
  public static <R extends HasMetadata, P extends HasMetadata> SharedEventSource<R, P> of(
      EventSourceContext<P> context,
      KindCache<R> cache,
      Function<R, Set<ResourceID>> toPrimaries,
      Function<P, Set<ResourceID>> toSecondaries) {
    return of(context, cache, toPrimaries, toSecondaries, null, null);
  }

  /** As {@link #of}, with a name (unique per controller) and a filter of updates. */
  public static <R extends HasMetadata, P extends HasMetadata> SharedEventSource<R, P> of(
      EventSourceContext<P> context,
      KindCache<R> cache,
      Function<R, Set<ResourceID>> toPrimaries,
      Function<P, Set<ResourceID>> toSecondaries,
      OnUpdateFilter<R> onUpdate,
      String name) {
    var configuration = context.getControllerConfiguration();
    Set<String> namespaces = configuration.getEffectiveNamespaces();
    return new SharedEventSource<>(
        name == null ? "shared-" + cache.type().getSimpleName() : name,
        cache,
        toPrimaries,
        toSecondaries,
        onUpdate,
        configuration.getConfigurationService().cacheSyncTimeout(),
        InformerConfiguration.allNamespacesWatched(namespaces)
            ? null
            // a shard's controllers start on a namespace that cannot exist: the cache watches
            // nothing until the shard's namespaces are known
            : namespaces.stream()
                .filter(n -> !ShardNamespaces.UNASSIGNED.equals(n))
                .collect(Collectors.toSet()));
  }

  /** Maps an object to the primaries named in its owner references (as the SDK's mapper). */
  public static <R extends HasMetadata> Function<R, Set<ResourceID>> byOwner(
      Class<? extends HasMetadata> primary) {
    var mapper = Mappers.<R>fromOwnerReferences(primary);
    return mapper::toPrimaryResourceIDs;
  }

  /** The shared cache this source reads. */
  public KindCache<R> cache() {
    return cache;
  }

  @Override
  public void start() {
    var synced = cache.open(this, controllerNamespaces);
    try {
      synced.get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // as the Operator SDK's own informers are set up here (stop-on-informer-error-during-startup
      // false): the informer keeps retrying, readiness is down until it listed
      LOG.warnf(
          "%s: the shared %s informer has not listed within %s; it keeps retrying",
          name(), cache.type().getSimpleName(), syncTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.warnf(e.getCause(), "%s: the shared informer failed to start", name());
    }
    super.start();
  }

  @Override
  public void stop() {
    cache.close(this);
    super.stop();
  }

  @Override
  public Status getStatus() {
    return cache.healthy() ? Status.HEALTHY : Status.UNHEALTHY;
  }

  @Override
  public Set<R> getSecondaryResources(P primary) {
    return toSecondaries.apply(primary).stream()
        .map(cache::get)
        .flatMap(java.util.Optional::stream)
        .collect(Collectors.toSet());
  }

  @Override
  public void onAdd(R obj) {
    if (onAddFilter == null || onAddFilter.accept(obj)) propagate(toPrimaries.apply(obj));
  }

  @Override
  public void onUpdate(R before, R now) {
    if (Objects.equals(
        before.getMetadata().getResourceVersion(), now.getMetadata().getResourceVersion())) {
      return; // a relist's copy of what was seen already
    }
    if (onUpdateFilter != null && !onUpdateFilter.accept(now, before)) return;
    Set<ResourceID> concerned = new HashSet<>(toPrimaries.apply(now));
    // a reference that moved wakes the primary it left too
    concerned.addAll(toPrimaries.apply(before));
    propagate(concerned);
  }

  @Override
  public void onDelete(R obj, boolean deletedFinalStateUnknown) {
    if (onDeleteFilter == null || onDeleteFilter.accept(obj, deletedFinalStateUnknown)) {
      propagate(toPrimaries.apply(obj));
    }
  }

  private void propagate(Set<ResourceID> primaries) {
    if (!isRunning() || getEventHandler() == null) return;
    for (ResourceID id : primaries) getEventHandler().handleEvent(new Event(id));
  }
}
