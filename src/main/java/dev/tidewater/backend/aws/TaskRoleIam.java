package dev.tidewater.backend.aws;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleSpec;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleStatus;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.aws.AwsErrors;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.TaskRoleBackend;
import dev.tidewater.model.AwsNames;
import dev.tidewater.model.DesiredIamRole;
import dev.tidewater.model.IamRoleChange;
import dev.tidewater.model.IamRolePlanner;
import dev.tidewater.model.ObservedIamRole;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TaskRoleNames;
import dev.tidewater.model.TaskRoleValidator;
import dev.tidewater.model.TrustPolicies;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The IAM role of a TaskRole, the same on every backend (only its trusted principals differ): found
 * under its recorded, new or old name ({@link #chooseRole}), claimed by owner tags, converged by
 * {@link IamRolePlanner}, with its EKS Pod Identity association; deleted when the TaskRole goes.
 * AWS failures come back as {@link Problem}s with the reasons of {@link AwsErrors}.
 */
public final class TaskRoleIam {

  private final IamRoleBackend iam;
  private final PodIdentityAssociations podIdentity;
  private final ClusterAwsContexts awsContexts;
  private final KubernetesClient client;

  /**
   * @param client reads a Cluster's credentials Secret when its AWS context is built
   */
  public TaskRoleIam(
      AwsClientFactory clients, ClusterAwsContexts awsContexts, KubernetesClient client) {
    this.iam = new IamRoleBackend(clients);
    this.podIdentity = new PodIdentityAssociations(clients);
    this.awsContexts = awsContexts;
    this.client = client;
  }

  /**
   * The IAM role of a TaskRole (docs/naming.md, migration): the one {@code status.roleArn} names,
   * else the new name when a role is there, else the old name when the role under it carries this
   * TaskRole's owner tags, else the new name.
   */
  public static AwsNames.Chosen<ObservedIamRole> chooseRole(
      TaskRole role, Function<String, Optional<ObservedIamRole>> observe) {
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

  /** The Cluster's AWS context, or why it cannot be used. */
  public TaskRoleBackend.IamTarget target(TaskRoleBackend.Input in) {
    try {
      return new TaskRoleBackend.IamTarget(
          awsContexts.resolve(in.cluster(), in.namespace(), client), null);
    } catch (ClusterAwsContexts.InvalidAwsContext e) {
      return new TaskRoleBackend.IamTarget(
          null, new Problem("spec.clusterRef", e.reason(), e.getMessage()));
    }
  }

  /** Finds, creates or corrects the role and its Pod Identity association. */
  public TaskRoleBackend.IamState converge(
      TaskRoleBackend.Input in,
      TaskRoleBackend.IamTarget target,
      TaskRoleBackend.IamRequest request) {
    TaskRole role = in.role();
    TaskRoleSpec spec = role.getSpec();
    TaskRoleStatus previous = role.getStatus();
    String previousArn = previous == null ? null : previous.roleArn;
    String previousAssociation = previous == null ? null : previous.podIdentityAssociationId;
    List<StatusWarning> warnings = new ArrayList<>(request.warnings());
    if (target.problem() != null) {
      return failed(
          previousArn,
          previousAssociation,
          List.of(),
          target.problem().reason(),
          target.problem().message());
    }
    AwsContext ctx = target.context();
    List<TrustPolicies.Principal> principals = request.principals();
    boolean usesPodIdentity =
        principals.stream().anyMatch(p -> p instanceof TrustPolicies.PodIdentity);
    String principalText = TrustPolicies.describe(principals);
    Map<String, String> tags = AwsOwnership.tags(role, AwsOwnership.userTags(spec.tags));
    try {
      AwsNames.Chosen<ObservedIamRole> chosen = chooseRole(role, n -> iam.observe(ctx, n));
      String name = chosen.name();
      Optional<ObservedIamRole> observed = chosen.found();
      DesiredIamRole desired =
          DesiredIamRole.of(
              spec, request.guardrails(), name, TrustPolicies.document(principals), tags);
      AwsOwnership.Claim claim =
          observed.map(o -> AwsOwnership.claim(role, o.tags())).orElse(AwsOwnership.Claim.OURS);
      if (!claim.usable(spec.adopt)) {
        return failed(
            null,
            null,
            List.of(),
            "NameConflict",
            "IAM role "
                + name
                + " exists and was not made by Tidewater for this TaskRole"
                + claim.conflictHint(observed.get().tags()));
      }
      request.beforeCreate().run();
      IamRolePlanner.Plan plan = IamRolePlanner.plan(desired, observed);
      String arn = iam.apply(ctx, name, plan.changes(), observed.map(ObservedIamRole::arn));
      warnings.addAll(plan.warnings());
      List<Problem> events = new ArrayList<>();
      if (observed.isEmpty()) {
        events.add(
            new Problem(
                null, "RoleCreated", "created IAM role " + arn + " trusting " + principalText));
      } else if (!plan.isEmpty()) {
        events.add(
            new Problem(
                null,
                "RoleUpdated",
                "IAM role "
                    + arn
                    + ": "
                    + plan.changes().stream()
                        .map(IamRoleChange::api)
                        .distinct()
                        .collect(Collectors.joining(", "))));
      }
      String associationId;
      try {
        associationId =
            convergePodIdentity(
                role, in.cluster().spec(), ctx, usesPodIdentity, in.serviceAccountName(), arn);
      } catch (PodIdentityAssociations.ForeignAssociation e) {
        return new TaskRoleBackend.IamState(
            arn,
            previousAssociation,
            warnings,
            new Problem("spec.clusterRef", "NameConflict", e.getMessage()),
            events);
      } catch (SdkException e) {
        // the role exists and is converged: its ARN stays in status while the association fails
        return new TaskRoleBackend.IamState(
            arn,
            previousAssociation,
            warnings,
            new Problem(
                "spec.clusterRef",
                AwsErrors.reasonOf(e).name(),
                "Pod Identity association: " + AwsErrors.messageOf(e)),
            events);
      }
      return new TaskRoleBackend.IamState(arn, associationId, warnings, null, events);
    } catch (SdkException e) {
      return failed(
          previousArn,
          previousAssociation,
          warnings,
          AwsErrors.reasonOf(e).name(),
          AwsErrors.messageOf(e));
    }
  }

  private static TaskRoleBackend.IamState failed(
      String arn, String association, List<StatusWarning> warnings, String reason, String message) {
    return new TaskRoleBackend.IamState(
        arn, association, warnings, new Problem("spec", reason, message), List.of());
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

  /**
   * Deletes the Pod Identity association status names and the role, when ours (a role that is not,
   * or no longer, ours is left alone); {@code boundary} is put on the role before it is emptied.
   */
  public TaskRoleBackend.IamRemoval remove(TaskRoleBackend.Input in, Optional<String> boundary) {
    TaskRole role = in.role();
    ResolvedCluster cluster = in.cluster();
    String name = TaskRoleNames.iamRoleName(role);
    try {
      AwsContext ctx = awsContexts.resolve(cluster, in.namespace(), client);
      TaskRoleStatus status = role.getStatus();
      String eksCluster = cluster.spec().eks == null ? null : cluster.spec().eks.clusterName;
      if (status != null && status.podIdentityAssociationId != null && eksCluster != null) {
        podIdentity.delete(ctx, eksCluster, status.podIdentityAssociationId);
      }
      // the role under the name it has: an earlier version's old-scheme name, or the new one
      AwsNames.Chosen<ObservedIamRole> chosen = chooseRole(role, n -> iam.observe(ctx, n));
      name = chosen.name();
      Optional<ObservedIamRole> observed = chosen.found();
      if (observed.isPresent() && AwsOwnership.claim(role, observed.get().tags()).ours()) {
        iam.delete(ctx, observed.get(), name, boundary);
        return new TaskRoleBackend.IamRemoval(observed.get().arn(), null);
      }
      return new TaskRoleBackend.IamRemoval(null, null);
    } catch (SdkException
        | ClusterAwsContexts.InvalidAwsContext
        | IamRoleBackend.BoundaryRequired e) {
      String reason =
          e instanceof ClusterAwsContexts.InvalidAwsContext invalid
              ? invalid.reason()
              : e instanceof IamRoleBackend.BoundaryRequired
                  ? TaskRoleValidator.PERMISSIONS_BOUNDARY_REQUIRED
                  : AwsErrors.reasonOf(e).name();
      String message = e instanceof SdkException ? AwsErrors.messageOf(e) : e.getMessage();
      return new TaskRoleBackend.IamRemoval(
          null, new Problem("spec", reason, "deleting IAM role " + name + ": " + message));
    }
  }
}
