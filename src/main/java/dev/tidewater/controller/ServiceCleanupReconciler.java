package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.Backends;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.ServiceBackend;
import dev.tidewater.backend.ServiceRemoval;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Optional;

/**
 * Removes what a Service being deleted runs outside Kubernetes (ecs: scale to zero, then delete,
 * unless {@code deletionPolicy: Retain}), then lets it go.
 *
 * <p>A controller of its own because only a Service that runs on ECS needs a finalizer: {@link
 * ServiceReconciler} adds it, with {@link CleanupHolds}' label, before the first ECS call, and this
 * controller's informer selects only Services with that label, so a Service of the kubernetes
 * backend is never held (its children go by garbage collection) and costs neither a finalizer write
 * nor a second watch.
 */
@ControllerConfiguration(
    name = "service-cleanup",
    finalizerName = ServiceCleanupReconciler.FINALIZER,
    informer = @Informer(labelSelector = CleanupHolds.SELECTOR))
public class ServiceCleanupReconciler
    implements Reconciler<EcsService>, ShardNamespaces.Sharded<EcsService>, Cleaner<EcsService> {

  /** Held while a Service may run an ECS service, until that is deleted or retained. */
  public static final String FINALIZER = "services.ecs.tidewater.dev/finalizer";

  private final BackendFactory backends;
  private final SharedInformers informers;

  public ServiceCleanupReconciler(BackendFactory backends, SharedInformers informers) {
    this.backends = backends;
    this.informers = informers;
  }

  @Override
  public List<EventSource<?, EcsService>> prepareEventSources(
      EventSourceContext<EcsService> context) {
    return List.of(
        ClusterEventSources.create(
            context, informers, s -> s.getSpec() == null ? null : s.getSpec().clusterRef));
  }

  /** Running is {@link ServiceReconciler}'s; this controller only deletes. */
  @Override
  public UpdateControl<EcsService> reconcile(EcsService service, Context<EcsService> context) {
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(EcsService service, Context<EcsService> context) {
    if (service.getSpec() == null) {
      return DeleteControl.defaultDelete();
    }
    ResolvedCluster cluster =
        ClusterEventSources.resolve(service, service.getSpec().clusterRef, context);
    Optional<ServiceBackend> backend = backends.services(cluster);
    try {
      ServiceRemoval removal;
      List<ServiceBackend> outside =
          cluster.missing() ? List.of() : placesOutside(service, cluster);
      if (!outside.isEmpty()) {
        // every place it runs or may run (a migration's two sides), from the Cluster's ECS
        // cluster, which the Cluster keeps after a flip: not only where this process last saw it
        removal = ServiceRemoval.complete();
        for (ServiceBackend b : outside) {
          ServiceRemoval r = b.remove(service, cluster, removalCaches(context));
          if (!r.finished()) removal = r;
        }
      } else if (cluster.missing() || backend.isEmpty() || !backend.get().needsFinalizer()) {
        // its Cluster went first (a namespace deletion) or changed backend: what another backend
        // ran goes from where it was last seen
        List<Backends> elsewhere =
            cluster.missing() ? List.copyOf(backends.all()) : backends.others(cluster);
        Optional<ServiceRemoval> removed =
            elsewhere.stream()
                .map(b -> b.services().removeWhereLastSeen(service))
                .flatMap(Optional::stream)
                .findFirst();
        if (removed.isEmpty()
            && service.getStatus() != null
            && service.getStatus().serviceArn != null) {
          events(context)
              .warning(
                  service,
                  "ServiceLeftRunning",
                  "ECS service "
                      + service.getStatus().serviceArn
                      + " was not deleted: no ecs Cluster says where it runs");
        }
        removal = removed.orElse(ServiceRemoval.complete());
      } else {
        removal = backend.get().remove(service, cluster, removalCaches(context));
      }
      if (removal.finished()) {
        return DeleteControl.defaultDelete();
      }
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(removal.retryAfter());
    } catch (BackendFailure e) {
      events(context).warning(service, e.reason(), e.getMessage());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(ServiceReconciler.FAILURE_RETRY);
    }
  }

  /**
   * The backends of the places the Service runs or may run — the one its Cluster selects, the one
   * its status says, both sides of a migration — whose objects live outside Kubernetes.
   */
  private List<ServiceBackend> placesOutside(EcsService service, ResolvedCluster cluster) {
    java.util.Set<String> places = new java.util.LinkedHashSet<>();
    places.add(cluster.backend().value());
    var status = service.getStatus();
    if (status != null) {
      if (status.getBackend() != null) places.add(status.getBackend());
      if (status.migration != null && ServiceMigration.active(status)) {
        places.add(status.migration.from);
        places.add(status.migration.to);
      }
    }
    return places.stream().map(backends::services).filter(ServiceBackend::needsFinalizer).toList();
  }

  /**
   * What a backend reads when it removes a Service: this controller's caches (its Cluster); the
   * look-ups across the namespace the Service controller has are not needed to delete.
   */
  private static ServiceBackend.Caches removalCaches(Context<EcsService> context) {
    return ReconcileCaches.ofContext(context);
  }

  /** Where this cleanup's Events go (unit tests record them instead). */
  EventRecorder events(Context<EcsService> context) {
    return new EventRecorder(context.getClient());
  }
}
