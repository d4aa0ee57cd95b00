package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.TaskBackend;
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

/**
 * Stops what a Task being deleted still runs outside Kubernetes (ecs: StopTask, unless {@code
 * deletionPolicy: Retain}), then lets it go. A controller of its own, as for Services: only a Task
 * that ran on ECS is held ({@link CleanupHolds}), a Job goes by garbage collection.
 */
@ControllerConfiguration(
    name = "task-cleanup",
    finalizerName = TaskCleanupReconciler.FINALIZER,
    informer = @Informer(labelSelector = CleanupHolds.SELECTOR))
public class TaskCleanupReconciler
    implements Reconciler<Task>, ShardNamespaces.Sharded<Task>, Cleaner<Task> {

  /** Held while a Task may have ECS tasks running, until they are stopped or retained. */
  public static final String FINALIZER = "tasks.ecs.tidewater.dev/finalizer";

  private final BackendFactory backends;
  private final SharedInformers informers;

  public TaskCleanupReconciler(BackendFactory backends, SharedInformers informers) {
    this.backends = backends;
    this.informers = informers;
  }

  @Override
  public List<EventSource<?, Task>> prepareEventSources(EventSourceContext<Task> context) {
    return List.of(
        ClusterEventSources.create(
            context, informers, t -> t.getSpec() == null ? null : t.getSpec().clusterRef));
  }

  /** Running is {@link TaskReconciler}'s; this controller only stops. */
  @Override
  public UpdateControl<Task> reconcile(Task task, Context<Task> context) {
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(Task task, Context<Task> context) {
    if (task.getSpec() == null) {
      return DeleteControl.defaultDelete();
    }
    ResolvedCluster cluster = ClusterEventSources.resolve(task, task.getSpec().clusterRef, context);
    if (cluster.missing()) {
      events(context)
          .warning(
              task,
              "TasksLeftRunning",
              "the Cluster went first: no ECS cluster says where this Task's tasks run");
      return DeleteControl.defaultDelete();
    }
    // a started Task's tasks are where it started (status.backend), whatever the Cluster says now
    String startedOn = task.getStatus() == null ? null : task.getStatus().getBackend();
    TaskBackend backend = startedOn != null ? backends.tasks(startedOn) : backends.tasks(cluster);
    try {
      TaskBackend.Removal removal = backend.stop(task, cluster, caches(context));
      if (!removal.stopped().isEmpty()) {
        events(context)
            .normal(
                task,
                "TasksStopped",
                "stopped " + removal.stopped().size() + " running task(s): UserInitiated");
      }
      if (removal.finished()) {
        return DeleteControl.defaultDelete();
      }
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(removal.retryAfter());
    } catch (BackendFailure e) {
      events(context).warning(task, e.reason(), e.getMessage());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(TaskReconciler.FAILURE_RETRY);
    }
  }

  /** What a backend reads when it stops a Task: this controller's caches (its Cluster). */
  private static TaskBackend.Caches caches(Context<Task> context) {
    return ReconcileCaches.ofContext(context);
  }

  /** Where this cleanup's Events go (unit tests record them instead). */
  EventRecorder events(Context<Task> context) {
    return new EventRecorder(context.getClient());
  }
}
