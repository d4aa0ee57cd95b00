package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.ClusterStatus;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ClusterBackend;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TenancyCeiling;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Reports which backend a {@link Cluster} selects; on the ecs backend, finds (or, with {@code
 * create: true}, creates) its ECS cluster and reports the ARN. ECS clusters are never deleted with
 * the Cluster: they may run what other tools put there.
 *
 * <p>A Cluster asking for more than its namespace's tenancy ceiling (guardrails a policy does not
 * allow, an endpoint, role, account, ECS cluster or secret store not granted) is refused here
 * before any AWS call: Degraded with {@link TenancyCeiling#EXCEEDS}, naming the field and the
 * policy.
 */
@ControllerConfiguration(name = "cluster")
public class ClusterReconciler implements Reconciler<Cluster>, ShardNamespaces.Sharded<Cluster> {

  /** How soon a Cluster whose ECS cluster could not be found or made is looked at again. */
  static final Duration FAILURE_RETRY = Duration.ofMinutes(1);

  private final StatusRecorder status = new StatusRecorder(Clock.systemUTC());
  private final ReconcileMetrics metrics;
  private final BackendFactory backends;
  private final TenancyPolicies tenancy;

  public ClusterReconciler(
      ReconcileMetrics metrics, BackendFactory backends, TenancyPolicies tenancy) {
    this.metrics = metrics;
    this.backends = backends;
    this.tenancy = tenancy;
  }

  @Override
  public List<EventSource<?, Cluster>> prepareEventSources(EventSourceContext<Cluster> context) {
    return List.of(tenancy.eventSource(context));
  }

  @Override
  public UpdateControl<Cluster> reconcile(Cluster cluster, Context<Cluster> context) {
    return StatusRecorder.write(context, cluster, converge(cluster, context));
  }

  /** The reconcile but for its status write: the control returned carries the status to write. */
  UpdateControl<Cluster> converge(Cluster cluster, Context<Cluster> context) {
    ClusterSpec spec = cluster.getSpec() == null ? new ClusterSpec() : cluster.getSpec();
    ResolvedCluster resolved = new ResolvedCluster(cluster.getMetadata().getName(), spec, false);
    ClusterStatus next = new ClusterStatus();
    next.setBackend(resolved.backend().value());
    Outcome outcome;
    boolean failed = false;
    String namespace = cluster.getMetadata().getNamespace();
    ClusterBackend backend = backends.clusters(resolved);
    List<Problem> refused =
        tenancy.ceilingFor(namespace).refusalsOf(spec, backend.requestedEcsCluster(cluster));
    if (!refused.isEmpty()) {
      // nothing is asked of AWS for a Cluster beyond its ceiling; a policy change re-reconciles it
      outcome = Outcome.degraded(TenancyCeiling.EXCEEDS, Problems.summary(refused));
      if (cluster.getStatus() != null) next.clusterArn = cluster.getStatus().clusterArn;
    } else {
      try {
        ClusterBackend.ClusterState ready = backend.ensure(cluster, resolved);
        next.clusterArn = ready.clusterArn();
        if (next.clusterArn == null && cluster.getStatus() != null) {
          // a flip away from ecs: migrating Services scale down and remove their ECS services
          // in that cluster, so its ARN stays known
          next.clusterArn = cluster.getStatus().clusterArn;
        }
        EventRecorder events = events(context);
        ready.events().forEach(e -> events.normal(cluster, e.reason(), e.message()));
        outcome = Outcome.ready(ready.reason(), ready.message());
      } catch (BackendFailure e) {
        outcome = Outcome.degraded(e.reason(), e.getMessage());
        failed = true;
      }
      if (failed && cluster.getStatus() != null) {
        // a failed look keeps the ARN last seen: the failure may be passing (throttling)
        next.clusterArn = cluster.getStatus().clusterArn;
      }
    }
    if (outcome.newlyDegraded(cluster.getStatus())) {
      events(context).warning(cluster, outcome.reason(), outcome.message());
    }
    metrics.reconciled("Cluster", outcome);
    UpdateControl<Cluster> update = status.record(cluster, next, outcome, List.of());
    return failed ? update.rescheduleAfter(FAILURE_RETRY) : update;
  }

  /** Where this reconcile's Events go (unit tests record them instead). */
  EventRecorder events(Context<Cluster> context) {
    return new EventRecorder(context.getClient());
  }

  @Override
  public ErrorStatusUpdateControl<Cluster> updateErrorStatus(
      Cluster cluster, Context<Cluster> context, Exception e) {
    return status.recordError(cluster, ClusterStatus::new, e, context.getRetryInfo());
  }
}
