package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.util.List;

/** Reports which backend a {@link Cluster} selects; the backends read its settings. */
@ControllerConfiguration(name = "cluster")
public class ClusterReconciler implements Reconciler<Cluster> {

  private final StatusConditions conditions = new StatusConditions(Clock.systemUTC());

  @Override
  public UpdateControl<Cluster> reconcile(Cluster cluster, Context<Cluster> context) {
    String backend =
        cluster.getSpec() == null || cluster.getSpec().backend == null
            ? "kubernetes"
            : cluster.getSpec().backend;
    ClusterStatus status = cluster.getStatus() == null ? new ClusterStatus() : cluster.getStatus();
    boolean backendChanged = !backend.equals(status.backend);
    status.backend = backend;
    boolean conditionsChanged =
        conditions.apply(
            status,
            cluster.getMetadata().getGeneration(),
            List.of(
                StatusConditions.condition(
                    StatusConditions.READY,
                    true,
                    "BackendSelected",
                    "workloads of this cluster run on the " + backend + " backend"),
                StatusConditions.condition(
                    StatusConditions.PROGRESSING, false, "Idle", "nothing in progress"),
                StatusConditions.condition(
                    StatusConditions.DEGRADED, false, "Healthy", "no problem found")),
            List.of());
    if (!backendChanged && !conditionsChanged) {
      return UpdateControl.noUpdate();
    }
    cluster.setStatus(status);
    return UpdateControl.patchStatus(cluster);
  }
}
