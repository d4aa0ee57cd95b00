package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusRecorderTest {

  private final StatusRecorder recorder = new StatusRecorder(Clock.systemUTC());

  private static EcsService service() {
    EcsService s = new EcsService();
    s.setMetadata(
        new ObjectMetaBuilder().withName("web").withNamespace("a").withGeneration(1L).build());
    return s;
  }

  /** The API server's answer to a create in a namespace being deleted, as fabric8 raises it. */
  private static KubernetesClientException refused(String causeReason) {
    Status status =
        new StatusBuilder()
            .withCode(403)
            .withReason("Forbidden")
            .withMessage("deployments.apps \"web\" is forbidden: unable to create new content")
            .withNewDetails()
            .addNewCause()
            .withField("metadata.namespace")
            .withReason(causeReason)
            .endCause()
            .endDetails()
            .build();
    return new KubernetesClientException(status).copyAsCause();
  }

  @Test
  void aWriteRefusedBecauseTheNamespaceIsGoingIsNeitherRecordedNorRetried() {
    var control =
        recorder.recordError(
            service(), EcsServiceStatus::new, refused("NamespaceTerminating"), Optional.empty());

    assertThat(control.getResource()).isEmpty();
    assertThat(control.isNoRetry()).isTrue();
  }

  @Test
  void anyOtherFailureIsADegradedConditionAndRetried() {
    var control =
        recorder.recordError(
            service(), EcsServiceStatus::new, refused("FieldValueForbidden"), Optional.empty());

    assertThat(control.isNoRetry()).isFalse();
    assertThat(control.getResource().orElseThrow().getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Degraded");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("ReconcileError");
              assertThat(c.getMessage()).contains("is forbidden");
            });
  }

  @Test
  void aClusterCacheNotListedYetIsShownAndLookedAtAgainUntilItIs() {
    var control =
        recorder.recordError(
            service(),
            EcsServiceStatus::new,
            new ClusterEventSources.ClusterCacheNotSynced(),
            Optional.empty());

    assertThat(control.getScheduleDelay()).contains(Duration.ofSeconds(5).toMillis());
    assertThat(control.isNoRetry()).as("rescheduled, so retries are never exhausted").isTrue();
    assertThat(control.getResource().orElseThrow().getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getMessage()).contains("has not listed Clusters yet"));
  }
}
