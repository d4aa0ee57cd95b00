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
import io.javaoperatorsdk.operator.api.reconciler.dependent.RecentOperationCacheFiller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a Service's or Task's backend reads of one reconcile: the reconcile's own secondary
 * resources, and the look-ups across the namespace through the operator's shared caches ({@link
 * SharedInformers}). A controller without an informer for a look-up (the cleanup controllers, which
 * only delete) passes null: that look-up finds nothing. One instance serves one reconcile (one
 * thread): the revisions of a TaskDefinition are looked up once in it.
 */
final class ReconcileCaches
    implements ServiceBackend.Caches, TaskBackend.Caches, ScheduledTaskBackend.Caches {

  private final Context<?> context;
  private final KindCache<ControllerRevision> revisions;
  private final KindCache<TaskRole> taskRoles;
  private final KindCache<LoadBalancerRoute> routes;
  // one look-up per TaskDefinition and reconcile: the backend asks for the revisions, then for
  // what the chosen one waits for, then for its plan (and all three see the same revisions)
  private final Map<String, List<ControllerRevision>> revisionsByKey = new HashMap<>();

  ReconcileCaches(
      Context<?> context,
      KindCache<ControllerRevision> revisions,
      KindCache<TaskRole> taskRoles,
      KindCache<LoadBalancerRoute> routes) {
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

  /**
   * Into the temporary cache of the controller's one informer of the child's kind (the Operator
   * SDK's own read-after-write cache, emptied when the watch catches up); none, or more than one:
   * the watch brings it.
   */
  @Override
  @SuppressWarnings({"unchecked", "rawtypes"}) // the informer of the child's own class
  public void written(HasMetadata child) {
    var sources = context.eventSourceRetriever().getEventSourcesFor(child.getClass());
    if (sources.size() == 1 && sources.get(0) instanceof RecentOperationCacheFiller filler) {
      // the SDK keeps it by its own name and resourceVersion (create or update alike)
      filler.handleRecentResourceCreate(ResourceID.fromResource(child), child);
    }
  }
}
