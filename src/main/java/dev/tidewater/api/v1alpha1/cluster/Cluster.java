package dev.tidewater.api.v1alpha1.cluster;

import dev.tidewater.api.v1alpha1.schema.KindDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Where workloads run: the backend (kubernetes or ecs) and its settings. */
@KindDescription(
    value =
        "Where workloads run: the backend (kubernetes or ecs) and its settings. A resource without spec.clusterRef uses the Cluster named default in its namespace, else the kubernetes backend with default settings.",
    spec =
        "The backend and its settings: AWS context, ECS or EKS cluster, routing mode for LoadBalancerRoutes, node placement per launch type, StorageClasses of managed EBS volumes, guardrails.",
    status =
        "The backend in effect, the ECS cluster ARN (ecs backend), and the Ready / Progressing / Degraded conditions.")
@Group("ecs.tidewater.dev")
@Version("v1alpha1")
@ShortNames("ecscluster")
@Categories("ecs")
@AdditionalPrinterColumn(
    name = "Backend",
    jsonPath = ".status.backend",
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
public class Cluster extends CustomResource<ClusterSpec, ClusterStatus> implements Namespaced {}
