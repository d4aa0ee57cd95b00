package dev.tidewater.backend.kubernetes;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.model.AwsNames;

/** The ECS family of a TaskDefinition: its own, or derived from namespace and name. */
public final class FamilyNames {

  private FamilyNames() {}

  public static String of(TaskDefinition td) {
    return td.getSpec().family != null
        ? td.getSpec().family
        : AwsNames.of(
            AwsNames.Kind.TASK_FAMILY, td.getMetadata().getNamespace(), td.getMetadata().getName());
  }
}
