package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;

/**
 * What a Service should run now.
 *
 * @param revision the TaskDefinition revision to run
 * @param task that revision's canonical spec
 * @param taskDefinitionName the TaskDefinition resource
 * @param serviceAccountName the ServiceAccount of the task role, or null
 */
public record ServicePlan(
    int revision, TaskDefinitionSpec task, String taskDefinitionName, String serviceAccountName) {}
