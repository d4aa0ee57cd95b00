package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.service.EcsService;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Runs Services on one backend: applies a plan (only what differs) and reports what runs. A backend
 * that reads remote state in batches (ECS: ten services per DescribeServices) caches the batch per
 * resync and serves each Service from it.
 */
public interface ServiceBackend {

  ServiceObservation apply(
      EcsService service, ResolvedCluster cluster, ServicePlan plan, Context<EcsService> context);
}
