package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TenancyCeiling;
import dev.tidewater.model.TrustPolicies;
import dev.tidewater.model.ValidationContext;
import java.util.List;
import java.util.Optional;

/**
 * What a TaskRole's tasks run as on one backend: the identity they carry (kubernetes: a
 * ServiceAccount; ecs: none of their own) and the IAM role they assume, trusted for that identity.
 * The reconciler decides (validation, refusals, drift passes, conditions); the backend reads and
 * writes, and reports AWS failures as {@link Problem}s, never as SDK exceptions.
 */
public interface TaskRoleBackend {

  /**
   * What a TaskRole reconcile hands its backend.
   *
   * @param role the TaskRole: what is asked for and the owner of what is made
   * @param cluster its resolved Cluster
   * @param ceiling its namespace's tenancy ceiling
   * @param serviceAccountName the ServiceAccount its tasks run as (kubernetes)
   * @param owned its children as the controller's informers cache them
   */
  record Input(
      TaskRole role,
      ResolvedCluster cluster,
      TenancyCeiling ceiling,
      String serviceAccountName,
      InformerCaches owned) {

    public String namespace() {
      return role.getMetadata().getNamespace();
    }
  }

  /**
   * Whether the TaskRole may have the identity its tasks run as.
   *
   * @param adopted the identity exists, is not the TaskRole's, and {@code adopt: true} lets it use
   *     it without owning it
   * @param refusal why it may not (nothing is made then), else null
   */
  record IdentityClaim(boolean adopted, Problem refusal) {

    /** Nothing in the way. */
    public static final IdentityClaim NONE = new IdentityClaim(false, null);

    public boolean allowed() {
      return refusal == null;
    }
  }

  /**
   * The AWS context an IAM role lives in, or why there is none.
   *
   * @param context the Cluster's AWS context (null when {@code problem} is set)
   * @param problem why the context cannot be used, else null
   */
  record IamTarget(AwsContext context, Problem problem) {}

  /**
   * The IAM role asked for.
   *
   * @param guardrails what the Cluster and the ceiling enforce (boundary, path, managed policies)
   * @param principals who the role trusts
   * @param warnings warnings already found, kept with whatever the backend adds
   * @param beforeCreate run before the first call that may create something in AWS (the finalizer)
   */
  record IamRequest(
      ValidationContext guardrails,
      List<TrustPolicies.Principal> principals,
      List<StatusWarning> warnings,
      Runnable beforeCreate) {}

  /**
   * The IAM side after a converge.
   *
   * @param roleArn the role's ARN (the last known one when the call failed), or null
   * @param associationId the Pod Identity association, or null
   * @param warnings what could not be honoured exactly
   * @param failure why it could not converge (NameConflict, an AWS error reason), else null
   * @param events what changed, as Normal Events (path unused)
   */
  record IamState(
      String roleArn,
      String associationId,
      List<StatusWarning> warnings,
      Problem failure,
      List<Problem> events) {}

  /**
   * The IAM side of a TaskRole being deleted.
   *
   * @param deletedArn the role deleted, or null when there was none of ours
   * @param failure why it could not be deleted yet (the message names the role), else null
   */
  record IamRemoval(String deletedArn, Problem failure) {}

  /** Whether the TaskRole gets an IAM role on this backend (ecs: always; kubernetes: with AWS). */
  boolean wantsIamRole(ResolvedCluster cluster);

  /** Who the IAM role trusts on this backend, empty when the Cluster calls for none. */
  List<TrustPolicies.Principal> principals(Input input);

  /** Whether the TaskRole may have its tasks' identity; checked before any IAM call. */
  IdentityClaim claimIdentity(Input input);

  /**
   * Where the IAM role lives: the Cluster's AWS context, or why it cannot be used (its field,
   * reason and message). Built once per reconcile (it may read a credentials Secret) and handed
   * back to {@link #convergeIam}.
   */
  IamTarget iamTarget(Input input);

  /**
   * Finds, creates or corrects the IAM role (and its Pod Identity association) in {@code target}.
   */
  IamState convergeIam(Input input, IamTarget target, IamRequest request);

  /**
   * Applies the identity the tasks run as, annotated with {@code irsaRoleArn} when IRSA hands them
   * the role; returns its name, or null when the backend has none.
   */
  String applyIdentity(Input input, IdentityClaim claim, String irsaRoleArn);

  /** Deletes the IAM role (and association) of a TaskRole being deleted, if ours. */
  IamRemoval removeIam(Input input, Optional<String> boundary);

  /**
   * Lets go of what the backend may have set on an identity the TaskRole used without owning it;
   * called on every backend when the TaskRole goes (its Cluster may have switched since).
   */
  default void releaseIdentity(Input input) {}
}
