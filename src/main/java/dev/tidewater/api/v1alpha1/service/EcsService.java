package dev.tidewater.api.v1alpha1.service;

import dev.tidewater.api.v1alpha1.schema.KindDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An ECS service (kind {@code Service}; {@code kubectl get ecssvc}): N copies of a task definition
 * revision, kept running and rolled out.
 */
@KindDescription(
    value =
        "An ECS service (the fields of CreateService): N copies of a TaskDefinition revision, kept running and rolled out; a Deployment or DaemonSet on the kubernetes backend, an ECS service on the ecs backend. kubectl resolves \"service\" to the core Service: name this kind ecssvc or service.ecs.tidewater.dev.",
    spec =
        "What to run and how: the TaskDefinition (and optional revision), desiredCount or autoscaling, scheduling strategy, launch type or capacity providers, deployment configuration, placement and network configuration.",
    status =
        "Desired, running and pending task counts, the revision run and the rollout state, rolled-back revisions, conditions and warnings.")
@Group("ecs.tidewater.dev")
@Version("v1alpha1")
@Kind("Service")
@ShortNames("ecssvc")
@Categories("ecs")
@AdditionalPrinterColumn(
    name = "Desired",
    jsonPath = ".status.desiredCount",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Running",
    jsonPath = ".status.runningCount",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Pending",
    jsonPath = ".status.pendingCount",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Revision",
    jsonPath = ".status.revision",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Rollout",
    jsonPath = ".status.rolloutState",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Backend",
    jsonPath = ".status.backend",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Migration",
    jsonPath = ".status.migration.phase",
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
public class EcsService extends CustomResource<EcsServiceSpec, EcsServiceStatus>
    implements Namespaced {}
