package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskStatus;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceStatus;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskSpec;
import dev.tidewater.api.v1alpha1.task.TaskStatus;
import dev.tidewater.api.v1alpha1.task.TaskTemplate;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionStatus;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.BackendKind;
import dev.tidewater.backend.Backends;
import dev.tidewater.backend.fake.FakeContext;
import dev.tidewater.backend.fake.FakeTaskDefinitionBackend;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.model.TenancyCeiling;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TaskDefinitionReconciler's decisions as data, against the fake backend: a valid spec becomes a
 * revision (an Event only when it changes what existed), what Services run is never pruned, a
 * refused spec asks nothing of the backend, and the backend's failures set the requeue.
 */
class TaskDefinitionReconcilerDecisionsTest {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String VALID =
      "containerDefinitions:\n  - {name: app, image: nginx, memory: 256}\n";

  /**
   * One reconcile.
   *
   * @param inputs changes to the defaults (a valid new TaskDefinition on the default Cluster)
   * @param condition the True condition's type, {@code reason} its reason
   * @param revision {@code status.revision} after it
   * @param calls the backend calls (the revisions in use each was told)
   * @param requeue the requeue asked for, null for none
   * @param events the reasons of the Events recorded, in order
   */
  record Row(
      String name,
      Consumer<Inputs> inputs,
      String condition,
      String reason,
      Integer revision,
      List<Set<Integer>> calls,
      Duration requeue,
      List<String> events) {

    @Override
    public String toString() {
      return name;
    }
  }

  static final class Inputs {
    TaskDefinition td = taskDefinition(VALID);
    List<HasMetadata> secondaries = new ArrayList<>(List.of(defaultCluster()));
    FakeTaskDefinitionBackend backend = new FakeTaskDefinitionBackend();
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row(
            "a new TaskDefinition becomes revision 1, in its status only",
            in -> {},
            "Ready",
            "RevisionReady",
            1,
            List.of(Set.of()),
            null,
            List.of()),
        new Row(
            "a changed spec becomes a new revision and an Event",
            in -> {
              in.backend.holding("an-older-hash");
              in.td.setStatus(new TaskDefinitionStatus());
              in.td.getStatus().revision = 1;
            },
            "Ready",
            "RevisionReady",
            2,
            List.of(Set.of()),
            null,
            List.of("RevisionCreated")),
        new Row(
            "an unchanged spec makes no revision and no Event",
            in -> {
              in.backend.holding(CanonicalTaskDefinition.of(in.td.getSpec()).hash());
              in.td.setStatus(new TaskDefinitionStatus());
              in.td.getStatus().revision = 1;
            },
            "Ready",
            "RevisionReady",
            1,
            List.of(Set.of()),
            null,
            List.of()),
        new Row(
            "the revisions Services run, pin or last ran well are in use",
            in -> {
              EcsService s = new EcsService();
              s.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("web").build());
              s.setStatus(new EcsServiceStatus());
              s.getStatus().revision = 3;
              s.getStatus().stableRevision = 2;
              in.secondaries.add(s);
            },
            "Ready",
            "RevisionReady",
            1,
            List.of(Set.of(2, 3)),
            null,
            List.of()),
        new Row(
            "the revisions unfinished Tasks run or pin are in use; a finished Task's are not",
            in -> {
              in.secondaries.add(task("running", 4, null, null));
              in.secondaries.add(task("pinned-not-started", null, 5, null));
              in.secondaries.add(task("finished", 6, null, "2026-12-07T10:00:00Z"));
            },
            "Ready",
            "RevisionReady",
            1,
            List.of(Set.of(4, 5)),
            null,
            List.of()),
        new Row(
            "the revisions ScheduledTasks pin or their schedules run are in use",
            in -> {
              in.secondaries.add(scheduledTask("nightly", 7, null));
              in.secondaries.add(scheduledTask("pinned", null, 8));
            },
            "Ready",
            "RevisionReady",
            1,
            List.of(Set.of(7, 8)),
            null,
            List.of()),
        new Row(
            "an invalid spec asks nothing of the backend",
            in ->
                in.td =
                    taskDefinition(
                        "containerDefinitions:\n"
                            + "  - {name: app, image: nginx, memory: 256}\n"
                            + "  - {name: app, image: nginx, memory: 256}\n"),
            "Degraded",
            "InvalidSpec",
            null,
            List.of(),
            null,
            List.of("InvalidSpec")),
        new Row(
            "a Cluster that does not exist asks nothing of the backend",
            in -> {
              in.td.getSpec().clusterRef = new ObjectRef();
              in.td.getSpec().clusterRef.name = "gone";
              in.secondaries.clear();
            },
            "Degraded",
            "ClusterNotFound",
            null,
            List.of(),
            null,
            List.of("ClusterNotFound")),
        new Row(
            "a wait of the backend is Progressing and looked at again",
            in ->
                in.backend.onReconcile(
                    c -> {
                      throw BackendFailure.progressing("TaskRoleNotReady", "no ARN yet");
                    }),
            "Progressing",
            "TaskRoleNotReady",
            null,
            List.of(Set.of()),
            TaskDefinitionReconciler.WAIT_RETRY,
            List.of()),
        new Row(
            "a failed AWS call is Degraded and looked at again",
            in ->
                in.backend.onReconcile(
                    c -> {
                      throw BackendFailure.callFailed("AccessDenied", "no", null);
                    }),
            "Degraded",
            "AccessDenied",
            null,
            List.of(Set.of()),
            TaskDefinitionReconciler.FAILURE_RETRY,
            List.of("AccessDenied")),
        new Row(
            "a conflict waits for a change, not a timer",
            in ->
                in.backend.onReconcile(
                    c -> {
                      throw BackendFailure.degraded("NameConflict", "not ours");
                    }),
            "Degraded",
            "NameConflict",
            null,
            List.of(Set.of()),
            null,
            List.of("NameConflict")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    Inputs in = new Inputs();
    row.inputs().accept(in);
    List<String> events = new ArrayList<>();
    TaskDefinitionReconciler reconciler =
        new TaskDefinitionReconciler(
            new BackendFactory(
                Map.of(
                    BackendKind.KUBERNETES,
                    new Backends(null, in.backend, null, null, null, null, null),
                    BackendKind.ECS,
                    new Backends(null, null, null, null, null, null, null))),
            new ReconcileMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
            new TenancyPolicies() {
              @Override
              public TenancyCeiling ceilingFor(String namespace) {
                return TenancyCeiling.builtIn(namespace);
              }
            },
            new SharedInformers(null)) {
          @Override
          EventRecorder events(Context<TaskDefinition> context) {
            return Recording.into(events);
          }
        };

    UpdateControl<TaskDefinition> update =
        reconciler.converge(in.td, FakeContext.of(in.td, in.secondaries));

    TaskDefinitionStatus status = update.getResource().orElseThrow().getStatus();
    assertThat(
            status.getConditions().stream()
                .filter(c -> "True".equals(c.getStatus()) && c.getType().equals(row.condition()))
                .map(c -> c.getReason()))
        .containsExactly(row.reason());
    assertThat(status.revision).as("revision").isEqualTo(row.revision());
    assertThat(in.backend.calls().stream().map(FakeTaskDefinitionBackend.Call::inUse).toList())
        .as("backend calls, by revisions in use")
        .isEqualTo(row.calls());
    assertThat(update.getScheduleDelay())
        .as("requeue")
        .isEqualTo(
            row.requeue() == null ? Optional.empty() : Optional.of(row.requeue().toMillis()));
    assertThat(events).as("events").isEqualTo(row.events());
  }

  private static Task task(String name, Integer running, Integer pinned, String finishedAt) {
    Task t = new Task();
    t.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName(name).build());
    t.setSpec(new TaskSpec());
    t.getSpec().taskDefinitionRef = new TaskDefinitionRef();
    t.getSpec().taskDefinitionRef.name = "web";
    t.getSpec().taskDefinitionRef.revision = pinned;
    t.setStatus(new TaskStatus());
    t.getStatus().revision = running;
    t.getStatus().finishedAt = finishedAt;
    return t;
  }

  private static ScheduledTask scheduledTask(String name, Integer running, Integer pinned) {
    ScheduledTask t = new ScheduledTask();
    t.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName(name).build());
    t.setSpec(new ScheduledTaskSpec());
    t.getSpec().scheduleExpression = "rate(1 hour)";
    t.getSpec().task = new TaskTemplate();
    t.getSpec().task.taskDefinitionRef = new TaskDefinitionRef();
    t.getSpec().task.taskDefinitionRef.name = "web";
    t.getSpec().task.taskDefinitionRef.revision = pinned;
    t.setStatus(new ScheduledTaskStatus());
    t.getStatus().revision = running;
    return t;
  }

  private static Cluster defaultCluster() {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("default").build());
    c.setSpec(new ClusterSpec());
    return c;
  }

  private static TaskDefinition taskDefinition(String spec) {
    TaskDefinition td = new TaskDefinition();
    td.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("web")
            .withUid("uid-td")
            .withGeneration(1L)
            .build());
    try {
      td.setSpec(YAML.readValue(spec, TaskDefinitionSpec.class));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return td;
  }
}
