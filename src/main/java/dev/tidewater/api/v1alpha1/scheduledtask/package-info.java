/**
 * Sketch for issue 20 (not yet a kind): the spec and status of {@code ScheduledTask} (short name
 * {@code schedtask}), a task run on an EventBridge Scheduler schedule — a CronJob on the kubernetes
 * backend ({@link dev.tidewater.model.CronJobScheduleTranslator}), an EventBridge Scheduler
 * schedule on the ecs backend. The root class comes with its controller; docs/scheduled-tasks.md
 * lists the open questions.
 */
package dev.tidewater.api.v1alpha1.scheduledtask;
