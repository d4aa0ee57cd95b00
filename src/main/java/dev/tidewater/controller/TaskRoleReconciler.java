package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleSpec;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleStatus;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.aws.AwsErrors;
import dev.tidewater.backend.BackendKind;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.backend.aws.ClusterAwsContexts;
import dev.tidewater.backend.aws.IamRoleBackend;
import dev.tidewater.backend.aws.PodIdentityAssociations;
import dev.tidewater.backend.kubernetes.AppliedFields;
import dev.tidewater.backend.kubernetes.children.TaskRoleServiceAccount;
import dev.tidewater.model.AwsNames;
import dev.tidewater.model.DesiredIamRole;
import dev.tidewater.model.IamRoleChange;
import dev.tidewater.model.IamRolePlanner;
import dev.tidewater.model.ObservedIamRole;
import dev.tidewater.model.Problem;
import dev.tidewater.model.Sha256;
import dev.tidewater.model.TaskRoleNames;
import dev.tidewater.model.TaskRoleValidator;
import dev.tidewater.model.TenancyCeiling;
import dev.tidewater.model.TenancyChecks;
import dev.tidewater.model.TidewaterLabels;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A TaskRole: the ServiceAccount its tasks run under (kubernetes backend) and, with an AWS context,
 * the IAM role they assume — trusted per the Cluster's identity mode (IRSA, EKS Pod Identity, ECS
 * tasks; see {@link TrustPolicies}), converged by {@link IamRolePlanner} and deleted or retained
 * with the TaskRole. The finalizer is on a TaskRole only while it owns an IAM role; the deletion
 * itself is {@link TaskRoleCleanupReconciler}'s.
 */
@ControllerConfiguration(name = "taskrole")
public class TaskRoleReconciler implements Reconciler<TaskRole> {

  /** Held while the TaskRole owns an IAM role, until it is deleted or retained. */
  public static final String FINALIZER = TaskRoleCleanupReconciler.FINALIZER;

  /** The ServiceAccount annotation that hands IRSA's role to the pods. */
  public static final String ROLE_ARN_ANNOTATION = TaskRoleServiceAccount.ROLE_ARN_ANNOTATION;

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final StatusRecorder status = new StatusRecorder(Clock.systemUTC());
  private final TaskRoleValidator validator = new TaskRoleValidator();
  private final ReconcileMetrics metrics;
  private final ClusterAwsContexts awsContexts;
  private final TenancyPolicies tenancy;
  private final IamRoleBackend iam;
  private final PodIdentityAssociations podIdentity;
  private final IamDriftChecks driftChecks;
  private final TaskRoleIamLocks locks;

  public TaskRoleReconciler(
      ReconcileMetrics metrics,
      AwsClientFactory clients,
      ClusterAwsContexts awsContexts,
      IamDriftChecks driftChecks,
      TaskRoleIamLocks locks,
      TenancyPolicies tenancy) {
    this.metrics = metrics;
    this.tenancy = tenancy;
    this.awsContexts = awsContexts;
    this.iam = new IamRoleBackend(clients);
    this.podIdentity = new PodIdentityAssociations(clients);
    this.driftChecks = driftChecks;
    this.locks = locks;
  }

  @Override
  public List<EventSource<?, TaskRole>> prepareEventSources(EventSourceContext<TaskRole> context) {
    return List.of(
        ClusterEventSources.create(
            context, r -> r.getSpec() == null ? null : r.getSpec().clusterRef),
        OwnedEventSources.owned(ServiceAccount.class, context),
        tenancy.eventSource(context));
  }

  /**
   * The IAM role of a TaskRole (docs/naming.md, migration): the one {@code status.roleArn} names,
   * else the new name when a role is there, else the old name when the role under it carries this
   * TaskRole's owner tags, else the new name.
   */
  static AwsNames.Chosen<ObservedIamRole> chooseRole(
      TaskRole role, java.util.function.Function<String, Optional<ObservedIamRole>> observe) {
    TaskRoleStatus status = role.getStatus();
    Optional<String> recorded =
        Optional.ofNullable(status == null ? null : status.roleArn)
            .map(arn -> arn.substring(arn.lastIndexOf('/') + 1));
    return AwsNames.choose(
        recorded,
        TaskRoleNames.iamRoleName(role),
        TaskRoleNames.legacyIamRoleName(role),
        observe,
        o -> AwsOwnership.claim(role, o.tags()).ours());
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
    if (role.getSpec() == null) {
      return status.record(role, new TaskRoleStatus(), Outcome.missingSpec(), List.of());
    }
    EventRecorder events = new EventRecorder(context.getClient());
    TaskRoleStatus previous = role.getStatus();
    ResolvedCluster cluster = ClusterEventSources.resolve(role, role.getSpec().clusterRef, context);
    TaskRoleStatus next = new TaskRoleStatus();
    List<StatusWarning> warnings = new ArrayList<>();
    Outcome outcome;
    if (cluster.missing()) {
      outcome =
          Outcome.degraded("ClusterNotFound", "Cluster " + cluster.name() + " does not exist");
      next.roleArn = previous == null ? null : previous.roleArn;
    } else {
      boolean ecs = cluster.backend() == BackendKind.ECS;
      String serviceAccount = TaskRoleNames.serviceAccountName(role);
      TenancyCeiling ceiling = tenancy.ceilingFor(role.getMetadata().getNamespace());
      List<Problem> refused = new ArrayList<>();
      TenancyChecks.adopt(role.getSpec().adopt, ceiling).ifPresent(refused::add);
      TaskRoleServiceAccount.Claim saClaim = null;
      if (refused.isEmpty() && !ecs) {
        // before any IAM call: a role is never made trusting a ServiceAccount the TaskRole may
        // not have
        saClaim =
            TaskRoleServiceAccount.claim(
                role,
                serviceAccount,
                currentServiceAccount(role, serviceAccount, context),
                ceiling);
        if (!saClaim.allowed()) refused.add(saClaim.problem());
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
      List<TrustPolicies.Principal> principals =
          TrustPolicies.principals(
              cluster.spec(), ecs, role.getMetadata().getNamespace(), serviceAccount);
      boolean wantsIam = ecs || ClusterAwsContexts.hasAws(cluster);
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
                        : convergeIam(role, cluster, principals, serviceAccount, context, events));
      } else {
        releaseRole(role, context, events);
        result = new IamResult(null, null, null, List.of());
      }
      next.roleArn = result.roleArn();
      next.podIdentityAssociationId = result.associationId();
      warnings.addAll(result.warnings());
      if (!ecs) {
        boolean irsa =
            principals.stream().anyMatch(p -> p instanceof TrustPolicies.Irsa) && wantsIam;
        applyServiceAccount(
            role, serviceAccount, irsa ? next.roleArn : null, saClaim.adopted(), context);
        next.serviceAccountName = serviceAccount;
      }
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
      TaskRole role,
      ResolvedCluster cluster,
      List<TrustPolicies.Principal> principals,
      String serviceAccount,
      Context<TaskRole> context,
      EventRecorder events) {
    TaskRoleSpec spec = role.getSpec();
    TaskRoleStatus previous = role.getStatus();
    ValidationContext guardrails =
        ValidationContext.forCluster(
            cluster.spec(), tenancy.ceilingFor(role.getMetadata().getNamespace()));
    List<Problem> problems =
        validator.validateManagedRole(
            spec, guardrails, Objects.requireNonNullElse(cluster.name(), "default"));
    if (!problems.isEmpty()) {
      // nothing is half-applied: a refused spec makes no IAM call
      return IamResult.failed(
          Outcome.degraded(reasonOf(problems), Problems.summary(problems)), previous);
    }
    String namespace = role.getMetadata().getNamespace();
    AwsContext ctx;
    try {
      ctx = awsContexts.resolve(cluster, namespace, context.getClient());
    } catch (ClusterAwsContexts.InvalidAwsContext e) {
      return IamResult.failed(Outcome.degraded(e.reason(), e.getMessage()), previous);
    }
    boolean usesPodIdentity =
        principals.stream().anyMatch(p -> p instanceof TrustPolicies.PodIdentity);
    String clusterHash = Sha256.hex(JSON.asJson(cluster.spec()), 16);
    String principalText = describe(principals);
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
    Map<String, String> tags = AwsOwnership.tags(role, AwsOwnership.userTags(spec.tags));
    try {
      AwsNames.Chosen<ObservedIamRole> chosen = chooseRole(role, n -> iam.observe(ctx, n));
      String name = chosen.name();
      Optional<ObservedIamRole> observed = chosen.found();
      DesiredIamRole desired =
          DesiredIamRole.of(spec, guardrails, name, TrustPolicies.document(principals), tags);
      AwsOwnership.Claim claim =
          observed.map(o -> AwsOwnership.claim(role, o.tags())).orElse(AwsOwnership.Claim.OURS);
      if (!claim.usable(spec.adopt)) {
        driftChecks.forget(role);
        return new IamResult(
            Outcome.degraded(
                "NameConflict",
                "IAM role "
                    + name
                    + " exists and was not made by Tidewater for this TaskRole"
                    + claim.conflictHint(observed.get().tags())),
            null,
            null,
            List.of());
      }
      // before the role exists: a crash after CreateRole still leaves a finalizer to clean up
      if (!role.hasFinalizer(FINALIZER)) {
        PrimaryUpdateAndCacheUtils.addFinalizer(context, FINALIZER);
      }
      IamRolePlanner.Plan plan = IamRolePlanner.plan(desired, observed);
      String arn = iam.apply(ctx, name, plan.changes(), observed.map(ObservedIamRole::arn));
      warnings.addAll(plan.warnings());
      if (observed.isEmpty()) {
        events.normal(
            role, "RoleCreated", "created IAM role " + arn + " trusting " + principalText);
      } else if (!plan.isEmpty()) {
        events.normal(
            role,
            "RoleUpdated",
            "IAM role "
                + arn
                + ": "
                + plan.changes().stream()
                    .map(IamRoleChange::api)
                    .distinct()
                    .collect(Collectors.joining(", ")));
      }
      String associationId;
      try {
        associationId =
            convergePodIdentity(role, cluster.spec(), ctx, usesPodIdentity, serviceAccount, arn);
      } catch (PodIdentityAssociations.ForeignAssociation e) {
        driftChecks.forget(role);
        return new IamResult(
            Outcome.degraded("NameConflict", e.getMessage()),
            arn,
            previous == null ? null : previous.podIdentityAssociationId,
            warnings);
      } catch (SdkException e) {
        // the role exists and is converged: its ARN stays in status while the association fails
        driftChecks.forget(role);
        return new IamResult(
            Outcome.degraded(
                AwsErrors.reasonOf(e).name(),
                "Pod Identity association: " + AwsErrors.messageOf(e)),
            arn,
            previous == null ? null : previous.podIdentityAssociationId,
            warnings);
      }
      driftChecks.checked(role, clusterHash, arn);
      return new IamResult(ready(arn, principalText), arn, associationId, warnings);
    } catch (SdkException e) {
      driftChecks.forget(role);
      IamResult failed =
          IamResult.failed(
              Outcome.degraded(AwsErrors.reasonOf(e).name(), AwsErrors.messageOf(e)), previous);
      return new IamResult(failed.outcome(), failed.roleArn(), failed.associationId(), warnings);
    }
  }

  /** The association id, after making or removing the Pod Identity association as called for. */
  private String convergePodIdentity(
      TaskRole role,
      ClusterSpec cluster,
      AwsContext ctx,
      boolean usesPodIdentity,
      String serviceAccount,
      String roleArn) {
    TaskRoleStatus previous = role.getStatus();
    String previousId = previous == null ? null : previous.podIdentityAssociationId;
    String clusterName = cluster.eks == null ? null : cluster.eks.clusterName;
    if (usesPodIdentity) {
      return podIdentity.ensure(
          ctx,
          clusterName,
          role.getMetadata().getNamespace(),
          serviceAccount,
          roleArn,
          role,
          role.getSpec().adopt);
    }
    if (previousId != null && clusterName != null) {
      // the Cluster moved from Pod Identity to another mode: the association goes
      podIdentity.delete(ctx, clusterName, previousId);
    }
    return null;
  }

  private static Outcome ready(String arn, String principals) {
    return Outcome.ready("RoleReady", "IAM role " + arn + " trusts " + principals);
  }

  private static String describe(List<TrustPolicies.Principal> principals) {
    return principals.stream()
        .map(
            p -> {
              if (p instanceof TrustPolicies.Irsa irsa) {
                return "ServiceAccount "
                    + irsa.namespace()
                    + "/"
                    + irsa.serviceAccount()
                    + " (IRSA)";
              }
              return p instanceof TrustPolicies.PodIdentity
                  ? TrustPolicies.EKS_PODS + " (Pod Identity)"
                  : TrustPolicies.ECS_TASKS;
            })
        .collect(Collectors.joining(" and "));
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

  /**
   * The ServiceAccount {@code name}: from the informer of owned ones, else read (one the TaskRole
   * does not own is not cached).
   */
  private static Optional<ServiceAccount> currentServiceAccount(
      TaskRole role, String name, Context<TaskRole> context) {
    Optional<ServiceAccount> owned =
        context.getSecondaryResources(ServiceAccount.class).stream()
            .filter(sa -> name.equals(sa.getMetadata().getName()))
            .filter(sa -> TaskRoleServiceAccount.controlledBy(sa, role))
            .findFirst();
    if (owned.isPresent()) return owned;
    return Optional.ofNullable(
        context
            .getClient()
            .serviceAccounts()
            .inNamespace(role.getMetadata().getNamespace())
            .withName(name)
            .get());
  }

  private void applyServiceAccount(
      TaskRole role, String name, String irsaRoleArn, boolean adopted, Context<TaskRole> context) {
    var owned = context.getSecondaryResources(ServiceAccount.class);
    Optional<ServiceAccount> current =
        adopted
            ? currentServiceAccount(role, name, context)
            : owned.stream()
                .filter(sa -> name.equals(sa.getMetadata().getName()))
                .filter(sa -> TaskRoleServiceAccount.controlledBy(sa, role))
                .findFirst();
    ServiceAccount desired = TaskRoleServiceAccount.desired(role, name, irsaRoleArn, adopted);
    // a label or annotation of ours someone else changed or removed is restored (AppliedFields);
    // not on an adopted ServiceAccount, whose other managers' fields are never forced over
    boolean upToDate =
        current.isPresent()
            && Objects.equals(
                irsaRoleArn,
                current.get().getMetadata().getAnnotations() == null
                    ? null
                    : current.get().getMetadata().getAnnotations().get(ROLE_ARN_ANNOTATION))
            && (adopted || !AppliedFields.drifted(desired, current.get()));
    if (!upToDate) {
      // server-side apply: an annotation this field manager set before and leaves out now goes;
      // on an adopted ServiceAccount never forced over another manager's field
      var apply = context.getClient().resource(desired).fieldManager(TidewaterLabels.FIELD_MANAGER);
      if (!adopted) apply = apply.forceConflicts();
      apply.serverSideApply();
    }
    // a renamed ServiceAccount: the old one goes (it is ours: controlled and labelled)
    owned.stream()
        .filter(sa -> !name.equals(sa.getMetadata().getName()))
        .filter(sa -> TaskRoleServiceAccount.controlledBy(sa, role))
        .forEach(sa -> context.getClient().resource(sa).delete());
  }

  @Override
  public ErrorStatusUpdateControl<TaskRole> updateErrorStatus(
      TaskRole role, Context<TaskRole> context, Exception e) {
    return status.recordError(role, TaskRoleStatus::new, e, context.getRetryInfo());
  }
}
