package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleSpec;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleStatus;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.TaskRoleBackend;
import dev.tidewater.model.IamRolePlanner;
import dev.tidewater.model.Problem;
import dev.tidewater.model.Sha256;
import dev.tidewater.model.TaskRoleNames;
import dev.tidewater.model.TaskRoleValidator;
import dev.tidewater.model.TenancyCeiling;
import dev.tidewater.model.TenancyChecks;
import dev.tidewater.model.TrustPolicies;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A TaskRole: the ServiceAccount its tasks run under (kubernetes backend) and, with an AWS context,
 * the IAM role they assume — trusted per the Cluster's identity mode (IRSA, EKS Pod Identity, ECS
 * tasks; see {@link TrustPolicies}), converged by {@link IamRolePlanner} and deleted or retained
 * with the TaskRole. The finalizer is on a TaskRole only while it owns an IAM role; the deletion
 * itself is {@link TaskRoleCleanupReconciler}'s.
 */
@ControllerConfiguration(name = "taskrole")
public class TaskRoleReconciler implements Reconciler<TaskRole>, ShardNamespaces.Sharded<TaskRole> {

  /** Held while the TaskRole owns an IAM role, until it is deleted or retained. */
  public static final String FINALIZER = TaskRoleCleanupReconciler.FINALIZER;

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final StatusRecorder status = new StatusRecorder(Clock.systemUTC());
  private final TaskRoleValidator validator = new TaskRoleValidator();
  private final ReconcileMetrics metrics;
  private final BackendFactory backends;
  private final TenancyPolicies tenancy;
  private final IamDriftChecks driftChecks;
  private final TaskRoleIamLocks locks;
  private final SharedInformers informers;

  public TaskRoleReconciler(
      ReconcileMetrics metrics,
      BackendFactory backends,
      IamDriftChecks driftChecks,
      TaskRoleIamLocks locks,
      TenancyPolicies tenancy,
      SharedInformers informers) {
    this.informers = informers;
    this.metrics = metrics;
    this.tenancy = tenancy;
    this.backends = backends;
    this.driftChecks = driftChecks;
    this.locks = locks;
  }

  @Override
  public List<EventSource<?, TaskRole>> prepareEventSources(EventSourceContext<TaskRole> context) {
    return List.of(
        ClusterEventSources.create(
            context, informers, r -> r.getSpec() == null ? null : r.getSpec().clusterRef),
        OwnedEventSources.owned(ServiceAccount.class, context),
        tenancy.eventSource(context));
  }

  /** What the IAM part of a reconcile ended with. */
  private record IamResult(
      Outcome outcome, String roleArn, String associationId, List<StatusWarning> warnings) {

    static IamResult failed(Outcome outcome, TaskRoleStatus previous) {
      return new IamResult(
          outcome,
          previous == null ? null : previous.roleArn,
          previous == null ? null : previous.podIdentityAssociationId,
          List.of());
    }
  }

  @Override
  public UpdateControl<TaskRole> reconcile(TaskRole role, Context<TaskRole> context) {
    return StatusRecorder.write(context, role, converge(role, context));
  }

  /** The reconcile but for its status write: the control returned carries the status to write. */
  UpdateControl<TaskRole> converge(TaskRole role, Context<TaskRole> context) {
    if (role.getSpec() == null) {
      return status.record(role, new TaskRoleStatus(), Outcome.missingSpec(), List.of());
    }
    EventRecorder events = events(context);
    TaskRoleStatus previous = role.getStatus();
    ResolvedCluster cluster = ClusterEventSources.resolve(role, role.getSpec().clusterRef, context);
    TaskRoleStatus next = new TaskRoleStatus();
    if (!cluster.missing()) next.setBackend(cluster.backend().value());
    List<StatusWarning> warnings = new ArrayList<>();
    Outcome outcome;
    if (cluster.missing()) {
      outcome =
          Outcome.degraded("ClusterNotFound", "Cluster " + cluster.name() + " does not exist");
      next.roleArn = previous == null ? null : previous.roleArn;
    } else {
      TaskRoleBackend backend = backends.taskRoles(cluster);
      String serviceAccount = TaskRoleNames.serviceAccountName(role);
      TenancyCeiling ceiling = tenancy.ceilingFor(role.getMetadata().getNamespace());
      TaskRoleBackend.Input input =
          new TaskRoleBackend.Input(
              role, cluster, ceiling, serviceAccount, context::getSecondaryResources);
      List<Problem> refused = new ArrayList<>();
      TenancyChecks.adopt(role.getSpec().adopt, ceiling).ifPresent(refused::add);
      TaskRoleBackend.IdentityClaim claim = TaskRoleBackend.IdentityClaim.NONE;
      if (refused.isEmpty()) {
        // before any IAM call: a role is never made trusting an identity the TaskRole may not have
        claim = backend.claimIdentity(input);
        if (!claim.allowed()) refused.add(claim.refusal());
      }
      if (!refused.isEmpty()) {
        next.roleArn = previous == null ? null : previous.roleArn;
        next.podIdentityAssociationId = previous == null ? null : previous.podIdentityAssociationId;
        Outcome refusal = Outcome.degraded(reasonOf(refused), Problems.summary(refused));
        if (refusal.newlyDegraded(previous)) {
          events.warning(role, refusal.reason(), refusal.message());
        }
        metrics.reconciled("TaskRole", refusal);
        return status.record(role, next, refusal, warnings);
      }
      List<TrustPolicies.Principal> principals = backend.principals(input);
      boolean wantsIam = backend.wantsIamRole(cluster);
      if (wantsIam && principals.isEmpty()) {
        wantsIam = false;
        warnings.add(
            new StatusWarning(
                "spec.clusterRef",
                "IdentityModeNotSet",
                "Cluster "
                    + cluster.name()
                    + " has an AWS context but no spec.eks.identity (irsa or podIdentity): no IAM"
                    + " role is made, tasks run as the ServiceAccount alone"));
      }
      IamResult result;
      if (wantsIam) {
        result =
            locks.locked(
                role.getMetadata().getUid(),
                () ->
                    locks.deleting(role.getMetadata().getUid())
                        // deleted while this reconcile waited: the role is not made again
                        ? IamResult.failed(
                            Outcome.progressing("Deleting", "the TaskRole is being deleted"),
                            previous)
                        : convergeIam(input, backend, principals, context, events));
      } else {
        releaseRole(role, context, events);
        result = new IamResult(null, null, null, List.of());
      }
      next.roleArn = result.roleArn();
      next.podIdentityAssociationId = result.associationId();
      warnings.addAll(result.warnings());
      boolean irsa = principals.stream().anyMatch(p -> p instanceof TrustPolicies.Irsa) && wantsIam;
      next.serviceAccountName = backend.applyIdentity(input, claim, irsa ? next.roleArn : null);
      outcome =
          result.outcome() != null
              ? result.outcome()
              : Outcome.ready(
                  "ServiceAccountReady", "tasks run as ServiceAccount " + serviceAccount);
    }
    if (outcome.newlyDegraded(previous)) {
      events.warning(role, outcome.reason(), outcome.message());
    }
    metrics.reconciled("TaskRole", outcome);
    return status.record(role, next, outcome, warnings);
  }

  private IamResult convergeIam(
      TaskRoleBackend.Input input,
      TaskRoleBackend backend,
      List<TrustPolicies.Principal> principals,
      Context<TaskRole> context,
      EventRecorder events) {
    TaskRole role = input.role();
    ResolvedCluster cluster = input.cluster();
    TaskRoleSpec spec = role.getSpec();
    TaskRoleStatus previous = role.getStatus();
    ValidationContext guardrails = ValidationContext.forCluster(cluster.spec(), input.ceiling());
    List<Problem> problems =
        validator.validateManagedRole(
            spec, guardrails, Objects.requireNonNullElse(cluster.name(), "default"));
    if (!problems.isEmpty()) {
      // nothing is half-applied: a refused spec makes no IAM call
      return IamResult.failed(
          Outcome.degraded(reasonOf(problems), Problems.summary(problems)), previous);
    }
    TaskRoleBackend.IamTarget target = backend.iamTarget(input);
    if (target.problem() != null) {
      return IamResult.failed(
          Outcome.degraded(target.problem().reason(), target.problem().message()), previous);
    }
    String clusterHash = Sha256.hex(JSON.asJson(cluster.spec()), 16);
    String principalText = TrustPolicies.describe(principals);
    List<StatusWarning> warnings = new ArrayList<>();
    if (spec.permissionsBoundary != null
        && guardrails.enforcedPermissionsBoundary().isPresent()
        && !spec.permissionsBoundary.equals(guardrails.enforcedPermissionsBoundary().get())) {
      warnings.add(
          new StatusWarning(
              "spec.permissionsBoundary",
              "PermissionsBoundaryOverridden",
              "the Cluster's guardrails.permissionsBoundaryArn "
                  + guardrails.enforcedPermissionsBoundary().get()
                  + " applies instead"));
    }
    if (!driftChecks.due(role, clusterHash)) {
      // what only a full pass can tell (a path IAM cannot change) stays as that pass found it
      previous.getWarnings().stream()
          .filter(w -> IamRolePlanner.ROLE_PATH_IMMUTABLE.equals(w.reason()))
          .forEach(warnings::add);
      return new IamResult(
          ready(previous.roleArn, principalText),
          previous.roleArn,
          previous.podIdentityAssociationId,
          warnings);
    }
    TaskRoleBackend.IamState state =
        backend.convergeIam(
            input,
            target,
            new TaskRoleBackend.IamRequest(
                guardrails,
                principals,
                warnings,
                // before the role exists: a crash after CreateRole still leaves a finalizer
                () -> {
                  if (!role.hasFinalizer(FINALIZER)) {
                    PrimaryUpdateAndCacheUtils.addFinalizer(context, FINALIZER);
                  }
                }));
    state.events().forEach(e -> events.normal(role, e.reason(), e.message()));
    if (state.failure() != null) {
      driftChecks.forget(role);
      return new IamResult(
          Outcome.degraded(state.failure().reason(), state.failure().message()),
          state.roleArn(),
          state.associationId(),
          state.warnings());
    }
    driftChecks.checked(role, clusterHash, state.roleArn());
    return new IamResult(
        ready(state.roleArn(), principalText),
        state.roleArn(),
        state.associationId(),
        state.warnings());
  }

  private static Outcome ready(String arn, String principals) {
    return Outcome.ready("RoleReady", "IAM role " + arn + " trusts " + principals);
  }

  private static String reasonOf(List<Problem> problems) {
    String first = problems.get(0).reason();
    return problems.stream().allMatch(p -> p.reason().equals(first)) ? first : "InvalidSpec";
  }

  /**
   * The Cluster no longer calls for an IAM role (its AWS context or identity mode went): the role
   * is left in place and no longer held by a finalizer.
   */
  private void releaseRole(TaskRole role, Context<TaskRole> context, EventRecorder events) {
    driftChecks.forget(role);
    if (role.hasFinalizer(FINALIZER)) {
      PrimaryUpdateAndCacheUtils.removeFinalizer(context, FINALIZER);
      events.normal(
          role,
          "RoleReleased",
          "the Cluster no longer calls for an IAM role; IAM role "
              + (role.getStatus() != null && role.getStatus().roleArn != null
                  ? role.getStatus().roleArn
                  : TaskRoleNames.iamRoleName(role))
              + " is left in place");
    }
  }

  /** Where this reconcile's Events go (unit tests record them instead). */
  EventRecorder events(Context<TaskRole> context) {
    return new EventRecorder(context.getClient());
  }

  @Override
  public ErrorStatusUpdateControl<TaskRole> updateErrorStatus(
      TaskRole role, Context<TaskRole> context, Exception e) {
    return status.recordError(role, TaskRoleStatus::new, e, context.getRetryInfo());
  }
}
