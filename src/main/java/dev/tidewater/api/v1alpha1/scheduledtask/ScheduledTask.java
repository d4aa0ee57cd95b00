package dev.tidewater.api.v1alpha1.scheduledtask;

import dev.tidewater.api.v1alpha1.schema.KindDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A task run on an EventBridge Scheduler schedule: a CronJob on the kubernetes backend, an
 * EventBridge Scheduler schedule targeting the ECS cluster on the ecs backend.
 */
@KindDescription(
    value =
        "A task run on a schedule, in EventBridge Scheduler's terms (cron, rate or at expression, time zone, start and end dates, paused): a CronJob whose Jobs run the task on the kubernetes backend, an EventBridge Scheduler schedule that calls RunTask on the ecs backend. Overlapping runs are allowed, as on ECS.",
    spec =
        "The schedule (expression, time zone, start / end date, paused), the task each run starts (the RunTask fields of a Task), the role EventBridge Scheduler assumes (ecs), how many finished runs to keep, the Cluster and a deletion policy.",
    status =
        "The schedule on its backend (CronJob and the schedule it became, or the EventBridge schedule ARN and its state), the state (Active, Paused, Pending, Ended, Completed), the last and next run, the last run's result and tasks in a Task's words, the recent finished runs.")
@Group("ecs.tidewater.dev")
@Version("v1alpha1")
@ShortNames("schedtask")
@Categories("ecs")
@AdditionalPrinterColumn(
    name = "Schedule",
    jsonPath = ".spec.scheduleExpression",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "State",
    jsonPath = ".status.state",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Last run",
    jsonPath = ".status.lastRunTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Last result",
    jsonPath = ".status.lastRunResult",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Next run",
    jsonPath = ".status.nextRunTime",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ScheduledTask extends CustomResource<ScheduledTaskSpec, ScheduledTaskStatus>
    implements Namespaced {}
