package dev.tidewater.api.v1alpha1.tenancy;

import dev.tidewater.api.v1alpha1.schema.KindDescription;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The ceiling a platform team sets for the namespaces it names: what their Clusters and workloads
 * may ask for at most. Cluster-scoped, so a namespace's own team cannot write it; a namespaced
 * Cluster can only tighten it.
 */
@KindDescription(
    value =
        "The ceiling for the namespaces it names: guardrails, AWS endpoints, accounts and roles, ECS clusters, listeners and load balancers, secret stores, adoption. Cluster-scoped; a namespace's Cluster can only tighten it. Where several policies name a namespace, each must allow what it asks for.",
    spec =
        "The namespaces governed and, for them, the most they may ask for. An absent list is explained on each field.",
    status = "Not used.")
@Group("ecs.tidewater.dev")
@Version("v1alpha1")
@ShortNames("tenancypolicy")
public class TenancyPolicy extends CustomResource<TenancyPolicySpec, Void> {}
