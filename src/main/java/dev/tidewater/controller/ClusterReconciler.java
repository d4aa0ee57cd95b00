package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.ClusterStatus;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.aws.AwsErrors;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.BackendKind;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.aws.ClusterAwsContexts;
import dev.tidewater.backend.ecs.EcsClusterBackend;
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
import software.amazon.awssdk.core.exception.SdkException;

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
public class ClusterReconciler implements Reconciler<Cluster> {

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
    ClusterSpec spec = cluster.getSpec() == null ? new ClusterSpec() : cluster.getSpec();
    ResolvedCluster resolved = new ResolvedCluster(cluster.getMetadata().getName(), spec, false);
    ClusterStatus next = new ClusterStatus();
    next.backend = resolved.backend().name().toLowerCase();
    Outcome outcome;
    boolean failed = false;
    String namespace = cluster.getMetadata().getNamespace();
    List<Problem> refused =
        tenancy
            .ceilingFor(namespace)
            .refusalsOf(spec, EcsClusterBackend.governedClusterName(cluster));
    if (!refused.isEmpty()) {
      // nothing is asked of AWS for a Cluster beyond its ceiling; a policy change re-reconciles it
      outcome = Outcome.degraded(TenancyCeiling.EXCEEDS, Problems.summary(refused));
      if (cluster.getStatus() != null) next.clusterArn = cluster.getStatus().clusterArn;
    } else if (resolved.backend() != BackendKind.ECS) {
      outcome =
          Outcome.ready(
              "BackendSelected",
              "workloads of this cluster run on the " + next.backend + " backend");
    } else {
      try {
        AwsContext aws =
            backends
                .awsContexts()
                .resolve(resolved, cluster.getMetadata().getNamespace(), context.getClient());
        EcsClusterBackend.EcsCluster ecs = backends.ecsClusters().ensure(cluster, aws);
        next.clusterArn = ecs.arn();
        if (ecs.created()) {
          new EventRecorder(context.getClient())
              .normal(cluster, "EcsClusterCreated", "created ECS cluster " + ecs.arn());
        }
        outcome =
            Outcome.ready(
                "EcsClusterReady",
                "workloads of this cluster run on ECS cluster "
                    + ecs.name()
                    + " in "
                    + aws.region());
      } catch (ClusterAwsContexts.InvalidAwsContext e) {
        outcome = Outcome.degraded(e.reason(), e.getMessage());
        failed = true;
      } catch (BackendFailure e) {
        outcome = Outcome.degraded(e.reason(), e.getMessage());
        failed = true;
      } catch (SdkException e) {
        outcome = Outcome.degraded(AwsErrors.reasonOf(e).name(), AwsErrors.messageOf(e));
        failed = true;
      }
      if (failed && cluster.getStatus() != null) {
        // a failed look keeps the ARN last seen: the failure may be passing (throttling)
        next.clusterArn = cluster.getStatus().clusterArn;
      }
    }
    if (outcome.newlyDegraded(cluster.getStatus())) {
      new EventRecorder(context.getClient()).warning(cluster, outcome.reason(), outcome.message());
    }
    metrics.reconciled("Cluster", outcome);
    UpdateControl<Cluster> update = status.record(cluster, next, outcome, List.of());
    return failed ? update.rescheduleAfter(FAILURE_RETRY) : update;
  }

  @Override
  public ErrorStatusUpdateControl<Cluster> updateErrorStatus(
      Cluster cluster, Context<Cluster> context, Exception e) {
    return status.recordError(cluster, ClusterStatus::new, e, context.getRetryInfo());
  }
}
