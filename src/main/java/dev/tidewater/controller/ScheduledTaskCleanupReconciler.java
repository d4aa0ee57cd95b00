package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.ScheduledTaskBackend;
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
 * Removes what a ScheduledTask being deleted left outside Kubernetes (ecs: its EventBridge schedule
 * and managed scheduler role, unless {@code deletionPolicy: Retain}), then lets it go. Only a
 * ScheduledTask on ECS is held ({@link CleanupHolds}); a CronJob goes by garbage collection. The
 * backend is the one status.backend names (where the schedule was made), else the Cluster's.
 */
@ControllerConfiguration(
    name = "scheduledtask-cleanup",
    finalizerName = ScheduledTaskCleanupReconciler.FINALIZER,
    informer = @Informer(labelSelector = CleanupHolds.SELECTOR))
public class ScheduledTaskCleanupReconciler
    implements Reconciler<ScheduledTask>,
        Cleaner<ScheduledTask>,
        ShardNamespaces.Sharded<ScheduledTask> {

  /** Held while a ScheduledTask may have an EventBridge schedule, until it is deleted or kept. */
  public static final String FINALIZER = "scheduledtasks.ecs.tidewater.dev/finalizer";

  private final BackendFactory backends;
  private final SharedInformers informers;

  public ScheduledTaskCleanupReconciler(BackendFactory backends, SharedInformers informers) {
    this.backends = backends;
    this.informers = informers;
  }

  @Override
  public List<EventSource<?, ScheduledTask>> prepareEventSources(
      EventSourceContext<ScheduledTask> context) {
    return List.of(
        ClusterEventSources.create(
            context, informers, s -> s.getSpec() == null ? null : s.getSpec().clusterRef));
  }

  /** Keeping the schedule is {@link ScheduledTaskReconciler}'s; this controller only removes. */
  @Override
  public UpdateControl<ScheduledTask> reconcile(
      ScheduledTask scheduled, Context<ScheduledTask> context) {
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(ScheduledTask scheduled, Context<ScheduledTask> context) {
    if (scheduled.getSpec() == null) {
      return DeleteControl.defaultDelete();
    }
    ResolvedCluster cluster =
        ClusterEventSources.resolve(scheduled, scheduled.getSpec().clusterRef, context);
    if (cluster.missing()) {
      events(context)
          .warning(
              scheduled,
              "ScheduleLeftBehind",
              "the Cluster went first: no AWS context says where this ScheduledTask's schedule is");
      return DeleteControl.defaultDelete();
    }
    // where the schedule was made (status.backend), not where the Cluster says now: a Cluster that
    // moved to another backend since leaves the schedule on the old one
    // moved to another backend since leaves the schedule on the old one; and the Cluster's current
    // one too, when they differ: a first apply there may be under way (its status not written yet)
    String placed = ScheduledTaskReconciler.placedOn(scheduled.getStatus());
    java.util.LinkedHashSet<ScheduledTaskBackend> places = new java.util.LinkedHashSet<>();
    if (placed != null) places.add(backends.scheduledTasks(placed));
    places.add(backends.scheduledTasks(cluster));
    try {
      boolean finished = true;
      java.time.Duration retry = null;
      for (ScheduledTaskBackend backend : places) {
        ScheduledTaskBackend.Removal removal =
            backend.remove(scheduled, cluster, ReconcileCaches.ofContext(context));
        if (!removal.removed().isEmpty()) {
          events(context)
              .normal(
                  scheduled, "ScheduleDeleted", "deleted " + String.join(", ", removal.removed()));
        }
        if (!removal.finished()) {
          finished = false;
          retry = removal.retryAfter();
        }
      }
      if (finished) {
        return DeleteControl.defaultDelete();
      }
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(retry);
    } catch (BackendFailure e) {
      events(context).warning(scheduled, e.reason(), e.getMessage());
      return DeleteControl.noFinalizerRemoval()
          .rescheduleAfter(ScheduledTaskReconciler.FAILURE_RETRY);
    }
  }

  /** Where this cleanup's Events go (unit tests record them instead). */
  EventRecorder events(Context<ScheduledTask> context) {
    return new EventRecorder(context.getClient());
  }
}
