package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.task.ContainerRunStatus;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import dev.tidewater.api.v1alpha1.task.TaskSpec;
import dev.tidewater.api.v1alpha1.task.TaskStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.BackendKind;
import dev.tidewater.backend.Backends;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.backend.fake.FakeContext;
import dev.tidewater.backend.fake.FakeTaskBackend;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TenancyCeiling;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
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
 * TaskReconciler's decisions as data, against the in-memory fake backend: each row is the inputs
 * (the Task, its TaskDefinition, what the backend has and answers) and the outcome (the conditions
 * that are True with their reasons, the requeue, the revisions run, the Events, a TTL deletion).
 */
class TaskReconcilerDecisionsTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:10:00Z");

  /**
   * One reconcile.
   *
   * @param trueConditions the conditions that are True, "Type/Reason", in any order
   * @param requeue the requeue asked for, null for none
   * @param runs the revisions the backend was asked to run
   * @param events the reasons of the Events recorded, in order
   */
  record Row(
      String name,
      Consumer<Inputs> inputs,
      List<String> trueConditions,
      Duration requeue,
      List<Integer> runs,
      List<String> events) {

    @Override
    public String toString() {
      return name;
    }
  }

  /** The inputs of one reconcile, defaults first. */
  static final class Inputs {
    Task task = task();
    TaskDefinition taskDefinition = taskDefinition();
    FakeTaskBackend backend = new FakeTaskBackend().withRevisions(1, 2);
    FakeTaskBackend ecs = new FakeTaskBackend().withRevisions(1, 2);
    List<HasMetadata> secondaries = new ArrayList<>();
  }

  private static TaskBackend.Observation observed(Duration recheck, TaskRunStatus... tasks) {
    return new TaskBackend.Observation(
        List.of(tasks), true, null, null, List.of(), List.of(), recheck);
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row(
            "every task stopped at exit 0: Succeeded",
            in -> in.backend.onRun(p -> FakeTaskBackend.finished(1, 0)),
            List.of("Ready/Succeeded", "Succeeded/Succeeded"),
            null,
            List.of(2),
            List.of()),
        new Row(
            "an essential container exited 1: Failed with ECS's stop code, one Warning",
            in -> in.backend.onRun(p -> FakeTaskBackend.finished(1, 1)),
            List.of("Degraded/EssentialContainerExited", "Failed/EssentialContainerExited"),
            null,
            List.of(2),
            List.of("EssentialContainerExited")),
        new Row(
            "one of three still running: Running, looked at again when the backend asks",
            in -> {
              in.task.getSpec().count = 3;
              in.backend.onRun(
                  p ->
                      observed(
                          Duration.ofSeconds(5),
                          FakeTaskBackend.task("a", "STOPPED", 0),
                          FakeTaskBackend.task("b", "RUNNING", null),
                          FakeTaskBackend.task("c", "STOPPED", 0)));
            },
            List.of("Progressing/Running", "Running/Running"),
            Duration.ofSeconds(5),
            List.of(2),
            List.of()),
        new Row(
            "RunTask placed 1 of 2 (RESOURCE:CPU): Failed with TaskFailedToStart once the placed"
                + " one stopped",
            in -> {
              in.task.getSpec().count = 2;
              in.backend.onRun(
                  p ->
                      observed(
                          null,
                          FakeTaskBackend.task("a", "STOPPED", 0),
                          failedToStart("RESOURCE:CPU")));
            },
            List.of("Degraded/TaskFailedToStart", "Failed/TaskFailedToStart"),
            null,
            List.of(2),
            List.of("TaskFailedToStart")),
        new Row(
            "RunTask placed 1 of 2, the placed one runs: Running, saying one failed to start",
            in -> {
              in.task.getSpec().count = 2;
              in.backend.onRun(
                  p ->
                      observed(
                          Duration.ofSeconds(5),
                          FakeTaskBackend.task("a", "RUNNING", null),
                          failedToStart("RESOURCE:CPU")));
            },
            List.of("Progressing/Running", "Running/Running"),
            Duration.ofSeconds(5),
            List.of(2),
            List.of()),
        new Row(
            "fewer tasks than the count reported and none failed (pods not made yet): Starting",
            in -> {
              in.task.getSpec().count = 2;
              in.backend.onRun(p -> FakeTaskBackend.finished(1, 0));
            },
            List.of("Progressing/Starting"),
            null,
            List.of(2),
            List.of()),
        new Row(
            "started before on revision 1: that revision is kept though 2 is the latest",
            in -> {
              in.task.setStatus(new TaskStatus());
              in.task.getStatus().revision = 1;
            },
            List.of("Ready/Succeeded", "Succeeded/Succeeded"),
            null,
            List.of(1),
            List.of()),
        new Row(
            "a pinned revision runs",
            in -> in.task.getSpec().taskDefinitionRef.revision = 1,
            List.of("Ready/Succeeded", "Succeeded/Succeeded"),
            null,
            List.of(1),
            List.of()),
        new Row(
            "a pinned revision the backend lacks: RevisionNotFound, nothing runs",
            in -> in.task.getSpec().taskDefinitionRef.revision = 7,
            List.of("Degraded/RevisionNotFound"),
            null,
            List.of(),
            List.of("RevisionNotFound")),
        new Row(
            "no TaskDefinition yet: waits, nothing runs",
            in -> in.taskDefinition = null,
            List.of("Progressing/TaskDefinitionNotFound"),
            null,
            List.of(),
            List.of()),
        new Row(
            "count outside RunTask's range: refused with its field, nothing runs",
            in -> in.task.getSpec().count = 11,
            List.of("Degraded/CountOutOfRange"),
            null,
            List.of(),
            List.of("CountOutOfRange")),
        new Row(
            "the backend waits for the task role: Progressing, nothing runs",
            in ->
                in.backend.waitingFor(
                    new Problem("taskRoleRef", "TaskRoleNotFound", "TaskRole r has no SA")),
            List.of("Progressing/TaskRoleNotFound"),
            null,
            List.of(),
            List.of()),
        new Row(
            "the backend refuses (an override of an unknown container): Degraded",
            in ->
                in.backend.onRun(
                    p ->
                        TaskBackend.Observation.refused(
                            List.of(),
                            List.of(
                                new Problem(
                                    "overrides.containerOverrides[0].name",
                                    "UnknownContainer",
                                    "no container x")))),
            List.of("Degraded/UnknownContainer"),
            null,
            List.of(2),
            List.of("UnknownContainer")),
        new Row(
            "an AWS failure that may pass (throttled): Degraded with its reason, tried again",
            in ->
                in.backend.onRun(
                    p -> {
                      throw BackendFailure.callFailed("Throttled", "slow down", null);
                    }),
            List.of("Degraded/Throttled"),
            TaskReconciler.FAILURE_RETRY,
            List.of(2),
            List.of("Throttled")),
        new Row(
            "throttled for two minutes already: the wait grows with it",
            in -> {
              in.task.setStatus(new TaskStatus());
              in.task
                  .getStatus()
                  .setConditions(
                      new ArrayList<>(
                          List.of(
                              new ConditionBuilder()
                                  .withType("Degraded")
                                  .withStatus("True")
                                  .withReason("Throttled")
                                  .withLastTransitionTime("2026-12-07T10:08:00Z")
                                  .build())));
              in.backend.onRun(
                  p -> {
                    throw BackendFailure.callFailed("Throttled", "slow down", null);
                  });
            },
            List.of("Degraded/Throttled"),
            Duration.ofMinutes(2),
            List.of(2),
            List.of()),
        new Row(
            "AWS refuses RunTask with a client error: Failed with its reason, not tried again",
            in ->
                in.backend.onRun(
                    p -> {
                      throw BackendFailure.terminal(
                          "InvalidParameter", "RunTask: subnet-1 not found", null);
                    }),
            List.of("Degraded/InvalidParameter", "Failed/InvalidParameter"),
            null,
            List.of(2),
            List.of("InvalidParameter")),
        new Row(
            "a revision other than the latest (no spec in the plan): the essential containers the"
                + " backend read of it decide, a non-essential exit 1 does not fail the Task",
            in -> {
              in.backend.planWithoutSpec();
              in.backend.onRun(
                  p -> {
                    TaskRunStatus t = FakeTaskBackend.task("a", "STOPPED", 0);
                    ContainerRunStatus sidecar = new ContainerRunStatus();
                    sidecar.name = "log-router";
                    sidecar.lastStatus = "STOPPED";
                    sidecar.exitCode = 1;
                    t.containers = List.of(t.containers.get(0), sidecar);
                    return new TaskBackend.Observation(
                        List.of(t),
                        true,
                        null,
                        null,
                        List.of(),
                        List.of(),
                        null,
                        new TaskBackend.Placement(null, null, null, List.of("app")));
                  });
            },
            List.of("Ready/Succeeded", "Succeeded/Succeeded"),
            null,
            List.of(2),
            List.of()),
        new Row(
            "finished with a TTL not yet run out: looked at again when it runs out",
            in -> in.task.getSpec().ttlSecondsAfterFinished = 3600,
            List.of("Ready/Succeeded", "Succeeded/Succeeded"),
            // stoppedAt 10:00, now 10:10: 50 minutes left
            Duration.ofMinutes(50),
            List.of(2),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    Inputs in = new Inputs();
    row.inputs().accept(in);
    List<String> events = new ArrayList<>();
    List<HasMetadata> secondaries = new ArrayList<>(in.secondaries);
    secondaries.add(defaultCluster());
    if (in.taskDefinition != null) secondaries.add(in.taskDefinition);

    UpdateControl<Task> update =
        reconciler(in, events, new ArrayList<>())
            .converge(in.task, FakeContext.of(in.task, secondaries));

    TaskStatus status = update.getResource().orElseThrow().getStatus();
    assertThat(
            status.getConditions().stream()
                .filter(c -> "True".equals(c.getStatus()))
                .map(c -> c.getType() + "/" + c.getReason()))
        .as("the True conditions")
        .containsExactlyInAnyOrderElementsOf(row.trueConditions());
    assertThat(update.getScheduleDelay())
        .as("requeue")
        .isEqualTo(
            row.requeue() == null
                ? java.util.Optional.empty()
                : java.util.Optional.of(row.requeue().toMillis()));
    assertThat(in.backend.runs().stream().map(TaskBackend.Plan::revision).toList())
        .as("revisions run")
        .isEqualTo(row.runs());
    assertThat(events).as("events").isEqualTo(row.events());
  }

  @org.junit.jupiter.api.Test
  void aFinishedTaskWhoseTtlRanOutIsDeletedWithoutAnotherRun() {
    Inputs in = new Inputs();
    in.task.getSpec().ttlSecondsAfterFinished = 60;
    in.task.setStatus(new TaskStatus());
    in.task.getStatus().revision = 2;
    in.task.getStatus().finishedAt = "2026-12-07T10:00:00Z";
    List<String> deleted = new ArrayList<>();

    UpdateControl<Task> update =
        reconciler(in, new ArrayList<>(), deleted)
            .converge(in.task, FakeContext.of(in.task, List.of(defaultCluster())));

    assertThat(deleted).containsExactly("migrate-1");
    assertThat(update.isNoUpdate()).isTrue();
    assertThat(in.backend.runs()).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void aFinishedTaskStaysAsItEndedWithoutAskingTheBackendEvenWhenItsTaskDefinitionWent() {
    Inputs in = new Inputs();
    List<HasMetadata> secondaries = new ArrayList<>(List.of(defaultCluster(), in.taskDefinition));
    UpdateControl<Task> first =
        reconciler(in, new ArrayList<>(), new ArrayList<>())
            .converge(in.task, FakeContext.of(in.task, secondaries));
    Task finished = first.getResource().orElseThrow();
    assertThat(finished.getStatus().finishedAt).isNotNull();

    FakeTaskBackend later = new FakeTaskBackend().withRevisions(1, 2);
    in.backend = later;
    UpdateControl<Task> again =
        reconciler(in, new ArrayList<>(), new ArrayList<>())
            .converge(finished, FakeContext.of(finished, List.of(defaultCluster())));

    assertThat(again.isNoUpdate()).as("the status stays as it was").isTrue();
    assertThat(later.runs()).as("nothing asked of the backend").isEmpty();
  }

  private static TaskRunStatus failedToStart(String reason) {
    TaskRunStatus t = new TaskRunStatus();
    t.lastStatus = "STOPPED";
    t.stopCode = "TaskFailedToStart";
    t.stoppedReason = reason;
    return t;
  }

  private static UpdateControl<Task> reconcile(Inputs in, List<HasMetadata> secondaries) {
    return reconciler(in, new ArrayList<>(), new ArrayList<>())
        .converge(in.task, FakeContext.of(in.task, secondaries));
  }

  @Test
  void aStartedTaskRecordsWhereItStartedAndWhatItRuns() {
    Inputs in = new Inputs();
    in.task.getSpec().count = 1;
    in.backend.onRun(
        p ->
            new TaskBackend.Observation(
                List.of(FakeTaskBackend.task("a", "RUNNING", null)),
                true,
                null,
                "tidewater/uid-task",
                List.of(),
                List.of(),
                Duration.ofSeconds(5),
                // a lost status write: the tasks found run revision 1, not the latest 2
                new TaskBackend.Placement("arn:cluster", "arn:td:1", 1, List.of("app"))));

    TaskStatus status =
        reconcile(in, List.of(defaultCluster(), in.taskDefinition))
            .getResource()
            .orElseThrow()
            .getStatus();

    assertThat(status.getBackend()).isEqualTo("kubernetes");
    assertThat(status.clusterArn).isEqualTo("arn:cluster");
    assertThat(status.taskDefinitionArn).isEqualTo("arn:td:1");
    assertThat(status.revision).as("the revision the tasks run").isEqualTo(1);
    assertThat(status.essentialContainers).containsExactly("app");
  }

  @Test
  void aStartedTaskIsObservedWhereItStartedWhateverItsClusterAndTaskDefinitionSayNow() {
    Inputs in = new Inputs();
    in.task.setStatus(new TaskStatus());
    in.task.getStatus().setBackend("ecs");
    in.task.getStatus().revision = 1;
    in.task.getStatus().tasks = List.of(FakeTaskBackend.task("a", "RUNNING", null));
    in.ecs.onObserve(
        t -> observed(Duration.ofSeconds(5), FakeTaskBackend.task("a", "RUNNING", null)));

    // the Cluster now says kubernetes (the default), and the TaskDefinition is gone
    UpdateControl<Task> update = reconcile(in, List.of(defaultCluster()));

    assertThat(in.backend.runs()).as("nothing started on kubernetes").isEmpty();
    assertThat(in.ecs.runs()).as("nothing started again on ecs").isEmpty();
    assertThat(in.ecs.observed()).containsExactly("migrate-1");
    TaskStatus status = update.getResource().orElseThrow().getStatus();
    assertThat(status.getBackend()).isEqualTo("ecs");
    assertThat(status.running).isEqualTo(1);
    assertThat(update.getScheduleDelay()).contains(Duration.ofSeconds(5).toMillis());
  }

  @Test
  void aStartAwsRefusedIsNotTriedAgainUntilTheGenerationChanges() {
    Inputs in = new Inputs();
    in.backend.onRun(
        p -> {
          throw BackendFailure.terminal("AccessDenied", "RunTask: not allowed", null);
        });
    in.task.getSpec().ttlSecondsAfterFinished = 600;
    UpdateControl<Task> first = reconcile(in, List.of(defaultCluster(), in.taskDefinition));
    Task refused = first.getResource().orElseThrow();
    assertThat(refused.getStatus().startRefusedGeneration).isEqualTo(1L);
    assertThat(refused.getStatus().finishedAt)
        .as("failed to start is finished: the TTL counts from the refusal")
        .isNotNull();
    assertThat(first.getScheduleDelay()).contains(Duration.ofSeconds(600).toMillis());

    in.task = refused;
    reconcile(in, List.of(defaultCluster(), in.taskDefinition));
    assertThat(in.backend.runs()).as("same generation: not asked again").hasSize(1);

    refused.getMetadata().setGeneration(2L);
    in.backend.onRun(
        p ->
            new TaskBackend.Observation(
                List.of(FakeTaskBackend.task("t-1", "RUNNING", null)),
                true,
                "job",
                null,
                List.of(),
                List.of(),
                null));
    Task retried =
        reconcile(in, List.of(defaultCluster(), in.taskDefinition)).getResource().orElseThrow();
    assertThat(in.backend.runs()).as("a new generation: tried again").hasSize(2);
    assertThat(retried.getStatus().finishedAt).as("started again: not finished").isNull();
  }

  private static TaskReconciler reconciler(Inputs in, List<String> events, List<String> deleted) {
    return new TaskReconciler(
        new BackendFactory(
            Map.of(
                BackendKind.KUBERNETES,
                new Backends(null, null, null, null, null, in.backend, null),
                BackendKind.ECS,
                new Backends(null, null, null, null, null, in.ecs, null))),
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
      EventRecorder events(Context<Task> c) {
        return Recording.into(events);
      }

      @Override
      TaskBackend.Caches caches(Context<Task> context) {
        return null;
      }

      @Override
      void deleteExpired(Task task, Context<Task> context) {
        deleted.add(task.getMetadata().getName());
      }
    };
  }

  private static Cluster defaultCluster() {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("default").build());
    c.setSpec(new ClusterSpec());
    return c;
  }

  private static Task task() {
    Task t = new Task();
    t.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("migrate-1")
            .withUid("uid-task")
            .withGeneration(1L)
            .build());
    t.setSpec(new TaskSpec());
    t.getSpec().taskDefinitionRef = new TaskDefinitionRef();
    t.getSpec().taskDefinitionRef.name = "migrate";
    return t;
  }

  private static TaskDefinition taskDefinition() {
    TaskDefinition td = new TaskDefinition();
    td.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("migrate")
            .withUid("uid-td")
            .withGeneration(1L)
            .build());
    td.setSpec(new TaskDefinitionSpec());
    return td;
  }
}
