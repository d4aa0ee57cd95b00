package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleStatus;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.TaskRoleBackend;
import dev.tidewater.model.TaskRoleNames;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.GenericFilter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Deletes (or retains) the IAM role of a TaskRole being deleted: with {@code deletionPolicy:
 * Delete} (the default) its Pod Identity association and IAM role go (managed policies detached and
 * inline policies deleted first); with {@code Retain} everything stays. Then the finalizer goes.
 *
 * <p>A controller of its own because the finalizer is on a TaskRole only while it owns an IAM role:
 * {@link TaskRoleReconciler} adds it, and this controller sees only TaskRoles that hold it (its
 * event filter), so the Operator SDK never puts its finalizer on the others. (The SDK's
 * reconcile-on-all-events mode would do this in one controller, but the Quarkus extension in use
 * drops that setting from the runtime configuration.)
 */
@ControllerConfiguration(
    name = "taskrole-cleanup",
    finalizerName = TaskRoleCleanupReconciler.FINALIZER,
    informer = @Informer(genericFilter = TaskRoleCleanupReconciler.HoldsFinalizer.class))
public class TaskRoleCleanupReconciler
    implements Reconciler<TaskRole>, ShardNamespaces.Sharded<TaskRole>, Cleaner<TaskRole> {

  /** Held while the TaskRole owns an IAM role, until it is deleted or retained. */
  public static final String FINALIZER = "ecs.tidewater.dev/iam-role";

  private static final long RETRY_MILLIS = 15_000;
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final Logger LOG = Logger.getLogger(TaskRoleCleanupReconciler.class);

  private final StatusRecorder status = new StatusRecorder(Clock.systemUTC());

  /** Only TaskRoles that own an IAM role reach this controller. */
  public static class HoldsFinalizer implements GenericFilter<TaskRole> {
    @Override
    public boolean accept(TaskRole role) {
      return role.hasFinalizer(FINALIZER);
    }
  }

  private final BackendFactory backends;
  private final TenancyPolicies tenancy;
  private final IamDriftChecks driftChecks;
  private final TaskRoleIamLocks locks;
  private final ReconcileMetrics metrics;
  private final SharedInformers informers;

  public TaskRoleCleanupReconciler(
      BackendFactory backends,
      IamDriftChecks driftChecks,
      TaskRoleIamLocks locks,
      ReconcileMetrics metrics,
      TenancyPolicies tenancy,
      SharedInformers informers) {
    this.informers = informers;
    this.tenancy = tenancy;
    this.backends = backends;
    this.driftChecks = driftChecks;
    this.locks = locks;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, TaskRole>> prepareEventSources(EventSourceContext<TaskRole> context) {
    return List.of(
        ClusterEventSources.create(
            context, informers, r -> r.getSpec() == null ? null : r.getSpec().clusterRef));
  }

  /** Converging is {@link TaskRoleReconciler}'s; this controller only deletes. */
  @Override
  public UpdateControl<TaskRole> reconcile(TaskRole role, Context<TaskRole> context) {
    return UpdateControl.noUpdate();
  }

  @Override
  public DeleteControl cleanup(TaskRole role, Context<TaskRole> context) {
    String uid = role.getMetadata().getUid();
    DeleteControl result = locks.locked(uid, () -> deleteOrRetain(role, context));
    if (result.isRemoveFinalizer()) {
      driftChecks.forget(role);
      locks.forget(uid);
    }
    return result;
  }

  private DeleteControl deleteOrRetain(TaskRole role, Context<TaskRole> context) {
    locks.markDeleting(role.getMetadata().getUid());
    EventRecorder events = events(context);
    String name = TaskRoleNames.iamRoleName(role);
    // a Cluster deleted first (a whole namespace going) leaves the operator's own AWS context
    ResolvedCluster cluster =
        ClusterEventSources.resolve(
            role, role.getSpec() == null ? null : role.getSpec().clusterRef, context);
    TaskRoleBackend.Input input =
        new TaskRoleBackend.Input(
            role,
            cluster,
            tenancy.ceilingFor(role.getMetadata().getNamespace()),
            TaskRoleNames.serviceAccountName(role),
            context::getSecondaryResources);
    // the Cluster may have switched backends since: each lets go of what it may have set
    backends.all().forEach(b -> b.taskRoles().releaseIdentity(input));
    if (role.getSpec() != null && "Retain".equals(role.getSpec().deletionPolicy)) {
      events.normal(role, "RoleRetained", "deletionPolicy Retain: IAM role " + name + " stays");
      return DeleteControl.defaultDelete();
    }
    TaskRoleBackend.IamRemoval removal =
        backends.taskRoles(cluster).removeIam(input, deletionBoundary(role, cluster, tenancy));
    if (removal.failure() == null) {
      if (removal.deletedArn() != null) {
        events.normal(role, "RoleDeleted", "deleted IAM role " + removal.deletedArn());
      }
      return DeleteControl.defaultDelete();
    }
    String reason = removal.failure().reason();
    Outcome outcome = Outcome.degraded(reason, removal.failure().message());
    if (outcome.newlyDegraded(role.getStatus())) {
      events.warning(role, reason, outcome.message());
    }
    recordStatus(role, outcome, context);
    metrics.reconciled("TaskRole", outcome);
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(RETRY_MILLIS);
  }

  /** The boundary a role gets before it is emptied: the Cluster's enforced one, else the spec's. */
  private static Optional<String> deletionBoundary(
      TaskRole role, ResolvedCluster cluster, TenancyPolicies tenancy) {
    return ValidationContext.forCluster(
            cluster.spec(), tenancy.ceilingFor(role.getMetadata().getNamespace()))
        .enforcedPermissionsBoundary()
        .or(
            () ->
                Optional.ofNullable(
                    role.getSpec() == null ? null : role.getSpec().permissionsBoundary));
  }

  /** Where this cleanup's Events go (unit tests record them instead). */
  EventRecorder events(Context<TaskRole> context) {
    return new EventRecorder(context.getClient());
  }

  /** The failed deletion as the TaskRole's Degraded condition (best effort: it is going anyway). */
  void recordStatus(TaskRole role, Outcome outcome, Context<TaskRole> context) {
    TaskRoleStatus next =
        role.getStatus() == null
            ? new TaskRoleStatus()
            : JSON.unmarshal(JSON.asJson(role.getStatus()), TaskRoleStatus.class);
    UpdateControl<TaskRole> update = status.record(role, next, outcome, next.getWarnings());
    if (update.isPatchStatus()) {
      try {
        context.getClient().resource(update.getResource().orElseThrow()).patchStatus();
      } catch (KubernetesClientException e) {
        LOG.debugf("status of TaskRole %s not recorded: %s", role.getMetadata().getName(), e);
      }
    }
  }
}
