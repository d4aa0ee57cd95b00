/**
 * The {@code ScheduledTask} kind (short name {@code schedtask}): a task run on an EventBridge
 * Scheduler schedule — a CronJob on the kubernetes backend ({@link
 * dev.tidewater.model.CronJobScheduleTranslator}), an EventBridge Scheduler schedule on the ecs
 * backend. docs/scheduled-tasks.md is the user's guide.
 */
package dev.tidewater.api.v1alpha1.scheduledtask;
