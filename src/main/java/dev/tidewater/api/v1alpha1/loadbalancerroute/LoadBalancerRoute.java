package dev.tidewater.api.v1alpha1.loadbalancerroute;

import dev.tidewater.api.v1alpha1.schema.KindDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Listener rules with explicit priorities forwarding to a Service's container port. */
@KindDescription(
    value =
        "Listener rules with explicit priorities (host, path, header, method and source-IP conditions) forwarding to a Service's container port: Ingresses, an HTTPRoute or ELBv2 rules and a target group, depending on the backend and the Cluster's routing mode.",
    spec =
        "The load balancer and listener, the ordered rules, the target Service and container port, the target health check and the deletion policy.",
    status =
        "Per rule its planned priority (and group order or rule ARN), the target group and listener ARNs (aws mode and ecs), the address, conditions and warnings.")
@Group("ecs.tidewater.dev")
@Version("v1alpha1")
@ShortNames("lbroute")
@Categories("ecs")
@AdditionalPrinterColumn(
    name = "LoadBalancer",
    jsonPath = ".spec.loadBalancer.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Service",
    jsonPath = ".spec.target.serviceRef.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Port",
    jsonPath = ".spec.target.containerPort",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Address",
    jsonPath = ".status.address",
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
public class LoadBalancerRoute
    extends CustomResource<LoadBalancerRouteSpec, LoadBalancerRouteStatus> implements Namespaced {}
