package dev.tidewater.backend.kubernetes;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.model.AwsNames;

/**
 * The family of a TaskDefinition: its own ({@code spec.family}), else one derived from namespace
 * and name (docs/naming.md).
 */
public final class FamilyNames {

  private FamilyNames() {}

  /**
   * The family in the old {@code <namespace>-<name>} scheme: the kubernetes backend's {@code
   * tidewater.dev/family} label (namespaced objects, so it cannot collide across namespaces, and
   * changing it would touch running workloads' selectors), and the ECS family earlier versions
   * registered in.
   */
  public static String of(TaskDefinition td) {
    return td.getSpec().family != null ? td.getSpec().family : legacy(td);
  }

  /** The ECS family a TaskDefinition without revisions yet registers in: unambiguous. */
  public static String ecs(TaskDefinition td) {
    return td.getSpec().family != null
        ? td.getSpec().family
        : AwsNames.unambiguous(
            AwsNames.Kind.TASK_FAMILY, td.getMetadata().getNamespace(), td.getMetadata().getName());
  }

  /** The derived family in the old scheme, which earlier versions registered in. */
  public static String legacy(TaskDefinition td) {
    return AwsNames.of(
        AwsNames.Kind.TASK_FAMILY, td.getMetadata().getNamespace(), td.getMetadata().getName());
  }
}
