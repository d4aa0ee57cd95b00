package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.ClusterStatus;
import dev.tidewater.backend.ResolvedCluster;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.util.List;

/** Reports which backend a {@link Cluster} selects; the backends read its settings. */
@ControllerConfiguration(name = "cluster")
public class ClusterReconciler implements Reconciler<Cluster> {

  private final StatusRecorder status = new StatusRecorder(Clock.systemUTC());
  private final ReconcileMetrics metrics;

  public ClusterReconciler(ReconcileMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public UpdateControl<Cluster> reconcile(Cluster cluster, Context<Cluster> context) {
    ClusterSpec spec = cluster.getSpec() == null ? new ClusterSpec() : cluster.getSpec();
    ResolvedCluster resolved = new ResolvedCluster(cluster.getMetadata().getName(), spec, false);
    ClusterStatus next = new ClusterStatus();
    next.backend = resolved.backend().name().toLowerCase();
    Outcome outcome =
        Outcome.ready(
            "BackendSelected", "workloads of this cluster run on the " + next.backend + " backend");
    metrics.reconciled("Cluster", outcome);
    return status.record(cluster, next, outcome, List.of());
  }
}
