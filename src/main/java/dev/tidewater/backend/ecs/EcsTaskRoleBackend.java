package dev.tidewater.backend.ecs;

import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.TaskRoleBackend;
import dev.tidewater.backend.aws.TaskRoleIam;
import dev.tidewater.model.TrustPolicies;
import java.util.List;
import java.util.Optional;

/**
 * A TaskRole on the ecs backend: an IAM role trusted by {@code ecs-tasks.amazonaws.com} (plus the
 * Cluster's EKS identity mode, so the same role also serves pods), and no ServiceAccount.
 */
public final class EcsTaskRoleBackend implements TaskRoleBackend {

  private final TaskRoleIam iam;

  public EcsTaskRoleBackend(TaskRoleIam iam) {
    this.iam = iam;
  }

  @Override
  public boolean wantsIamRole(ResolvedCluster cluster) {
    return true;
  }

  @Override
  public List<TrustPolicies.Principal> principals(Input input) {
    return TrustPolicies.principals(
        input.cluster().spec(), true, input.namespace(), input.serviceAccountName());
  }

  @Override
  public IdentityClaim claimIdentity(Input input) {
    return IdentityClaim.NONE;
  }

  @Override
  public IamTarget iamTarget(Input input) {
    return iam.target(input);
  }

  @Override
  public IamState convergeIam(Input input, IamTarget target, IamRequest request) {
    return iam.converge(input, target, request);
  }

  @Override
  public String applyIdentity(Input input, IdentityClaim claim, String irsaRoleArn) {
    return null;
  }

  @Override
  public IamRemoval removeIam(Input input, Optional<String> boundary) {
    return iam.remove(input, boundary);
  }
}
