package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleStatus;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.kubernetes.OwnerReferences;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;

/**
 * A TaskRole on the kubernetes backend: the ServiceAccount its tasks run under. (IAM roles with
 * IRSA / Pod Identity, and the ecs backend's task roles, come with the AWS-backed TaskRole work.)
 */
@ControllerConfiguration(name = "taskrole")
public class TaskRoleReconciler implements Reconciler<TaskRole> {

  private final StatusRecorder status = new StatusRecorder(Clock.systemUTC());
  private final ReconcileMetrics metrics;

  public TaskRoleReconciler(ReconcileMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, TaskRole>> prepareEventSources(EventSourceContext<TaskRole> context) {
    return List.of(
        ClusterEventSources.create(
            context, r -> r.getSpec() == null ? null : r.getSpec().clusterRef),
        OwnedEventSources.owned(ServiceAccount.class, context));
  }

  /** The ServiceAccount name of a TaskRole. */
  public static String serviceAccountName(TaskRole role) {
    return role.getSpec() != null && role.getSpec().serviceAccountName != null
        ? role.getSpec().serviceAccountName
        : role.getMetadata().getName();
  }

  @Override
  public UpdateControl<TaskRole> reconcile(TaskRole role, Context<TaskRole> context) {
    if (role.getSpec() == null) {
      return status.record(role, new TaskRoleStatus(), Outcome.missingSpec(), List.of());
    }
    ResolvedCluster cluster = ClusterEventSources.resolve(role, role.getSpec().clusterRef, context);
    TaskRoleStatus next = new TaskRoleStatus();
    Outcome outcome;
    if (cluster.missing()) {
      outcome =
          Outcome.degraded("ClusterNotFound", "Cluster " + cluster.name() + " does not exist");
    } else if (cluster.backend() != dev.tidewater.backend.BackendKind.KUBERNETES) {
      outcome =
          Outcome.degraded(
              "BackendUnavailable", "the ecs backend is not available in this version");
    } else {
      String name = serviceAccountName(role);
      ServiceAccount desired =
          new ServiceAccountBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(role.getMetadata().getNamespace())
              .addToLabels(TidewaterLabels.MANAGED_BY, TidewaterLabels.MANAGED_BY_VALUE)
              .addToOwnerReferences(OwnerReferences.controlledBy(role))
              .endMetadata()
              .build();
      var owned = context.getSecondaryResources(ServiceAccount.class);
      if (owned.stream().noneMatch(sa -> name.equals(sa.getMetadata().getName()))) {
        context
            .getClient()
            .resource(desired)
            .fieldManager(TidewaterLabels.FIELD_MANAGER)
            .forceConflicts()
            .serverSideApply();
      }
      // a renamed ServiceAccount: the old one goes (it is ours: owned and labelled)
      owned.stream()
          .filter(sa -> !name.equals(sa.getMetadata().getName()))
          .forEach(sa -> context.getClient().resource(sa).delete());
      next.serviceAccountName = name;
      outcome = Outcome.ready("ServiceAccountReady", "tasks run as ServiceAccount " + name);
    }
    metrics.reconciled("TaskRole", outcome);
    return status.record(role, next, outcome, List.of());
  }

  @Override
  public ErrorStatusUpdateControl<TaskRole> updateErrorStatus(
      TaskRole role, Context<TaskRole> context, Exception e) {
    return status.recordError(role, TaskRoleStatus::new, e);
  }
}
