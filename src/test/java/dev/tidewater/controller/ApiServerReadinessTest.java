package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class ApiServerReadinessTest {

  private static HealthCheckResponse.Status status(ApiServerReadiness check) {
    return check.call().getStatus();
  }

  @Test
  void anAnsweringApiServerIsUp() {
    assertThat(status(new ApiServerReadiness(() -> "ok"))).isEqualTo(HealthCheckResponse.Status.UP);
  }

  @Test
  void anyHttpAnswerBelow500MeansReachable() {
    var forbidden =
        new ApiServerReadiness(
            () -> {
              throw new KubernetesClientException("forbidden", 403, null);
            });
    assertThat(status(forbidden)).isEqualTo(HealthCheckResponse.Status.UP);
  }

  @Test
  void aConnectionFailureOrA5xxIsDown() {
    var refused =
        new ApiServerReadiness(
            () -> {
              throw new KubernetesClientException("Connection refused");
            });
    var etcdDown =
        new ApiServerReadiness(
            () -> {
              throw new KubernetesClientException("etcdserver: request timed out", 500, null);
            });

    assertThat(status(refused)).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(refused.call().getData().orElseThrow()).containsEntry("error", "Connection refused");
    assertThat(status(etcdDown)).isEqualTo(HealthCheckResponse.Status.DOWN);
  }

  @Test
  void probesInQuickSuccessionReadOnce() {
    AtomicInteger reads = new AtomicInteger();
    var check =
        new ApiServerReadiness(
            () -> {
              reads.incrementAndGet();
              return "ok";
            });

    check.call();
    check.call();
    check.call();

    assertThat(reads).hasValue(1);
  }
}
