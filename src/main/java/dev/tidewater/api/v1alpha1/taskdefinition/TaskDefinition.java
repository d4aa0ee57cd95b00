package dev.tidewater.api.v1alpha1.taskdefinition;

import dev.tidewater.api.v1alpha1.schema.KindDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An ECS task definition: each distinct spec becomes a numbered, immutable revision. */
@KindDescription(
    value =
        "An ECS task definition (the fields of RegisterTaskDefinition). Each distinct spec becomes a numbered, immutable revision: a ControllerRevision on the kubernetes backend, a registered task definition revision on the ecs backend.",
    spec =
        "The task: family, container definitions, task cpu and memory, network mode, volumes, task and execution roles, and how many old revisions to keep.",
    status =
        "The latest revision (number, hash, ARN on ecs), the revisions kept, conditions and warnings for what this backend cannot honour.")
@Group("ecs.tidewater.dev")
@Version("v1alpha1")
@ShortNames({"taskdef", "td"})
@Categories("ecs")
@AdditionalPrinterColumn(
    name = "Family",
    jsonPath = ".status.family",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Revision",
    jsonPath = ".status.revision",
    type = AdditionalPrinterColumn.Type.INTEGER)
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
public class TaskDefinition extends CustomResource<TaskDefinitionSpec, TaskDefinitionStatus>
    implements Namespaced {}
