package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.model.IamRoleChange.AttachRolePolicy;
import dev.tidewater.model.IamRoleChange.CreateRole;
import dev.tidewater.model.IamRoleChange.DeleteRolePolicy;
import dev.tidewater.model.IamRoleChange.DetachRolePolicy;
import dev.tidewater.model.IamRoleChange.PutRolePermissionsBoundary;
import dev.tidewater.model.IamRoleChange.PutRolePolicy;
import dev.tidewater.model.IamRoleChange.TagRole;
import dev.tidewater.model.IamRoleChange.UntagRole;
import dev.tidewater.model.IamRoleChange.UpdateAssumeRolePolicy;
import dev.tidewater.model.IamRoleChange.UpdateRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Diffs a desired IAM role against the observed one into the IAM write calls that converge it, and
 * nothing else: an unchanged role plans no call (policy documents are compared by meaning, see
 * {@link PolicyDocuments}).
 *
 * <p>Order: tags first (an adopted role is marked ours before anything else changes it), then the
 * trust policy, role settings, boundary, inline policies and managed policies, additions before
 * removals so permissions never dip while a policy moves from one form to another.
 */
public final class IamRolePlanner {

  /** What to call, and what cannot be converged in place. */
  public record Plan(List<IamRoleChange> changes, List<StatusWarning> warnings) {

    public boolean isEmpty() {
      return changes.isEmpty();
    }
  }

  /** A role path cannot change once the role exists. */
  public static final String ROLE_PATH_IMMUTABLE = "RolePathImmutable";

  private IamRolePlanner() {}

  public static Plan plan(DesiredIamRole desired, Optional<ObservedIamRole> observed) {
    if (observed.isEmpty()) {
      List<IamRoleChange> changes = new ArrayList<>();
      changes.add(new CreateRole(desired));
      desired.inlinePolicies().forEach((name, doc) -> changes.add(new PutRolePolicy(name, doc)));
      desired.managedPolicyArns().forEach(arn -> changes.add(new AttachRolePolicy(arn)));
      return new Plan(List.copyOf(changes), List.of());
    }
    ObservedIamRole actual = observed.get();
    List<IamRoleChange> changes = new ArrayList<>();
    List<StatusWarning> warnings = new ArrayList<>();

    Map<String, String> toTag = new TreeMap<>();
    desired
        .tags()
        .forEach(
            (k, v) -> {
              if (!v.equals(actual.tags().get(k))) toTag.put(k, v);
            });
    if (!toTag.isEmpty()) changes.add(new TagRole(toTag));
    var toUntag = new TreeSet<String>();
    actual.tags().keySet().stream()
        // aws: tags belong to AWS and cannot be removed
        .filter(k -> !desired.tags().containsKey(k) && !k.startsWith("aws:"))
        .forEach(toUntag::add);
    if (!toUntag.isEmpty()) changes.add(new UntagRole(toUntag));

    if (!PolicyDocuments.equivalent(desired.trustPolicy(), actual.trustPolicy())) {
      changes.add(new UpdateAssumeRolePolicy(desired.trustPolicy()));
    }
    if (!desired.description().equals(actual.description())
        || desired.maxSessionDuration() != actual.maxSessionDuration()) {
      changes.add(new UpdateRole(desired.description(), desired.maxSessionDuration()));
    }
    // never removed (the operator may not, see deploy/iam-policy.json), only set or replaced;
    // before the policy changes below, which IAM allows only on a bounded role
    if (desired.permissionsBoundary().isPresent()
        && !desired.permissionsBoundary().equals(actual.permissionsBoundary())) {
      changes.add(new PutRolePermissionsBoundary(desired.permissionsBoundary().get()));
    }

    desired
        .inlinePolicies()
        .forEach(
            (name, doc) -> {
              var current = actual.inlinePolicies().get(name);
              if (current == null || !PolicyDocuments.equivalent(doc, current)) {
                changes.add(new PutRolePolicy(name, doc));
              }
            });
    new TreeSet<>(actual.inlinePolicies().keySet())
        .stream()
            .filter(name -> !desired.inlinePolicies().containsKey(name))
            .forEach(name -> changes.add(new DeleteRolePolicy(name)));

    desired.managedPolicyArns().stream()
        .filter(arn -> !actual.managedPolicyArns().contains(arn))
        .forEach(arn -> changes.add(new AttachRolePolicy(arn)));
    new TreeSet<>(actual.managedPolicyArns())
        .stream()
            .filter(arn -> !desired.managedPolicyArns().contains(arn))
            .forEach(arn -> changes.add(new DetachRolePolicy(arn)));

    if (!desired.path().equals(actual.path())) {
      warnings.add(
          new StatusWarning(
              "spec",
              ROLE_PATH_IMMUTABLE,
              "IAM role "
                  + desired.name()
                  + " has path "
                  + actual.path()
                  + ", the Cluster's guardrails.rolePath asks for "
                  + desired.path()
                  + "; IAM cannot move a role: delete and re-create the TaskRole to move it"));
    }
    return new Plan(List.copyOf(changes), List.copyOf(warnings));
  }
}
