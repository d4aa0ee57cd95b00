package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.taskrole.TaskRole;

/**
 * The names a TaskRole's objects get: its ServiceAccount and its IAM role (new and old scheme).
 * Shared by the reconcilers, the backends and the CLI, so {@code render} names what the operator
 * makes.
 */
public final class TaskRoleNames {

  private TaskRoleNames() {}

  /** The ServiceAccount name of a TaskRole: {@code spec.serviceAccountName}, else its own. */
  public static String serviceAccountName(TaskRole role) {
    return role.getSpec() != null && role.getSpec().serviceAccountName != null
        ? role.getSpec().serviceAccountName
        : role.getMetadata().getName();
  }

  /** The IAM role name of a TaskRole in the unambiguous scheme: what a new role gets. */
  public static String iamRoleName(TaskRole role) {
    return AwsNames.unambiguous(
        AwsNames.Kind.IAM_ROLE, role.getMetadata().getNamespace(), role.getMetadata().getName());
  }

  /** The IAM role name of a TaskRole in the old scheme, which earlier versions gave its role. */
  public static String legacyIamRoleName(TaskRole role) {
    return AwsNames.of(
        AwsNames.Kind.IAM_ROLE, role.getMetadata().getNamespace(), role.getMetadata().getName());
  }
}
