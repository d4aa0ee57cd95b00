package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;

/**
 * What a Service should run now.
 *
 * @param revision the TaskDefinition revision to run
 * @param task that revision's spec in normal form (kubernetes; null on ecs, where the registered
 *     task definition holds it)
 * @param taskDefinitionName the TaskDefinition resource
 * @param serviceAccountName the ServiceAccount of the task role, or null
 * @param taskDefinitionArn ecs: the ARN of the registered revision, else null
 */
public record ServicePlan(
    int revision,
    TaskDefinitionSpec task,
    String taskDefinitionName,
    String serviceAccountName,
    String taskDefinitionArn) {

  /** A kubernetes plan: the revision's spec and ServiceAccount. */
  public ServicePlan(
      int revision, TaskDefinitionSpec task, String taskDefinitionName, String serviceAccountName) {
    this(revision, task, taskDefinitionName, serviceAccountName, null);
  }
}
