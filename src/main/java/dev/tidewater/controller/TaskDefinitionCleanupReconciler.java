package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.Backends;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.TaskDefinitionBackend;
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
import org.jboss.logging.Logger;

/**
 * Removes the revisions a TaskDefinition being deleted registered outside Kubernetes (ecs), unless
 * {@code deletionPolicy: Retain}, then lets it go.
 *
 * <p>A controller of its own because only a TaskDefinition that runs on ECS needs a finalizer:
 * {@link TaskDefinitionReconciler} adds it, with {@link CleanupHolds}' label, before the first ECS
 * call, and this controller's informer selects only TaskDefinitions with that label, so one of the
 * kubernetes backend is never held (its ControllerRevisions go by garbage collection) and costs
 * neither a finalizer write nor a second watch.
 */
@ControllerConfiguration(
    name = "taskdefinition-cleanup",
    finalizerName = TaskDefinitionCleanupReconciler.FINALIZER,
    informer = @Informer(labelSelector = CleanupHolds.SELECTOR))
public class TaskDefinitionCleanupReconciler
    implements Reconciler<TaskDefinition>,
        ShardNamespaces.Sharded<TaskDefinition>,
        Cleaner<TaskDefinition> {

  /** Held while a TaskDefinition may have revisions on ECS, until they are deregistered. */
  public static final String FINALIZER = "taskdefinitions.ecs.tidewater.dev/finalizer";

  private static final Logger LOG = Logger.getLogger(TaskDefinitionCleanupReconciler.class);

  private final BackendFactory backends;
  private final SharedInformers informers;

  public TaskDefinitionCleanupReconciler(BackendFactory backends, SharedInformers informers) {
    this.backends = backends;
    this.informers = informers;
  }

  @Override
  public List<EventSource<?, TaskDefinition>> prepareEventSources(
      EventSourceContext<TaskDefinition> context) {
    return List.of(
        ClusterEventSources.create(
            context, informers, td -> td.getSpec() == null ? null : td.getSpec().clusterRef));
  }

  /** Registering is {@link TaskDefinitionReconciler}'s; this controller only deletes. */
  @Override
  public UpdateControl<TaskDefinition> reconcile(
      TaskDefinition td, Context<TaskDefinition> context) {
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(TaskDefinition td, Context<TaskDefinition> context) {
    if (td.getSpec() == null || "Retain".equals(td.getSpec().deletionPolicy)) {
      return DeleteControl.defaultDelete();
    }
    ResolvedCluster cluster = ClusterEventSources.resolve(td, td.getSpec().clusterRef, context);
    try {
      TaskDefinitionBackend current = backends.taskDefinitions(cluster).orElseThrow();
      if (!cluster.missing() && current.needsFinalizer()) {
        current.delete(td, cluster);
      } else {
        // its Cluster went first (a namespace deletion) or now selects another backend: what
        // another backend registered goes from where it was last seen
        List<Backends> elsewhere =
            cluster.missing() ? List.copyOf(backends.all()) : backends.others(cluster);
        boolean deleted =
            elsewhere.stream().anyMatch(b -> b.taskDefinitions().deleteWhereLastSeen(td));
        if (!deleted && td.getStatus() != null && td.getStatus().taskDefinitionArn != null) {
          // registered on ECS before a restart, and the Cluster that said where is gone
          events(context)
              .warning(
                  td,
                  "RevisionsLeftRegistered",
                  "the ECS revisions of family "
                      + td.getStatus().family
                      + " were not deregistered: no ecs Cluster says where they are");
        }
      }
      return DeleteControl.defaultDelete();
    } catch (BackendFailure e) {
      String reason = e.reason();
      String message = e.getMessage();
      LOG.infof(
          "TaskDefinition %s/%s not deleted yet: %s",
          td.getMetadata().getNamespace(), td.getMetadata().getName(), message);
      events(context).warning(td, reason, "deleting: " + message);
      return DeleteControl.noFinalizerRemoval()
          .rescheduleAfter(TaskDefinitionReconciler.FAILURE_RETRY.toMillis());
    }
  }

  /** Where this cleanup's Events go (unit tests record them instead). */
  EventRecorder events(Context<TaskDefinition> context) {
    return new EventRecorder(context.getClient());
  }
}
