package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  /** The API server's answer to a status write on {@code reconciled}: a new resourceVersion. */
  private static EcsService answer(EcsService reconciled) {
    EcsService a = new EcsService();
    a.setMetadata(new ObjectMetaBuilder(reconciled.getMetadata()).withResourceVersion("8").build());
    EcsServiceStatus status = new EcsServiceStatus();
    status.setObservedGeneration(reconciled.getMetadata().getGeneration());
    a.setStatus(status);
    return a;
  }

  @Test
  void anAnswerThatDiffersOnlyInItsStatusShowsNothingTheReconcileMissed() {
    EcsService reconciled = service();
    reconciled.getMetadata().setResourceVersion("7");
    EcsService answer = answer(reconciled);
    answer.getMetadata().setLabels(java.util.Map.of());

    assertThat(StatusRecorder.changedBeside(reconciled, answer)).isFalse();
  }

  @Test
  void anEditUnderTheStatusWriteIsAChangeTheReconcileMissed() {
    EcsService reconciled = service();
    EcsService spec = answer(reconciled);
    spec.getMetadata().setGeneration(2L);
    EcsService labels = answer(reconciled);
    labels.getMetadata().setLabels(java.util.Map.of("team", "b"));
    EcsService annotations = answer(reconciled);
    annotations.getMetadata().setAnnotations(java.util.Map.of("note", "x"));
    EcsService deleted = answer(reconciled);
    deleted.getMetadata().setDeletionTimestamp("2026-12-07T22:00:00Z");
    EcsService finalizers = answer(reconciled);
    finalizers.getMetadata().setFinalizers(List.of("ecs.tidewater.dev/cleanup"));

    for (EcsService answer : List.of(spec, labels, annotations, deleted, finalizers)) {
      assertThat(StatusRecorder.changedBeside(reconciled, answer))
          .as("%s", answer.getMetadata())
          .isTrue();
    }
  }

  /** A Context whose status writes are answered with {@code answer}, counted in {@code writes}. */
  @SuppressWarnings("unchecked") // a proxy of the interface asked for
  private static io.javaoperatorsdk.operator.api.reconciler.Context<EcsService> answering(
      EcsService answer, java.util.List<EcsService> writes) {
    return (io.javaoperatorsdk.operator.api.reconciler.Context<EcsService>)
        java.lang.reflect.Proxy.newProxyInstance(
            StatusRecorderTest.class.getClassLoader(),
            new Class<?>[] {io.javaoperatorsdk.operator.api.reconciler.Context.class},
            (proxy, method, args) -> {
              if (!method.getName().equals("resourceOperations")) {
                throw new UnsupportedOperationException(method.getName());
              }
              return new io.javaoperatorsdk.operator.api.reconciler.ResourceOperations<>(
                  (io.javaoperatorsdk.operator.api.reconciler.Context<EcsService>) proxy) {
                @Override
                public EcsService serverSideApplyPrimaryStatus(EcsService resource) {
                  writes.add(resource);
                  return answer;
                }
              };
            });
  }

  @Test
  void theStatusIsWrittenHereAndTheReconcileRunsAgainWhenTheAnswerShowsAnEditItMissed() {
    EcsService reconciled = service();
    EcsServiceStatus next = new EcsServiceStatus();
    next.desiredCount = 3;
    var update = recorder.record(reconciled, next, Outcome.ready("Stable", "ok"), List.of());
    assertThat(update.isPatchStatus()).isTrue();
    update.rescheduleAfter(Duration.ofSeconds(30));

    List<EcsService> writes = new ArrayList<>();
    var same = StatusRecorder.write(answering(answer(reconciled), writes), reconciled, update);
    assertThat(writes).containsExactly(update.getResource().orElseThrow());
    assertThat(same.isPatchStatus()).isFalse();
    assertThat(same.getScheduleDelay()).contains(30_000L);

    EcsService edited = answer(reconciled);
    edited.getMetadata().setGeneration(2L);
    var again = StatusRecorder.write(answering(edited, writes), reconciled, update);
    assertThat(writes).hasSize(2);
    assertThat(again.isPatchStatus()).isFalse();
    assertThat(again.getScheduleDelay()).contains(0L);
  }

  @Test
  void aReconcileWithoutAStatusToWriteWritesNothing() {
    List<EcsService> writes = new ArrayList<>();
    var none = UpdateControl.<EcsService>noUpdate().rescheduleAfter(Duration.ofSeconds(5));

    assertThat(StatusRecorder.write(answering(service(), writes), service(), none)).isSameAs(none);
    assertThat(writes).isEmpty();
  }
}
