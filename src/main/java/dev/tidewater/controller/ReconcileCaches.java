package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.backend.ScheduledTaskBackend;
import dev.tidewater.backend.ServiceBackend;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a Service's or Task's backend reads of one reconcile: the reconcile's own secondary
 * resources, and the look-ups across the namespace through the informers its controller registered
 * (typed handles, so no backend casts an event source). A controller without an informer for a
 * look-up (the cleanup controllers, which only delete) passes null: that look-up finds nothing. One
 * instance serves one reconcile (one thread): the revisions of a TaskDefinition are looked up once
 * in it.
 */
final class ReconcileCaches
    implements ServiceBackend.Caches, TaskBackend.Caches, ScheduledTaskBackend.Caches {

  private final Context<?> context;
  private final InformerEventSource<ControllerRevision, ?> revisions;
  private final InformerEventSource<TaskRole, ?> taskRoles;
  private final InformerEventSource<LoadBalancerRoute, ?> routes;
  // one look-up per TaskDefinition and reconcile: the backend asks for the revisions, then for
  // what the chosen one waits for, then for its plan (and all three see the same revisions)
  private final Map<String, List<ControllerRevision>> revisionsByKey = new HashMap<>();

  ReconcileCaches(
      Context<?> context,
      InformerEventSource<ControllerRevision, ?> revisions,
      InformerEventSource<TaskRole, ?> taskRoles,
      InformerEventSource<LoadBalancerRoute, ?> routes) {
    this.context = context;
    this.revisions = revisions;
    this.taskRoles = taskRoles;
    this.routes = routes;
  }

  /** The reconcile's secondary resources only. */
  static ReconcileCaches ofContext(Context<?> context) {
    return new ReconcileCaches(context, null, null, null);
  }

  @Override
  public <T extends HasMetadata> Set<T> of(Class<T> type) {
    return context.getSecondaryResources(type);
  }

  @Override
  public <T extends HasMetadata> Optional<T> one(Class<T> type) {
    return context.getSecondaryResource(type);
  }

  @Override
  public List<ControllerRevision> revisionsOf(String namespace, String label) {
    if (revisions == null) {
      return List.of();
    }
    String key = TidewaterLabels.taskDefinitionKey(namespace, label);
    return revisionsByKey.computeIfAbsent(
        key, k -> List.copyOf(revisions.byIndex(TidewaterLabels.TASK_DEFINITION_INDEX, k)));
  }

  @Override
  public Optional<TaskRole> taskRole(String namespace, String name) {
    return taskRoles == null ? Optional.empty() : taskRoles.get(new ResourceID(name, namespace));
  }

  @Override
  public List<LoadBalancerRoute> routes(String namespace, Predicate<LoadBalancerRoute> which) {
    return routes == null ? List.of() : routes.list(namespace, which).toList();
  }
}
