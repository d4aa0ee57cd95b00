package dev.tidewater.api.v1alpha1.loadbalancerroute;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Listener rules with explicit priorities forwarding to a Service's container port. */
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
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class LoadBalancerRoute
    extends CustomResource<LoadBalancerRouteSpec, LoadBalancerRouteStatus> implements Namespaced {}
