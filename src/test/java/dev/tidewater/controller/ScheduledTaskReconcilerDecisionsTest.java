package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskStatus;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.task.TaskTemplate;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.BackendKind;
import dev.tidewater.backend.Backends;
import dev.tidewater.backend.ScheduledTaskBackend;
import dev.tidewater.backend.fake.FakeContext;
import dev.tidewater.backend.fake.FakeScheduledTaskBackend;
import dev.tidewater.backend.fake.FakeTaskBackend;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TenancyCeiling;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ScheduledTaskReconciler's decisions as data, against the in-memory fake backend: each row is the
 * inputs (the ScheduledTask, its TaskDefinition, what the backend has and answers) and the outcome
 * (the conditions that are True with their reasons, the state and next run, the requeue, the
 * revisions applied, the Events, the finalizer).
 */
class ScheduledTaskReconcilerDecisionsTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:10:30Z");

  /**
   * One reconcile.
   *
   * @param trueConditions the conditions that are True, "Type/Reason", in any order
   * @param state status.state (null: not set)
   * @param nextRun status.nextRunTime
   * @param requeue the requeue asked for, null for none
   * @param applied the revisions the backend was asked to apply
   * @param events the reasons of the Events recorded, in order
   */
  record Row(
      String name,
      Consumer<Inputs> inputs,
      List<String> trueConditions,
      String state,
      String nextRun,
      Duration requeue,
      List<Integer> applied,
      List<String> events) {

    @Override
    public String toString() {
      return name;
    }
  }

  /** The inputs of one reconcile, defaults first: a nightly cron on the kubernetes backend. */
  static final class Inputs {
    ScheduledTask scheduled = scheduled("cron(0 2 * * ? *)");
    TaskDefinition taskDefinition = taskDefinition();
    FakeScheduledTaskBackend backend = new FakeScheduledTaskBackend().withRevisions(1, 2);

    /** The backend the Cluster does not select (where a schedule may have been made before). */
    FakeScheduledTaskBackend other = new FakeScheduledTaskBackend().withRevisions(1, 2);

    Cluster cluster = defaultCluster();
  }

  private static ScheduledTaskBackend.Run run(String name, String startedAt, String... statuses) {
    List<dev.tidewater.api.v1alpha1.task.TaskRunStatus> tasks = new ArrayList<>();
    for (int i = 0; i < statuses.length; i++) {
      String[] s = statuses[i].split(":");
      tasks.add(
          FakeTaskBackend.task(name + "-" + i, s[0], s.length > 1 ? Integer.valueOf(s[1]) : null));
    }
    return new ScheduledTaskBackend.Run(name, Instant.parse(startedAt), tasks);
  }

  private static final String TOMORROW_2AM = "2026-12-08T02:00:00Z";
  private static final Duration UNTIL_TOMORROW_2AM =
      Duration.between(NOW, Instant.parse(TOMORROW_2AM)).plusSeconds(20);

  static Stream<Row> rows() {
    return Stream.of(
        new Row(
            "applied, no run yet: Ready/Scheduled, next run tomorrow 02:00, looked at after it",
            in -> {},
            List.of("Ready/Scheduled"),
            "Active",
            TOMORROW_2AM,
            UNTIL_TOMORROW_2AM,
            List.of(2),
            List.of()),
        new Row(
            "a pinned revision is applied, not the latest",
            in -> in.scheduled.getSpec().task.taskDefinitionRef.revision = 1,
            List.of("Ready/Scheduled"),
            "Active",
            TOMORROW_2AM,
            UNTIL_TOMORROW_2AM,
            List.of(1),
            List.of()),
        new Row(
            "a pinned revision that does not exist: Degraded, nothing applied",
            in -> in.scheduled.getSpec().task.taskDefinitionRef.revision = 7,
            List.of("Degraded/RevisionNotFound"),
            "Active",
            TOMORROW_2AM,
            UNTIL_TOMORROW_2AM,
            List.of(),
            List.of("RevisionNotFound")),
        new Row(
            "an invalid expression: Degraded naming the field, nothing applied, no next run",
            in -> in.scheduled.getSpec().scheduleExpression = "cron(0 25 * * ? *)",
            List.of("Degraded/InvalidScheduleExpression"),
            null,
            null,
            null,
            List.of(),
            List.of("InvalidScheduleExpression")),
        new Row(
            "L on kubernetes: refused (ScheduleNotTranslatable), nothing applied",
            in -> in.scheduled.getSpec().scheduleExpression = "cron(0 2 L * ? *)",
            List.of("Degraded/ScheduleNotTranslatable"),
            null,
            null,
            null,
            List.of(),
            List.of("ScheduleNotTranslatable")),
        new Row(
            "L on ecs: EventBridge runs it, applied",
            in -> {
              in.scheduled.getSpec().scheduleExpression = "cron(0 2 L * ? *)";
              in.cluster.getSpec().backend = "ecs";
            },
            List.of("Ready/Scheduled"),
            "Active",
            "2026-12-31T02:00:00Z",
            Duration.between(NOW, Instant.parse("2026-12-31T02:00:20Z")),
            List.of(2),
            List.of()),
        new Row(
            "a run's count outside 1-10: Degraded with the task. path",
            in -> in.scheduled.getSpec().task.count = 11,
            List.of("Degraded/CountOutOfRange"),
            null,
            null,
            null,
            List.of(),
            List.of("CountOutOfRange")),
        new Row(
            "no TaskDefinition yet: Progressing",
            in -> in.taskDefinition = null,
            List.of("Progressing/TaskDefinitionNotFound"),
            "Active",
            TOMORROW_2AM,
            UNTIL_TOMORROW_2AM,
            List.of(),
            List.of()),
        new Row(
            "the backend waits for a task role: Progressing, nothing applied",
            in ->
                in.backend.waitingFor(
                    new Problem("taskRoleRef", "TaskRoleNotFound", "no ServiceAccount yet")),
            List.of("Progressing/TaskRoleNotFound"),
            "Active",
            TOMORROW_2AM,
            UNTIL_TOMORROW_2AM,
            List.of(),
            List.of()),
        new Row(
            "paused: state Paused, no next run, nothing to wait for",
            in -> in.scheduled.getSpec().paused = true,
            List.of("Ready/Paused"),
            "Paused",
            null,
            null,
            List.of(2),
            List.of()),
        new Row(
            "before startDate: Pending, first run after it, looked at when it comes",
            in -> in.scheduled.getSpec().startDate = "2026-12-20T00:00:00Z",
            List.of("Ready/NotStarted"),
            "Pending",
            "2026-12-20T02:00:00Z",
            Duration.between(NOW, Instant.parse("2026-12-20T00:00:00Z")),
            List.of(2),
            List.of()),
        new Row(
            "after endDate: Ended, no next run",
            in -> {
              in.scheduled.getSpec().startDate = "2026-01-01T00:00:00Z";
              in.scheduled.getSpec().endDate = "2026-12-01T00:00:00Z";
            },
            List.of("Ready/Ended"),
            "Ended",
            null,
            null,
            List.of(2),
            List.of()),
        new Row(
            "an at() in the past: Completed",
            in -> in.scheduled.getSpec().scheduleExpression = "at(2026-12-07T09:00:00)",
            List.of("Ready/Completed"),
            "Completed",
            null,
            null,
            List.of(2),
            List.of()),
        new Row(
            "rate(1 minute) counted from creation: next run at the next whole interval",
            in -> in.scheduled.getSpec().scheduleExpression = "rate(1 minute)",
            List.of("Ready/Scheduled"),
            "Active",
            "2026-12-07T10:11:00Z",
            Duration.ofSeconds(50),
            List.of(2),
            List.of()),
        new Row(
            "the backend holds the schedule suspended (a window): Ready/Suspended with why",
            in ->
                in.backend.onApply(
                    d ->
                        new ScheduledTaskBackend.Observation(
                            "nightly",
                            "0 2 * * *",
                            "UTC",
                            null,
                            null,
                            null,
                            null,
                            null,
                            true,
                            "before the first year",
                            List.of(),
                            List.of(),
                            List.of(),
                            List.of(),
                            null)),
            List.of("Ready/Suspended"),
            "Active",
            TOMORROW_2AM,
            UNTIL_TOMORROW_2AM,
            List.of(2),
            List.of()),
        new Row(
            "an approximated schedule: Warning condition and one Event naming the field",
            in ->
                in.backend.onApply(
                    d ->
                        new ScheduledTaskBackend.Observation(
                            "nightly",
                            "*/7 * * * *",
                            "Etc/UTC",
                            null,
                            null,
                            null,
                            null,
                            null,
                            false,
                            null,
                            List.of(),
                            List.of(
                                new StatusWarning(
                                    "scheduleExpression", "RateApproximated", "minutes 0, 7, ...")),
                            List.of(),
                            List.of(),
                            null)),
            List.of("Ready/Scheduled", "Warning/RateApproximated"),
            "Active",
            TOMORROW_2AM,
            UNTIL_TOMORROW_2AM,
            List.of(2),
            List.of("RateApproximated")),
        new Row(
            "the backend refuses (a CronJob of another owner): Degraded with its reason",
            in ->
                in.backend.onApply(
                    d ->
                        ScheduledTaskBackend.Observation.refused(
                            List.of(),
                            List.of(
                                new Problem("metadata.name", "NameConflict", "CronJob exists")))),
            List.of("Degraded/NameConflict"),
            "Active",
            TOMORROW_2AM,
            UNTIL_TOMORROW_2AM,
            List.of(2),
            List.of("NameConflict")),
        new Row(
            "an AWS failure: Degraded, tried again after the failure retry",
            in ->
                in.backend.onApply(
                    d -> {
                      throw BackendFailure.degraded("AwsAccessDenied", "not allowed");
                    }),
            List.of("Degraded/AwsAccessDenied"),
            "Active",
            TOMORROW_2AM,
            ScheduledTaskReconciler.FAILURE_RETRY,
            List.of(2),
            List.of("AwsAccessDenied")),
        new Row(
            "a run still running: last result Running, looked at again when the backend asks",
            in ->
                in.backend.onApply(
                    d ->
                        withRecheck(
                            FakeScheduledTaskBackend.applied(
                                List.of(run("r1", "2026-12-07T02:00:00Z", "RUNNING"))),
                            Duration.ofSeconds(15))),
            List.of("Ready/Scheduled"),
            "Active",
            TOMORROW_2AM,
            Duration.ofSeconds(15),
            List.of(2),
            List.of()),
        new Row(
            "a schedulerRoleArn of another namespace's role: Degraded naming the field",
            in -> {
              in.cluster.getSpec().backend = "ecs";
              in.scheduled.getSpec().schedulerRoleArn =
                  "arn:aws:iam::123456789012:role/tidewater/billing_report_scheduler";
            },
            List.of("Degraded/CrossNamespaceRole"),
            null,
            null,
            null,
            List.of(),
            List.of("CrossNamespaceRole")),
        new Row(
            "an at() edited after it ran: its new single run is due (Active), not Completed",
            in -> {
              in.scheduled.getSpec().scheduleExpression = "at(2026-12-07T12:00:00)";
              in.scheduled.setStatus(new ScheduledTaskStatus());
              in.scheduled.getStatus().completed = true;
              in.scheduled.getStatus().completedFor = "at(2026-12-07T09:00:00)";
              in.scheduled.getStatus().lastRunTime = "2026-12-07T09:00:00Z";
            },
            List.of("Ready/Scheduled"),
            "Active",
            "2026-12-07T12:00:00Z",
            Duration.between(NOW, Instant.parse("2026-12-07T12:00:20Z")),
            List.of(2),
            List.of()),
        new Row(
            "an at() that ran at its time: Completed",
            in -> {
              in.scheduled.getSpec().scheduleExpression = "at(2026-12-07T10:00:00)";
              in.scheduled.setStatus(new ScheduledTaskStatus());
              in.scheduled.getStatus().lastRunTime = "2026-12-07T10:00:00Z";
            },
            List.of("Ready/Completed"),
            "Completed",
            null,
            null,
            List.of(2),
            List.of()),
        new Row(
            "a run whose essential container exited 1: Failed, one RunFailed Event",
            in ->
                in.backend.onApply(
                    d ->
                        FakeScheduledTaskBackend.applied(
                            List.of(run("r1", "2026-12-07T02:00:00Z", "STOPPED:1")))),
            List.of("Ready/Scheduled"),
            "Active",
            TOMORROW_2AM,
            UNTIL_TOMORROW_2AM,
            List.of(2),
            List.of("RunFailed")));
  }

  private static ScheduledTaskBackend.Observation withRecheck(
      ScheduledTaskBackend.Observation o, Duration recheck) {
    return new ScheduledTaskBackend.Observation(
        o.cronJobName(),
        o.cronJobSchedule(),
        o.cronJobTimeZone(),
        o.scheduleArn(),
        o.scheduleName(),
        o.scheduleState(),
        o.schedulerRoleArn(),
        o.schedulerRoleHash(),
        o.suspended(),
        o.why(),
        o.runs(),
        o.warnings(),
        o.refusals(),
        o.events(),
        recheck);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    Inputs in = new Inputs();
    row.inputs().accept(in);
    List<String> events = new ArrayList<>();
    List<HasMetadata> secondaries = new ArrayList<>(List.of(in.cluster));
    if (in.taskDefinition != null) secondaries.add(in.taskDefinition);

    UpdateControl<ScheduledTask> update =
        reconciler(in, events, new ArrayList<>())
            .converge(in.scheduled, FakeContext.of(in.scheduled, secondaries));

    ScheduledTaskStatus status = update.getResource().orElseThrow().getStatus();
    assertThat(
            status.getConditions().stream()
                .filter(c -> "True".equals(c.getStatus()))
                .map(c -> c.getType() + "/" + c.getReason()))
        .as("true conditions")
        .containsExactlyInAnyOrderElementsOf(row.trueConditions());
    assertThat(status.state).as("state").isEqualTo(row.state());
    assertThat(status.nextRunTime).as("next run").isEqualTo(row.nextRun());
    assertThat(update.getScheduleDelay())
        .as("requeue")
        .isEqualTo(
            row.requeue() == null
                ? java.util.Optional.empty()
                : java.util.Optional.of(row.requeue().toMillis()));
    assertThat(in.backend.applied().stream().map(d -> d.plan().revision()).toList())
        .as("revisions applied")
        .isEqualTo(row.applied());
    assertThat(events).as("events").isEqualTo(row.events());
  }

  @Test
  void runsBecomeTheLastRunAndTheHistoryKeepsTheLimits() {
    Inputs in = new Inputs();
    in.scheduled.getSpec().successfulRunsHistoryLimit = 2;
    in.scheduled.getSpec().failedRunsHistoryLimit = 1;
    in.backend.onApply(
        d ->
            FakeScheduledTaskBackend.applied(
                List.of(
                    run("r5", "2026-12-07T05:00:00Z", "RUNNING"),
                    run("r4", "2026-12-07T04:00:00Z", "STOPPED:0"),
                    run("r3", "2026-12-07T03:00:00Z", "STOPPED:1"),
                    run("r2", "2026-12-07T02:00:00Z", "STOPPED:0", "STOPPED:0"),
                    run("r1", "2026-12-07T01:00:00Z", "STOPPED:0"),
                    run("r0", "2026-12-07T00:00:00Z", "STOPPED:1"))));
    List<String> events = new ArrayList<>();

    ScheduledTaskStatus status =
        reconciler(in, events, new ArrayList<>())
            .converge(
                in.scheduled, FakeContext.of(in.scheduled, List.of(in.cluster, in.taskDefinition)))
            .getResource()
            .orElseThrow()
            .getStatus();

    assertThat(status.lastRunTime).isEqualTo("2026-12-07T05:00:00Z");
    assertThat(status.lastRunResult).isEqualTo("Running");
    assertThat(status.lastRunTasks).hasSize(1);
    assertThat(status.recentRuns.stream().map(r -> r.name + "/" + r.result))
        .containsExactly("r4/Succeeded", "r3/Failed", "r2/Succeeded");
    assertThat(status.recentRuns.get(1).reason).isEqualTo("EssentialContainerExited");
    assertThat(events).containsExactly("RunFailed", "RunFailed");

    // the same runs again: nothing new failed, so no Event, and the status is unchanged
    ScheduledTask after = new ScheduledTask();
    after.setMetadata(in.scheduled.getMetadata());
    after.setSpec(in.scheduled.getSpec());
    after.setStatus(status);
    List<String> again = new ArrayList<>();
    UpdateControl<ScheduledTask> second =
        reconciler(in, again, new ArrayList<>())
            .converge(after, FakeContext.of(after, List.of(in.cluster, in.taskDefinition)));
    assertThat(again).isEmpty();
    assertThat(second.isPatchStatus()).as("nothing changed: no status write").isFalse();
  }

  @Test
  void onABackendOutsideKubernetesTheFinalizerGoesOnBeforeTheFirstApply() {
    Inputs in = new Inputs();
    in.backend.outsideKubernetes();
    List<String> held = new ArrayList<>();
    in.backend.onApply(
        d -> {
          assertThat(held).as("held before the apply").containsExactly("nightly");
          return FakeScheduledTaskBackend.applied(List.of());
        });

    reconciler(in, new ArrayList<>(), held)
        .converge(
            in.scheduled, FakeContext.of(in.scheduled, List.of(in.cluster, in.taskDefinition)));

    assertThat(in.backend.applied()).hasSize(1);
  }

  @Test
  void aClusterMovedToKubernetesRemovesTheEcsScheduleBeforeTheCronJobIsMade() {
    Inputs in = new Inputs();
    in.scheduled.setStatus(new ScheduledTaskStatus());
    in.scheduled.getStatus().setBackend("ecs");
    in.scheduled.getStatus().scheduleArn = "arn:aws:scheduler:eu-west-1:1:schedule/tidewater/x";
    List<String> order = new ArrayList<>();
    in.other.onRetire(ScheduledTaskBackend.Removal.complete(List.of("schedule x")));
    in.backend.onApply(
        d -> {
          order.addAll(in.other.calls());
          return FakeScheduledTaskBackend.applied(List.of());
        });
    List<String> events = new ArrayList<>();

    ScheduledTaskStatus status =
        reconciler(in, events, new ArrayList<>())
            .converge(
                in.scheduled, FakeContext.of(in.scheduled, List.of(in.cluster, in.taskDefinition)))
            .getResource()
            .orElseThrow()
            .getStatus();

    assertThat(order).as("the ecs side retired before the apply").containsExactly("retire");
    assertThat(in.backend.calls()).containsExactly("apply");
    assertThat(events).containsExactly("ScheduleMoved");
    assertThat(status.getBackend()).isEqualTo("kubernetes");
    assertThat(status.scheduleArn).isNull();
    assertThat(status.cronJobName).isEqualTo("nightly");
  }

  @Test
  void aMoveWhoseOldScheduleIsNotRemovedYetMakesNothingOnTheNewSide() {
    Inputs in = new Inputs();
    in.scheduled.setStatus(new ScheduledTaskStatus());
    in.scheduled.getStatus().setBackend("ecs");
    in.other.onRetire(new ScheduledTaskBackend.Removal(false, Duration.ofSeconds(1), List.of()));

    UpdateControl<ScheduledTask> update =
        reconciler(in, new ArrayList<>(), new ArrayList<>())
            .converge(
                in.scheduled, FakeContext.of(in.scheduled, List.of(in.cluster, in.taskDefinition)));

    assertThat(in.backend.calls()).as("never on both").isEmpty();
    assertThat(update.getResource().orElseThrow().getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Progressing");
              assertThat(c.getReason()).isEqualTo("ScheduleMoving");
            });
    assertThat(update.getScheduleDelay()).contains(1000L);
  }

  @Test
  void aFailedRunIsReportedOnceEvenWhenNoFailedRunIsKept() {
    Inputs in = new Inputs();
    in.scheduled.getSpec().failedRunsHistoryLimit = 0;
    in.backend.onApply(
        d ->
            FakeScheduledTaskBackend.applied(
                List.of(run("r1", "2026-12-07T02:00:00Z", "STOPPED:1"))));
    List<String> events = new ArrayList<>();
    ScheduledTaskStatus status =
        reconciler(in, events, new ArrayList<>())
            .converge(
                in.scheduled, FakeContext.of(in.scheduled, List.of(in.cluster, in.taskDefinition)))
            .getResource()
            .orElseThrow()
            .getStatus();
    assertThat(events).containsExactly("RunFailed");
    assertThat(status.recentRuns).isNull();

    ScheduledTask after = new ScheduledTask();
    after.setMetadata(in.scheduled.getMetadata());
    after.setSpec(in.scheduled.getSpec());
    after.setStatus(status);
    List<String> again = new ArrayList<>();
    reconciler(in, again, new ArrayList<>())
        .converge(after, FakeContext.of(after, List.of(in.cluster, in.taskDefinition)));
    assertThat(again).as("the same failed run: no second Event").isEmpty();
  }

  @Test
  void runsAreJudgedByTheEssentialContainersTheBackendRegisteredNotEveryContainer() {
    Inputs in = new Inputs();
    in.backend.withoutRevisionSpec();
    var app = new dev.tidewater.api.v1alpha1.task.ContainerRunStatus();
    app.name = "app";
    app.lastStatus = "STOPPED";
    app.exitCode = 0;
    var sidecar = new dev.tidewater.api.v1alpha1.task.ContainerRunStatus();
    sidecar.name = "log-router";
    sidecar.lastStatus = "STOPPED";
    sidecar.exitCode = 1;
    var task = new dev.tidewater.api.v1alpha1.task.TaskRunStatus();
    task.taskArn = "t-1";
    task.lastStatus = "STOPPED";
    task.stopCode = "EssentialContainerExited";
    task.stoppedAt = "2026-12-07T02:01:00Z";
    task.containers = List.of(app, sidecar);
    in.backend.onApply(
        d -> {
          var o =
              FakeScheduledTaskBackend.applied(
                  List.of(
                      new ScheduledTaskBackend.Run(
                          "r1", Instant.parse("2026-12-07T02:00:00Z"), List.of(task))));
          return new ScheduledTaskBackend.Observation(
              o.cronJobName(),
              o.cronJobSchedule(),
              o.cronJobTimeZone(),
              null,
              null,
              null,
              null,
              null,
              false,
              null,
              o.runs(),
              List.of(),
              List.of(),
              List.of(),
              null,
              List.of("app"));
        });
    List<String> events = new ArrayList<>();
    ScheduledTaskStatus status =
        reconciler(in, events, new ArrayList<>())
            .converge(
                in.scheduled, FakeContext.of(in.scheduled, List.of(in.cluster, in.taskDefinition)))
            .getResource()
            .orElseThrow()
            .getStatus();
    assertThat(status.lastRunResult).isEqualTo("Succeeded");
    assertThat(events).isEmpty();
  }

  @Test
  void onKubernetesNoFinalizer() {
    Inputs in = new Inputs();
    List<String> held = new ArrayList<>();
    reconciler(in, new ArrayList<>(), held)
        .converge(
            in.scheduled, FakeContext.of(in.scheduled, List.of(in.cluster, in.taskDefinition)));
    assertThat(held).isEmpty();
  }

  private static ScheduledTaskReconciler reconciler(
      Inputs in, List<String> events, List<String> held) {
    FakeScheduledTaskBackend ecs =
        "ecs".equals(in.cluster.getSpec().backend) ? in.backend : in.other;
    FakeScheduledTaskBackend kubernetes =
        "ecs".equals(in.cluster.getSpec().backend) ? in.other : in.backend;
    return new ScheduledTaskReconciler(
        new BackendFactory(
            Map.of(
                BackendKind.KUBERNETES,
                new Backends(null, null, null, null, null, null, kubernetes),
                BackendKind.ECS,
                new Backends(null, null, null, null, null, null, ecs))),
        new ReconcileMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
        new TenancyPolicies() {
          @Override
          public TenancyCeiling ceilingFor(String namespace) {
            return TenancyCeiling.builtIn(namespace);
          }
        },
        new SharedInformers(null),
        Clock.fixed(NOW, ZoneOffset.UTC)) {
      @Override
      EventRecorder events(Context<ScheduledTask> c) {
        return Recording.into(events);
      }

      @Override
      ScheduledTaskBackend.Caches caches(Context<ScheduledTask> context) {
        return null;
      }

      @Override
      void hold(Context<ScheduledTask> context, ScheduledTask scheduled) {
        held.add(scheduled.getMetadata().getName());
      }
    };
  }

  private static Cluster defaultCluster() {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("default").build());
    c.setSpec(new ClusterSpec());
    return c;
  }

  static ScheduledTask scheduled(String expression) {
    ScheduledTask s = new ScheduledTask();
    s.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("nightly")
            .withUid("uid-sched")
            .withGeneration(1L)
            .withCreationTimestamp("2026-12-01T00:00:00Z")
            .build());
    s.setSpec(new ScheduledTaskSpec());
    s.getSpec().scheduleExpression = expression;
    s.getSpec().task = new TaskTemplate();
    s.getSpec().task.taskDefinitionRef = new TaskDefinitionRef();
    s.getSpec().task.taskDefinitionRef.name = "report";
    return s;
  }

  private static TaskDefinition taskDefinition() {
    TaskDefinition td = new TaskDefinition();
    td.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("report")
            .withUid("uid-td")
            .withGeneration(1L)
            .build());
    td.setSpec(new TaskDefinitionSpec());
    return td;
  }
}
