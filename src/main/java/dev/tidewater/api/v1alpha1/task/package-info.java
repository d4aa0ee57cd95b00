/**
 * The {@code Task} kind (short name {@code ecstask}): a one-off run of a task definition in the
 * shape of ECS RunTask — a Job on the kubernetes backend, RunTask / StopTask on the ecs backend
 * (docs/tasks.md). {@link dev.tidewater.api.v1alpha1.task.TaskTemplate} is shared with the
 * ScheduledTask sketch.
 */
package dev.tidewater.api.v1alpha1.task;
