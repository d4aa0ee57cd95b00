package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.RouteBackend;
import dev.tidewater.model.Problem;
import dev.tidewater.model.RouteRealisation;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Deletes the listener rules and the target group a LoadBalancerRoute being deleted made through
 * ELBv2 (ecs backend, {@code aws} routing mode), unless {@code deletionPolicy: Retain}, then lets
 * it go.
 *
 * <p>A controller of its own because only such a route needs a finalizer: {@link
 * LoadBalancerRouteReconciler} adds it, with {@link CleanupHolds}' label, before its first ELBv2
 * call, and this controller's informer selects only routes with that label. A route of the ingress
 * or gateway mode (or an NLB Service) is never held: its children are Kubernetes objects with owner
 * references, garbage-collected without the operator, so its namespace never waits for one that is
 * not running.
 */
@ControllerConfiguration(
    name = "loadbalancerroute-cleanup",
    finalizerName = LoadBalancerRouteCleanupReconciler.FINALIZER,
    informer = @Informer(labelSelector = CleanupHolds.SELECTOR))
public class LoadBalancerRouteCleanupReconciler
    implements Reconciler<LoadBalancerRoute>,
        ShardNamespaces.Sharded<LoadBalancerRoute>,
        Cleaner<LoadBalancerRoute> {

  /**
   * Held while a route may own ELBv2 objects, until they are deleted or retained. (The name the
   * Operator SDK gave the finalizer when every route had one, so earlier routes keep working.)
   */
  public static final String FINALIZER = "loadbalancerroutes.ecs.tidewater.dev/finalizer";

  private static final Duration RETRY = Duration.ofSeconds(15);
  private static final Logger LOG = Logger.getLogger(LoadBalancerRouteCleanupReconciler.class);

  private final BackendFactory backends;
  private final SharedInformers informers;

  public LoadBalancerRouteCleanupReconciler(BackendFactory backends, SharedInformers informers) {
    this.backends = backends;
    this.informers = informers;
  }

  @Override
  public List<EventSource<?, LoadBalancerRoute>> prepareEventSources(
      EventSourceContext<LoadBalancerRoute> context) {
    return List.of(
        ClusterEventSources.create(
            context, informers, r -> r.getSpec() == null ? null : r.getSpec().clusterRef));
  }

  /** Routing is {@link LoadBalancerRouteReconciler}'s; this controller only deletes. */
  @Override
  public UpdateControl<LoadBalancerRoute> reconcile(
      LoadBalancerRoute route, Context<LoadBalancerRoute> context) {
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(LoadBalancerRoute route, Context<LoadBalancerRoute> context) {
    LoadBalancerRouteStatus s = route.getStatus();
    boolean retain = route.getSpec() != null && "Retain".equals(route.getSpec().deletionPolicy);
    if (retain || !RouteRealisation.ownsElbv2Objects(s)) {
      // Kubernetes children go with their owner references
      return DeleteControl.defaultDelete();
    }
    EventRecorder events = events(context);
    ResolvedCluster cluster =
        ClusterEventSources.resolve(route, route.getSpec().clusterRef, context);
    // the route is going: no children to look at, no finalizer to take again
    RouteBackend.Input input =
        new RouteBackend.Input(
            route,
            cluster,
            context::getSecondaryResources,
            (namespace, service) -> List.of(),
            new RouteBackend.CleanupHold() {
              @Override
              public void hold() {}

              @Override
              public void release() {}
            });
    Optional<Problem> failed = backends.routes(cluster).removeElb(input);
    if (failed.isPresent()) {
      String message = failed.get().message();
      LOG.infof(
          "LoadBalancerRoute %s/%s not deleted yet: %s",
          route.getMetadata().getNamespace(), route.getMetadata().getName(), message);
      events.warning(route, failed.get().reason(), "deleting: " + message);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(RETRY);
    }
    events.normal(route, "Deleted", "listener rules and target group deleted");
    return DeleteControl.defaultDelete();
  }

  /** Where this cleanup's Events go (unit tests record them instead). */
  EventRecorder events(Context<LoadBalancerRoute> context) {
    return new EventRecorder(context.getClient());
  }
}
