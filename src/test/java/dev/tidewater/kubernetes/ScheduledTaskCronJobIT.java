package dev.tidewater.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ScheduledTasks on the kubernetes backend, on the real control plane: its CronJob controller
 * starts the Jobs, its Job controller the pods, kwok ends their containers (exit 0 unless the task
 * says otherwise, hack/testground/stages.yaml).
 */
class ScheduledTaskCronJobIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();

  @RegisterExtension
  static final OperatorOnGround onGround =
      new OperatorOnGround("schedtask", Map.of(), List.of("-Dtidewater.resync-period=5s"));

  private String ns;

  @BeforeEach
  void namespace() {
    ns = onGround.namespace();
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: report
        spec:
          cpu: "256"
          memory: "512"
          containerDefinitions:
          - name: report
            image: registry.example/report:1
            command: [./report]
        """);
  }

  private void apply(String yaml) {
    Resources.apply(admin, yaml, ns);
  }

  private void scheduled(String name, String expression, String extra) {
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: ScheduledTask
        metadata:
          name: %s
        spec:
          scheduleExpression: "%s"
        %s  task:
            taskDefinitionRef:
              name: report
        """
            .formatted(name, expression, extra));
  }

  private ScheduledTask get(String name) {
    return admin.resources(ScheduledTask.class).inNamespace(ns).withName(name).get();
  }

  private CronJob cronJob(String name) {
    return admin.batch().v1().cronjobs().inNamespace(ns).withName(name).get();
  }

  private static String ready(ScheduledTask s) {
    return s.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse("");
  }

  @Test
  void aRateOfOneMinuteRunsAJobWithinTheMinuteAndReportsTheLastRun() {
    Instant applied = Instant.now();
    scheduled("every-minute", "rate(1 minute)", "");

    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreException(NullPointerException.class)
        .untilAsserted(
            () -> {
              CronJob c = cronJob("every-minute");
              assertThat(c.getSpec().getSchedule()).isEqualTo("* * * * *");
              assertThat(c.getSpec().getTimeZone()).isEqualTo("Etc/UTC");
              assertThat(c.getSpec().getConcurrencyPolicy()).isEqualTo("Allow");
              assertThat(c.getSpec().getSuspend()).isFalse();
              assertThat(c.getSpec().getSuccessfulJobsHistoryLimit()).isEqualTo(3);
              assertThat(c.getSpec().getFailedJobsHistoryLimit()).isEqualTo(1);
              // the Task's Job: no retries, each task once
              assertThat(c.getSpec().getJobTemplate().getSpec().getBackoffLimitPerIndex()).isZero();
              assertThat(
                      c.getSpec()
                          .getJobTemplate()
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getRestartPolicy())
                  .isEqualTo("Never");
              ScheduledTask s = get("every-minute");
              assertThat(s.getStatus().state).isEqualTo("Active");
              assertThat(s.getStatus().cronJobName).isEqualTo("every-minute");
              assertThat(s.getStatus().nextRunTime).isNotNull();
            });

    // the CronJob controller checks every 10 s: the run due at the next minute starts within it
    await()
        .atMost(Duration.ofSeconds(120))
        .ignoreException(NullPointerException.class)
        .untilAsserted(
            () -> {
              ScheduledTask s = get("every-minute");
              assertThat(s.getStatus().lastRunResult).isEqualTo("Succeeded");
              assertThat(Instant.parse(s.getStatus().lastRunTime))
                  .isAfter(applied.minusSeconds(1))
                  .isBefore(applied.plusSeconds(61));
              assertThat(s.getStatus().lastRunTasks)
                  .singleElement()
                  .satisfies(
                      t -> {
                        assertThat(t.lastStatus).isEqualTo("STOPPED");
                        assertThat(t.stopCode).isEqualTo("EssentialContainerExited");
                        assertThat(t.containers)
                            .singleElement()
                            .satisfies(c -> assertThat(c.exitCode).isZero());
                      });
              assertThat(s.getStatus().recentRuns).isNotEmpty();
              assertThat(s.getStatus().recentRuns.get(0).result).isEqualTo("Succeeded");
            });
    assertThat(
            admin.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                .filter(
                    j ->
                        j.getMetadata().getOwnerReferences().stream()
                            .anyMatch(o -> "CronJob".equals(o.getKind()))))
        .isNotEmpty();
  }

  @Test
  void pausedSuspendsTheCronJobInPlace() {
    scheduled("nightly", "cron(0 2 * * ? *)", "");
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreException(NullPointerException.class)
        .untilAsserted(() -> assertThat(cronJob("nightly").getSpec().getSuspend()).isFalse());
    String uid = cronJob("nightly").getMetadata().getUid();

    scheduled("nightly", "cron(0 2 * * ? *)", "  paused: true\n");

    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreException(NullPointerException.class)
        .untilAsserted(
            () -> {
              CronJob c = cronJob("nightly");
              assertThat(c.getSpec().getSuspend()).isTrue();
              assertThat(c.getMetadata().getUid()).as("updated in place").isEqualTo(uid);
              ScheduledTask s = get("nightly");
              assertThat(s.getStatus().state).isEqualTo("Paused");
              assertThat(s.getStatus().nextRunTime).isNull();
              assertThat(ready(s)).isEqualTo("True/Paused");
            });
  }

  @Test
  void anExpressionNoCronJobCanRunIsRefusedNamingTheFieldAndNothingIsMade() {
    scheduled("month-end", "cron(0 2 L * ? *)", "");
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreException(NullPointerException.class)
        .untilAsserted(
            () -> {
              ScheduledTask s = get("month-end");
              assertThat(
                      s.getStatus().getConditions().stream()
                          .filter(c -> "Degraded".equals(c.getType())))
                  .singleElement()
                  .satisfies(
                      c -> {
                        assertThat(c.getStatus()).isEqualTo("True");
                        assertThat(c.getReason()).isEqualTo("ScheduleNotTranslatable");
                        assertThat(c.getMessage()).contains("spec.scheduleExpression");
                      });
            });
    assertThat(cronJob("month-end")).isNull();
    assertThat(Resources.events(admin, ns, "month-end", "ScheduleNotTranslatable")).isNotEmpty();
  }
}
