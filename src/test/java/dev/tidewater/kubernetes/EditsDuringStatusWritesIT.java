package dev.tidewater.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every edit of a resource is reconciled, also one made while the operator writes the resource's
 * status. The Operator SDK drops the watch events older than the answer to its own status write; an
 * edit that lands while the status is written is under that answer, and was never reconciled before
 * {@code StatusRecorder.write} looked at the answer: a Service whose desiredCount changes while its
 * statuses are written must still end with its last count applied.
 *
 * <p>The race is a matter of milliseconds, so the test makes many chances for it: three Services
 * edited every 20 ms for a few seconds, eight times. Without the fix one run in three failed here
 * (a Service's status stayed a generation behind its last edit) and one in five of ShardingIT's,
 * which met it first; with it, none of twelve.
 */
class EditsDuringStatusWritesIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final List<String> SERVICES = List.of("web-a", "web-b", "web-c");

  @RegisterExtension
  static final OperatorOnGround onGround = new OperatorOnGround("edits", Map.of(), List.of());

  @Test
  void theLastOfManyEditsIsReconciledThoughStatusesAreWrittenMeanwhile() throws Exception {
    String ns = onGround.namespace();
    Resources.apply(admin, Resources.MINIMAL_TASK_DEFINITION, ns);
    SERVICES.forEach(name -> Resources.apply(admin, Resources.service(name, 1), ns));
    for (int round = 0; round < 8; round++) {
      AtomicInteger edits = new AtomicInteger();
      ScheduledExecutorService churner = Executors.newSingleThreadScheduledExecutor();
      churner.scheduleWithFixedDelay(
          () -> {
            int n = edits.incrementAndGet();
            Resources.desiredCount(
                admin, ns, SERVICES.get(n % SERVICES.size()), 1 + (n / SERVICES.size()) % 3);
          },
          0,
          20,
          TimeUnit.MILLISECONDS);
      try {
        // about four seconds of edits, fifty per Service
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> edits.get() >= 150);
      } finally {
        // shutdown, not shutdownNow: an interrupted edit is still sent by the client's own
        // threads and could land after the last edit below; this waits for it to be answered
        churner.shutdown();
        assertThat(churner.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      }
      int last = 5 + round;
      SERVICES.forEach(name -> Resources.desiredCount(admin, ns, name, last));
      final int r = round;
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () -> {
                for (String name : SERVICES) {
                  EcsService s =
                      admin.resources(EcsService.class).inNamespace(ns).withName(name).get();
                  assertThat(s.getStatus().getObservedGeneration())
                      .as("round %d: %s's last edit reconciled", r, name)
                      .isEqualTo(s.getMetadata().getGeneration());
                  assertThat(
                          admin
                              .apps()
                              .deployments()
                              .inNamespace(ns)
                              .withName(name)
                              .get()
                              .getSpec()
                              .getReplicas())
                      .as("round %d: %s's Deployment", r, name)
                      .isEqualTo(last);
                }
              });
    }
  }
}
