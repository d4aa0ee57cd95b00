package dev.tidewater.backend.fake;

import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.TaskRoleBackend;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TrustPolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * An in-memory TaskRole backend for unit tests: whether it wants an IAM role, who the role trusts,
 * what claiming the identity and converging the role answer are the test's script; it records the
 * IAM converges and the identities applied (with the IRSA role ARN each was given). It never runs
 * {@code beforeCreate} (the finalizer needs a live Context).
 */
public final class FakeTaskRoleBackend implements TaskRoleBackend {

  private final String identity;
  private boolean wantsIamRole;
  private List<TrustPolicies.Principal> principals = List.of();
  private IdentityClaim claim = IdentityClaim.NONE;
  private Problem awsContextProblem;
  private Function<IamRequest, IamState> onConverge =
      request ->
          new IamState("arn:aws:iam::123456789012:role/app", null, List.of(), null, List.of());
  private final List<IamRequest> converged = new ArrayList<>();
  private final List<String> applied = new ArrayList<>();
  private IamRemoval removal = new IamRemoval(null, null);
  private int removals;
  private int releases;

  /**
   * @param identity what {@code applyIdentity} names (a ServiceAccount), null when the place has
   *     none
   */
  public FakeTaskRoleBackend(String identity) {
    this.identity = identity;
  }

  public FakeTaskRoleBackend wantingIamRole(TrustPolicies.Principal... principals) {
    this.wantsIamRole = true;
    this.principals = List.of(principals);
    return this;
  }

  public FakeTaskRoleBackend claiming(IdentityClaim claim) {
    this.claim = claim;
    return this;
  }

  public FakeTaskRoleBackend withAwsContextProblem(Problem problem) {
    this.awsContextProblem = problem;
    return this;
  }

  public FakeTaskRoleBackend onConverge(Function<IamRequest, IamState> onConverge) {
    this.onConverge = onConverge;
    return this;
  }

  /** What deleting the IAM role answers. */
  public FakeTaskRoleBackend removing(IamRemoval removal) {
    this.removal = removal;
    return this;
  }

  /** How often it was asked to delete the IAM role. */
  public int removals() {
    return removals;
  }

  /** How often it was asked to let go of an adopted identity. */
  public int releases() {
    return releases;
  }

  /** The IAM converges asked for: what a real backend would have read and written in IAM. */
  public List<IamRequest> converged() {
    return converged;
  }

  /** The IRSA role ARN ("-" for none) of each identity applied. */
  public List<String> applied() {
    return applied;
  }

  @Override
  public boolean wantsIamRole(ResolvedCluster cluster) {
    return wantsIamRole;
  }

  @Override
  public List<TrustPolicies.Principal> principals(Input input) {
    return principals;
  }

  @Override
  public IdentityClaim claimIdentity(Input input) {
    return claim;
  }

  @Override
  public IamTarget iamTarget(Input input) {
    return new IamTarget(null, awsContextProblem);
  }

  @Override
  public IamState convergeIam(Input input, IamTarget target, IamRequest request) {
    converged.add(request);
    return onConverge.apply(request);
  }

  @Override
  public String applyIdentity(Input input, IdentityClaim claim, String irsaRoleArn) {
    applied.add(irsaRoleArn == null ? "-" : irsaRoleArn);
    return identity;
  }

  @Override
  public IamRemoval removeIam(Input input, Optional<String> boundary) {
    removals++;
    return removal;
  }

  @Override
  public void releaseIdentity(Input input) {
    releases++;
  }
}
