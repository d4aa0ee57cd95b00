/**
 * Sketch for issue 20 (not yet a kind): the spec and status of {@code Task} (short name {@code
 * ecstask}), a one-off run of a task definition in the shape of ECS RunTask — a Job on the
 * kubernetes backend, RunTask / StopTask on the ecs backend. The root class ({@code Task extends
 * CustomResource<TaskSpec, TaskStatus>}) comes with its controller, so that no CRD is installed for
 * a kind nothing reconciles; docs/scheduled-tasks.md lists the open questions.
 */
package dev.tidewater.api.v1alpha1.task;
