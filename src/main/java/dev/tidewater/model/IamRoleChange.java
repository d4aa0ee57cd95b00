package dev.tidewater.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/** One IAM write call that brings a role closer to its {@link DesiredIamRole}. */
public sealed interface IamRoleChange {

  /** The IAM API this change calls, e.g. {@code CreateRole}. */
  default String api() {
    return getClass().getSimpleName();
  }

  /** CreateRole with path, description, session duration, trust, boundary and tags at once. */
  record CreateRole(DesiredIamRole role) implements IamRoleChange {}

  /** UpdateRole: description and maximum session duration. */
  record UpdateRole(String description, int maxSessionDuration) implements IamRoleChange {}

  /** UpdateAssumeRolePolicy: the trust policy. */
  record UpdateAssumeRolePolicy(JsonNode document) implements IamRoleChange {}

  /**
   * PutRolePermissionsBoundary: a boundary set or replaced. There is no removal: the operator's IAM
   * policy does not allow DeleteRolePermissionsBoundary, so a role keeps a boundary once it has
   * one.
   */
  record PutRolePermissionsBoundary(String arn) implements IamRoleChange {}

  /** TagRole: tags added or with another value. */
  record TagRole(Map<String, String> tags) implements IamRoleChange {}

  /** UntagRole: tags no longer wanted. */
  record UntagRole(Set<String> keys) implements IamRoleChange {}

  /** PutRolePolicy: an inline policy added or changed. */
  record PutRolePolicy(String name, JsonNode document) implements IamRoleChange {}

  /** DeleteRolePolicy: an inline policy no longer in the spec. */
  record DeleteRolePolicy(String name) implements IamRoleChange {}

  /** AttachRolePolicy: a managed policy added. */
  record AttachRolePolicy(String arn) implements IamRoleChange {}

  /** DetachRolePolicy: a managed policy no longer in the spec. */
  record DetachRolePolicy(String arn) implements IamRoleChange {}
}
