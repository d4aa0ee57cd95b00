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
 * @param createAllowed false when the revision may keep running but not be deployed anew (a
 *     guardrail tightened since it was registered): a backend whose service is gone refuses to
 *     create it again instead
 * @param taskIdentity what identifies {@code task}'s content where the backend knows it
 *     (kubernetes: the ControllerRevision's uid and resourceVersion), so that equal identities mean
 *     equal tasks; null when unknown (a plan made by {@code render} or a test)
 */
public record ServicePlan(
    int revision,
    TaskDefinitionSpec task,
    String taskDefinitionName,
    String serviceAccountName,
    String taskDefinitionArn,
    boolean createAllowed,
    String taskIdentity) {

  /** A plan of a task without a known identity. */
  public ServicePlan(
      int revision,
      TaskDefinitionSpec task,
      String taskDefinitionName,
      String serviceAccountName,
      String taskDefinitionArn,
      boolean createAllowed) {
    this(
        revision,
        task,
        taskDefinitionName,
        serviceAccountName,
        taskDefinitionArn,
        createAllowed,
        null);
  }

  /** A plan whose revision may be deployed anew. */
  public ServicePlan(
      int revision,
      TaskDefinitionSpec task,
      String taskDefinitionName,
      String serviceAccountName,
      String taskDefinitionArn) {
    this(revision, task, taskDefinitionName, serviceAccountName, taskDefinitionArn, true);
  }

  /** This plan, its revision kept where it runs but never deployed anew. */
  public ServicePlan keepingOnly() {
    return new ServicePlan(
        revision,
        task,
        taskDefinitionName,
        serviceAccountName,
        taskDefinitionArn,
        false,
        taskIdentity);
  }

  /** A kubernetes plan: the revision's spec and ServiceAccount. */
  public ServicePlan(
      int revision, TaskDefinitionSpec task, String taskDefinitionName, String serviceAccountName) {
    this(revision, task, taskDefinitionName, serviceAccountName, null);
  }
}
