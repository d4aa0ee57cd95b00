package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.ClusterStatus;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.BackendKind;
import dev.tidewater.backend.Backends;
import dev.tidewater.backend.ClusterBackend.ClusterState;
import dev.tidewater.backend.fake.FakeClusterBackend;
import dev.tidewater.backend.fake.FakeContext;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TenancyCeiling;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ClusterReconciler's decisions as data, against fake backends for both places: the backend its
 * spec selects is the one asked, a Cluster beyond its ceiling asks none, a failure keeps the ARN
 * last seen and is looked at again.
 */
class ClusterReconcilerDecisionsTest {

  private static final String ARN = "arn:aws:ecs:eu-west-1:123456789012:cluster/shop";

  /**
   * One reconcile.
   *
   * @param inputs changes to the defaults (a kubernetes Cluster without status)
   * @param condition the True condition's type, {@code reason} its reason
   * @param arn {@code status.clusterArn} after it
   * @param backend the backend asked to ensure the Cluster (null: none)
   * @param requeue the requeue asked for, null for none
   * @param events the reasons of the Events recorded, in order
   */
  record Row(
      String name,
      Consumer<Inputs> inputs,
      String condition,
      String reason,
      String arn,
      BackendKind backend,
      Duration requeue,
      List<String> events) {

    @Override
    public String toString() {
      return name;
    }
  }

  static final class Inputs {
    Cluster cluster = cluster();
    FakeClusterBackend kubernetes = new FakeClusterBackend();
    FakeClusterBackend ecs = new FakeClusterBackend();
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row(
            "a kubernetes Cluster asks the kubernetes backend",
            in -> {},
            "Ready",
            "BackendSelected",
            null,
            BackendKind.KUBERNETES,
            null,
            List.of()),
        new Row(
            "an ecs Cluster whose ECS cluster was made reports its ARN and an Event",
            in -> {
              in.cluster.getSpec().backend = "ecs";
              in.ecs.onEnsure(
                  () ->
                      new ClusterState(
                          "EcsClusterReady",
                          "on ECS cluster shop",
                          ARN,
                          List.of(new Problem(null, "EcsClusterCreated", "created " + ARN))));
            },
            "Ready",
            "EcsClusterReady",
            ARN,
            BackendKind.ECS,
            null,
            List.of("EcsClusterCreated")),
        new Row(
            "a failure keeps the ARN last seen, warns once and is looked at again",
            in -> {
              in.cluster.getSpec().backend = "ecs";
              in.cluster.setStatus(new ClusterStatus());
              in.cluster.getStatus().clusterArn = ARN;
              in.ecs.onEnsure(
                  () -> {
                    throw BackendFailure.callFailed("Throttled", "slow down", null);
                  });
            },
            "Degraded",
            "Throttled",
            ARN,
            BackendKind.ECS,
            ClusterReconciler.FAILURE_RETRY,
            List.of("Throttled")),
        new Row(
            "a Cluster beyond its namespace's ceiling asks no backend",
            in -> {
              in.cluster.getSpec().backend = "ecs";
              in.cluster.getSpec().guardrails = new Guardrails();
              in.cluster.getSpec().guardrails.allowPrivileged = true;
            },
            "Degraded",
            TenancyCeiling.EXCEEDS,
            null,
            null,
            null,
            List.of(TenancyCeiling.EXCEEDS)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    Inputs in = new Inputs();
    row.inputs().accept(in);
    List<String> events = new ArrayList<>();
    ClusterReconciler reconciler =
        new ClusterReconciler(
            new ReconcileMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
            new BackendFactory(
                Map.of(
                    BackendKind.KUBERNETES,
                    new Backends(in.kubernetes, null, null, null, null, null, null),
                    BackendKind.ECS,
                    new Backends(in.ecs, null, null, null, null, null, null))),
            new TenancyPolicies() {
              @Override
              public TenancyCeiling ceilingFor(String namespace) {
                return TenancyCeiling.builtIn(namespace);
              }
            }) {
          @Override
          EventRecorder events(Context<Cluster> context) {
            return Recording.into(events);
          }
        };

    UpdateControl<Cluster> update =
        reconciler.converge(in.cluster, FakeContext.of(in.cluster, List.<HasMetadata>of()));

    ClusterStatus status = update.getResource().orElseThrow().getStatus();
    assertThat(
            status.getConditions().stream()
                .filter(c -> "True".equals(c.getStatus()) && c.getType().equals(row.condition()))
                .map(c -> c.getReason()))
        .containsExactly(row.reason());
    assertThat(status.clusterArn).as("clusterArn").isEqualTo(row.arn());
    assertThat(in.kubernetes.ensured())
        .as("kubernetes asked")
        .hasSize(row.backend() == BackendKind.KUBERNETES ? 1 : 0);
    assertThat(in.ecs.ensured()).as("ecs asked").hasSize(row.backend() == BackendKind.ECS ? 1 : 0);
    assertThat(update.getScheduleDelay())
        .as("requeue")
        .isEqualTo(
            row.requeue() == null ? Optional.empty() : Optional.of(row.requeue().toMillis()));
    assertThat(events).as("events").isEqualTo(row.events());
  }

  private static Cluster cluster() {
    Cluster c = new Cluster();
    c.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("default")
            .withUid("u")
            .withGeneration(1L)
            .build());
    c.setSpec(new ClusterSpec());
    return c;
  }
}
