package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

  @Test
  void aHangingReadIsDownAndNoSecondReadQueuesBehindIt() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    AtomicReference<String> thread = new AtomicReference<>();
    var check =
        new ApiServerReadiness(
            () -> {
              reads.incrementAndGet();
              thread.set(Thread.currentThread().getName());
              try {
                answer.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return "ok";
            },
            Duration.ofMillis(50),
            Duration.ZERO);

    HealthCheckResponse first = check.call();
    assertThat(first.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(first.getData().orElseThrow()).containsEntry("error", "no answer within 50 ms");
    HealthCheckResponse second = check.call();
    assertThat(second.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(second.getData().orElseThrow().get("error")).asString().contains("previous read");
    // one read, on its own thread, not one of the common ForkJoinPool
    await().atMost(Duration.ofSeconds(10)).until(() -> thread.get() != null);
    assertThat(reads).hasValue(1);
    assertThat(thread.get()).isEqualTo("tidewater-api-server-readiness");

    answer.countDown();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> check.call().getStatus() == HealthCheckResponse.Status.UP);
    assertThat(reads).hasValue(2);
  }
}
