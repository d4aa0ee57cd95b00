package dev.tidewater.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged operator's {@code /q/metrics} during real work: reconciles by kind and reason,
 * reconcile durations, its API-server writes, and its AWS calls by API (an ecs Cluster creating its
 * ECS cluster in moto).
 */
class MetricsIT {

  private static final TestGround ground = TestGround.get();

  @RegisterExtension
  static final OperatorOnGround onGround = new OperatorOnGround("metrics", Map.of(), List.of());

  private String ns;

  @BeforeEach
  void namespace() {
    ns = onGround.namespace();
  }

  @Test
  void reconcilesDurationsWritesAndAwsCallsAreExposed() {
    double writesBefore =
        onGround
            .operator()
            .counter("tidewater_kubernetes_writes_total", "resource=\"clusters/status\"");
    Resources.apply(
        ground.admin(),
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: ecs
          ecs:
            clusterName: %s-metrics
            create: true
        """
            .formatted(ns),
        ns);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(
                      onGround
                          .operator()
                          .counter(
                              "tidewater_reconciles_total",
                              "kind=\"Cluster\",reason=\"EcsClusterReady\""))
                  .isPositive();
              assertThat(
                      onGround
                          .operator()
                          .counter("tidewater_aws_calls_total", "api=\"Ecs:CreateCluster\""))
                  .isEqualTo(1.0);
              assertThat(
                      onGround
                          .operator()
                          .counter(
                              "tidewater_kubernetes_writes_total", "resource=\"clusters/status\""))
                  .isGreaterThan(writesBefore);
              assertThat(
                      onGround
                          .operator()
                          .counter(
                              "tidewater_reconcile_duration_seconds_count",
                              "controller=\"cluster\",execution=\"reconcile\""))
                  .isPositive();
            });
  }
}
