package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskStatus;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendKind;
import dev.tidewater.backend.Backends;
import dev.tidewater.backend.ScheduledTaskBackend;
import dev.tidewater.backend.fake.FakeContext;
import dev.tidewater.backend.fake.FakeScheduledTaskBackend;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where a deleted ScheduledTask's schedule is removed: the backend it was made on. */
class ScheduledTaskCleanupReconcilerTest {

  private final FakeScheduledTaskBackend kubernetes = new FakeScheduledTaskBackend();
  private final FakeScheduledTaskBackend ecs = new FakeScheduledTaskBackend();
  private final List<String> events = new ArrayList<>();

  private ScheduledTaskCleanupReconciler cleanup() {
    return new ScheduledTaskCleanupReconciler(
        new BackendFactory(
            Map.of(
                BackendKind.KUBERNETES,
                new Backends(null, null, null, null, null, null, kubernetes),
                BackendKind.ECS,
                new Backends(null, null, null, null, null, null, ecs))),
        new SharedInformers(null)) {
      @Override
      EventRecorder events(Context<ScheduledTask> context) {
        return Recording.into(events);
      }
    };
  }

  private static Cluster cluster(String backend) {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("default").build());
    c.setSpec(new ClusterSpec());
    c.getSpec().backend = backend;
    return c;
  }

  private static ScheduledTask deleted(String madeOn) {
    ScheduledTask s = ScheduledTaskReconcilerDecisionsTest.scheduled("rate(1 hour)");
    if (madeOn != null) {
      s.setStatus(new ScheduledTaskStatus());
      s.getStatus().setBackend(madeOn);
    }
    return s;
  }

  @Test
  void aScheduleMadeOnEcsIsRemovedThereAfterTheClusterMovedToKubernetes() {
    ScheduledTask s = deleted("ecs");
    kubernetes.onRemove(ScheduledTaskBackend.Removal.complete(List.of()));
    cleanup().cleanup(s, FakeContext.of(s, List.of(cluster("kubernetes"))));
    assertThat(ecs.calls()).containsExactly("remove");
    // the Cluster's backend now: a first apply there may have made something already
    assertThat(kubernetes.calls()).containsExactly("remove");
    assertThat(events).containsExactly("ScheduleDeleted");
  }

  @Test
  void aFirstApplyUnderWayOnTheNewBackendHoldsTheFinalizer() {
    // made on kubernetes; the Cluster moved to ecs, whose first apply has not written status yet
    ScheduledTask s = deleted("kubernetes");
    ecs.onRemove(
        new ScheduledTaskBackend.Removal(false, java.time.Duration.ofSeconds(1), List.of()));
    var control = cleanup().cleanup(s, FakeContext.of(s, List.of(cluster("ecs"))));
    assertThat(kubernetes.calls()).containsExactly("remove");
    assertThat(ecs.calls()).containsExactly("remove");
    assertThat(control.isRemoveFinalizer()).as("held until ecs has finished").isFalse();
  }

  @Test
  void aScheduleWhoseStatusRecordsOnlyItsArnIsRemovedOnEcs() {
    ScheduledTask s = deleted(null);
    s.setStatus(new ScheduledTaskStatus());
    s.getStatus().scheduleArn = "arn:aws:scheduler:eu-west-1:1:schedule/tidewater/shop_nightly";
    cleanup().cleanup(s, FakeContext.of(s, List.of(cluster("kubernetes"))));
    assertThat(ecs.calls()).containsExactly("remove");
  }

  @Test
  void withNothingRecordedTheClustersBackendIsAsked() {
    ScheduledTask s = deleted(null);
    cleanup().cleanup(s, FakeContext.of(s, List.of(cluster("ecs"))));
    assertThat(ecs.calls()).containsExactly("remove");
    assertThat(kubernetes.calls()).isEmpty();
  }
}
