package dev.tidewater.backend.kubernetes.children;

import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.backend.kubernetes.OwnerReferences;
import dev.tidewater.controller.TidewaterLabels;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;

/** The ServiceAccount a TaskRole's tasks run as (pure). */
public final class TaskRoleServiceAccount {

  /** The ServiceAccount annotation that hands IRSA's role to the pods. */
  public static final String ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";

  private TaskRoleServiceAccount() {}

  /**
   * The ServiceAccount {@code name} of {@code role}, annotated with the IAM role for IRSA when
   * {@code irsaRoleArn} is given (render has none: the ARN holds the account AWS assigns), with a
   * controller reference once the TaskRole has a uid.
   */
  public static ServiceAccount desired(TaskRole role, String name, String irsaRoleArn) {
    var builder =
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(role.getMetadata().getNamespace())
            .addToLabels(TidewaterLabels.MANAGED_BY, TidewaterLabels.MANAGED_BY_VALUE)
            .endMetadata();
    if (role.getMetadata().getUid() != null) {
      builder.editMetadata().addToOwnerReferences(OwnerReferences.controlledBy(role)).endMetadata();
    }
    if (irsaRoleArn != null) {
      builder.editMetadata().addToAnnotations(ROLE_ARN_ANNOTATION, irsaRoleArn).endMetadata();
    }
    return builder.build();
  }
}
