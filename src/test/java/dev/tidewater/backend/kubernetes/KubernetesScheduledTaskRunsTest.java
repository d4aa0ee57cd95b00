package dev.tidewater.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whether an at() schedule's single run started, on the kubernetes backend. */
class KubernetesScheduledTaskRunsTest {

  private static ScheduledTask at(String expression) {
    ScheduledTask s = new ScheduledTask();
    s.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("once").build());
    s.setSpec(new ScheduledTaskSpec());
    s.getSpec().scheduleExpression = expression;
    return s;
  }

  private static Job job(String scheduledTimestamp) {
    return new JobBuilder()
        .withNewMetadata()
        .withName("once-1")
        .addToAnnotations(KubernetesScheduledTaskBackend.SCHEDULED_TIMESTAMP, scheduledTimestamp)
        .endMetadata()
        .build();
  }

  @Test
  void onlyAJobDueAtTheAtInstantIsItsRun() {
    List<Job> oldRun = List.of(job("2026-12-07T09:00:00Z"));
    assertThat(KubernetesScheduledTaskBackend.ran(at("at(2026-12-07T09:00:00)"), oldRun)).isTrue();
    assertThat(KubernetesScheduledTaskBackend.ran(at("at(2026-12-07T12:00:00)"), oldRun))
        .as("a Job of the at() it was edited from")
        .isFalse();
  }

  @Test
  void statusCompletedCountsOnlyForTheExpressionItWasRecordedFor() {
    ScheduledTask s = at("at(2026-12-07T12:00:00)");
    s.setStatus(new ScheduledTaskStatus());
    s.getStatus().completed = true;
    s.getStatus().completedFor = "at(2026-12-07T09:00:00)";
    assertThat(KubernetesScheduledTaskBackend.ran(s, List.of())).isFalse();
    s.getStatus().completedFor = "at(2026-12-07T12:00:00)";
    assertThat(KubernetesScheduledTaskBackend.ran(s, List.of())).isTrue();
  }
}
