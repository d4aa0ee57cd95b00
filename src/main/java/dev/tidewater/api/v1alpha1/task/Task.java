package dev.tidewater.api.v1alpha1.task;

import dev.tidewater.api.v1alpha1.schema.KindDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A one-off run of a task definition (ECS RunTask): a Job, or tasks started by RunTask. */
@KindDescription(
    value =
        "A one-off run of a TaskDefinition revision (the fields of ECS RunTask: count, overrides, capacity, network, placement): a Job on the kubernetes backend, tasks started by RunTask on the ecs backend. It runs once; ECS never retries a task, and neither does a Task.",
    spec =
        "What to run: the TaskDefinition (and optional revision), count, overrides, launch type or capacity providers, network configuration, placement, startedBy, group, tags, the Cluster, a time to live once finished and a deletion policy.",
    status =
        "Each task in ECS's words (lastStatus, stopCode, stoppedReason, startedAt / stoppedAt, every container's exit code and reason), the counts, the revision run, conditions Succeeded / Failed / Running besides Ready / Progressing / Degraded.")
@Group("ecs.tidewater.dev")
@Version("v1alpha1")
@ShortNames("ecstask")
@Categories("ecs")
@AdditionalPrinterColumn(
    name = "Revision",
    jsonPath = ".status.revision",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Started",
    jsonPath = ".status.started",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Running",
    jsonPath = ".status.running",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Stopped",
    jsonPath = ".status.stopped",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Succeeded",
    jsonPath = ".status.conditions[?(@.type==\"Succeeded\")].status",
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
public class Task extends CustomResource<TaskSpec, TaskStatus> implements Namespaced {}
