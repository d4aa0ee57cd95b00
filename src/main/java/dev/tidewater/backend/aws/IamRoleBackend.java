package dev.tidewater.backend.aws;

import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.model.DesiredIamRole;
import dev.tidewater.model.IamRoleChange;
import dev.tidewater.model.ObservedIamRole;
import dev.tidewater.model.PolicyDocuments;
import dev.tidewater.model.TaskRoleValidator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * IAM I/O for the roles of TaskRoles, shared by both backends: reads a role as an {@link
 * ObservedIamRole}, makes the calls of a plan, and deletes a role with everything attached to it.
 */
public final class IamRoleBackend {

  private final AwsClientFactory clients;

  public IamRoleBackend(AwsClientFactory clients) {
    this.clients = clients;
  }

  /**
   * The role named {@code name} with its inline and attached policies: GetRole, ListRolePolicies,
   * one GetRolePolicy per inline policy and ListAttachedRolePolicies.
   *
   * @return empty when no role has that name
   */
  public Optional<ObservedIamRole> observe(AwsContext ctx, String name) {
    IamClient iam = clients.iam(ctx);
    Role role;
    try {
      role = iam.getRole(r -> r.roleName(name)).role();
    } catch (NoSuchEntityException e) {
      return Optional.empty();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    // GetRole returns the tags; a role without any answers without the element
    List<Tag> roleTags = role.hasTags() ? role.tags() : List.of();
    roleTags.forEach(t -> tags.put(t.key(), t.value()));
    Map<String, com.fasterxml.jackson.databind.JsonNode> inline = new LinkedHashMap<>();
    for (String policy : iam.listRolePoliciesPaginator(r -> r.roleName(name)).policyNames()) {
      String document =
          iam.getRolePolicy(r -> r.roleName(name).policyName(policy)).policyDocument();
      inline.put(policy, PolicyDocuments.parse(document));
    }
    Set<String> managed = new HashSet<>();
    iam.listAttachedRolePoliciesPaginator(r -> r.roleName(name))
        .attachedPolicies()
        .forEach(p -> managed.add(p.policyArn()));
    return Optional.of(
        new ObservedIamRole(
            role.arn(),
            role.path(),
            role.description() == null ? "" : role.description(),
            role.maxSessionDuration() == null
                ? DesiredIamRole.DEFAULT_MAX_SESSION_DURATION
                : role.maxSessionDuration(),
            PolicyDocuments.parse(role.assumeRolePolicyDocument()),
            inline,
            managed,
            Optional.ofNullable(role.permissionsBoundary()).map(b -> b.permissionsBoundaryArn()),
            tags));
  }

  /**
   * Makes the calls of a plan in order.
   *
   * @param existing the role's ARN when it exists (the plan then has no CreateRole)
   * @return the role's ARN
   */
  public String apply(
      AwsContext ctx, String name, List<IamRoleChange> changes, Optional<String> existing) {
    IamClient iam = clients.iam(ctx);
    String arn = existing.orElse(null);
    for (IamRoleChange change : changes) {
      if (change instanceof IamRoleChange.CreateRole c) {
        arn = create(iam, c.role());
      } else if (change instanceof IamRoleChange.UpdateRole u) {
        iam.updateRole(
            r ->
                r.roleName(name)
                    .description(u.description())
                    .maxSessionDuration(u.maxSessionDuration()));
      } else if (change instanceof IamRoleChange.UpdateAssumeRolePolicy u) {
        iam.updateAssumeRolePolicy(
            r -> r.roleName(name).policyDocument(PolicyDocuments.text(u.document())));
      } else if (change instanceof IamRoleChange.PutRolePermissionsBoundary b) {
        iam.putRolePermissionsBoundary(r -> r.roleName(name).permissionsBoundary(b.arn()));
      } else if (change instanceof IamRoleChange.TagRole t) {
        iam.tagRole(r -> r.roleName(name).tags(tags(t.tags())));
      } else if (change instanceof IamRoleChange.UntagRole u) {
        iam.untagRole(r -> r.roleName(name).tagKeys(u.keys()));
      } else if (change instanceof IamRoleChange.PutRolePolicy p) {
        iam.putRolePolicy(
            r ->
                r.roleName(name)
                    .policyName(p.name())
                    .policyDocument(PolicyDocuments.text(p.document())));
      } else if (change instanceof IamRoleChange.DeleteRolePolicy p) {
        iam.deleteRolePolicy(r -> r.roleName(name).policyName(p.name()));
      } else if (change instanceof IamRoleChange.AttachRolePolicy p) {
        iam.attachRolePolicy(r -> r.roleName(name).policyArn(p.arn()));
      } else if (change instanceof IamRoleChange.DetachRolePolicy p) {
        iam.detachRolePolicy(r -> r.roleName(name).policyArn(p.arn()));
      }
    }
    if (arn == null) {
      throw new IllegalStateException("IAM role " + name + " neither exists nor is created");
    }
    return arn;
  }

  private static String create(IamClient iam, DesiredIamRole role) {
    return iam.createRole(
            r -> {
              r.roleName(role.name())
                  .path(role.path())
                  .maxSessionDuration(role.maxSessionDuration())
                  .assumeRolePolicyDocument(PolicyDocuments.text(role.trustPolicy()))
                  .tags(tags(role.tags()));
              if (!role.description().isEmpty()) r.description(role.description());
              role.permissionsBoundary().ifPresent(r::permissionsBoundary);
            })
        .role()
        .arn();
  }

  /** A role cannot be emptied for deletion: it lacks a boundary the operator may write under. */
  public static final class BoundaryRequired extends RuntimeException {
    public BoundaryRequired(String message) {
      super(message);
    }
  }

  /**
   * The boundary to put on {@code role} before its policies can be detached and deleted:
   * deploy/iam-policy.json allows DetachRolePolicy and DeleteRolePolicy only on a role bounded
   * under policy/tidewater/boundaries/, which a role made before Tidewater 0.4 (or under a Cluster
   * without a boundary) is not. Empty when nothing is needed (already bounded there, or no
   * policies).
   *
   * @param boundary the Cluster's enforced boundary, else the TaskRole's
   * @throws BoundaryRequired when one is needed and {@code boundary} is none the policy allows
   */
  public static Optional<String> boundaryForDeletion(
      ObservedIamRole role, Optional<String> boundary) {
    boolean bounded =
        role.permissionsBoundary().filter(TaskRoleValidator::underBoundaryPath).isPresent();
    if (bounded || (role.inlinePolicies().isEmpty() && role.managedPolicyArns().isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(
        boundary
            .filter(TaskRoleValidator::underBoundaryPath)
            .orElseThrow(
                () ->
                    new BoundaryRequired(
                        "IAM role "
                            + role.arn()
                            + " has no permissions boundary under "
                            + TaskRoleValidator.BOUNDARY_PATH
                            + (role.permissionsBoundary().isPresent()
                                ? " (it has " + role.permissionsBoundary().get() + ")"
                                : "")
                            + ", so the operator's IAM policy (deploy/iam-policy.json) does not let"
                            + " it remove the role's policies; set the Cluster's"
                            + " spec.guardrails.permissionsBoundaryArn or the TaskRole's"
                            + " spec.permissionsBoundary to a boundary there (it is put on the"
                            + " role first), or delete the role by hand")));
  }

  /**
   * Deletes the role {@code role} (as observed) and what IAM requires gone first: attached managed
   * policies, inline policies, the permissions boundary stays with the role. A role without a
   * boundary the operator's policy allows gets {@code boundary} first ({@link
   * #boundaryForDeletion}). A role already gone counts as deleted.
   *
   * @throws BoundaryRequired when the role needs a boundary and none is allowed
   */
  public void delete(AwsContext ctx, ObservedIamRole role, String name, Optional<String> boundary) {
    Optional<String> put = boundaryForDeletion(role, boundary);
    IamClient iam = clients.iam(ctx);
    try {
      if (put.isPresent()) {
        iam.putRolePermissionsBoundary(r -> r.roleName(name).permissionsBoundary(put.get()));
      }
      List<String> attached = new ArrayList<>();
      iam.listAttachedRolePoliciesPaginator(r -> r.roleName(name))
          .attachedPolicies()
          .forEach((AttachedPolicy p) -> attached.add(p.policyArn()));
      for (String arn : attached) {
        iam.detachRolePolicy(r -> r.roleName(name).policyArn(arn));
      }
      List<String> inline = new ArrayList<>();
      iam.listRolePoliciesPaginator(r -> r.roleName(name)).policyNames().forEach(inline::add);
      for (String policy : inline) {
        iam.deleteRolePolicy(r -> r.roleName(name).policyName(policy));
      }
      iam.deleteRole(r -> r.roleName(name));
    } catch (NoSuchEntityException alreadyGone) {
      // deleted before (a retried delete after a crash): nothing left to do
    }
  }

  private static List<software.amazon.awssdk.services.iam.model.Tag> tags(Map<String, String> m) {
    List<Tag> tags = new ArrayList<>();
    m.forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
    return tags;
  }
}
