package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.Autoscaling;
import dev.tidewater.api.v1alpha1.service.DeploymentCircuitBreaker;
import dev.tidewater.api.v1alpha1.service.DeploymentConfiguration;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.service.EcsServiceStatus;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionStatus;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.BackendKind;
import dev.tidewater.backend.Backends;
import dev.tidewater.backend.ServiceObservation;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.fake.FakeContext;
import dev.tidewater.backend.fake.FakeServiceBackend;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TenancyCeiling;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ServiceReconciler's reconcile decisions as data, against the in-memory fake backend: each row is
 * the inputs (the Service, its TaskDefinition, what the backend has and answers) and the outcome
 * (the condition that is True and its reason, the requeue, the plans written, the Events).
 */
class ServiceReconcilerDecisionsTest {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String PRIVILEGED =
      "containerDefinitions:\n  - {name: app, image: nginx, memory: 256, privileged: true}\n";
  private static final String VALID_TASK =
      "containerDefinitions:\n  - {name: app, image: nginx, memory: 256}\n";

  /**
   * One reconcile.
   *
   * @param name what the row shows
   * @param inputs changes to the default inputs (a valid Service with status, its reconciled
   *     TaskDefinition, revisions 1 and 2 on the backend)
   * @param condition the condition type that is True, e.g. {@code Ready}
   * @param reason its reason
   * @param requeue the requeue asked for, null for none
   * @param writes the revisions the backend was asked to apply, in order
   * @param events the reasons of the Events recorded, in order
   */
  record Row(
      String name,
      Consumer<Inputs> inputs,
      String condition,
      String reason,
      Duration requeue,
      List<Integer> writes,
      List<String> events) {

    @Override
    public String toString() {
      return name;
    }
  }

  /** The inputs of one reconcile, defaults first. */
  static final class Inputs {
    EcsService service = service();
    TaskDefinition taskDefinition = taskDefinition(VALID_TASK);
    FakeServiceBackend backend = new FakeServiceBackend().withRevisions(1, 2);
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row(
            "a completed rollout of the latest revision is Ready",
            in -> {},
            "Ready",
            "Running",
            null,
            List.of(2),
            List.of()),
        new Row(
            "a rollout in progress is Progressing",
            in ->
                in.backend.onApply(
                    plan ->
                        new ServiceObservation(
                            2,
                            1,
                            1,
                            plan.revision(),
                            ServiceObservation.RolloutState.IN_PROGRESS,
                            List.of(),
                            List.of())),
            "Progressing",
            "RollingOut",
            null,
            List.of(2),
            List.of()),
        new Row(
            "a failed rollout without rollback is Degraded",
            in ->
                in.backend.onApply(
                    plan ->
                        new ServiceObservation(
                            2,
                            0,
                            2,
                            plan.revision(),
                            ServiceObservation.RolloutState.FAILED,
                            List.of(),
                            List.of())),
            "Degraded",
            "RolloutFailed",
            null,
            List.of(2),
            List.of("RolloutFailed")),
        new Row(
            "a rollout the circuit breaker rolled back is remembered, the stable revision re-applied",
            in -> {
              withRollback(in.service, 1);
              in.backend.onApply(
                  plan ->
                      plan.revision() == 2
                          ? new ServiceObservation(
                              2,
                              0,
                              2,
                              2,
                              ServiceObservation.RolloutState.FAILED,
                              List.of(),
                              List.of())
                          : FakeServiceBackend.running(plan.revision(), 2));
            },
            "Degraded",
            "RolledBack",
            null,
            List.of(2, 1),
            List.of("RolledBack")),
        new Row(
            "a rolled-back revision is not applied again until the TaskDefinition changes",
            in -> {
              withRollback(in.service, 1);
              in.service.getStatus().rolledBackRevisions = List.of(2);
            },
            "Degraded",
            "RolledBack",
            null,
            List.of(1),
            List.of("RolledBack")),
        new Row(
            "a registered revision the guardrails refuse now is not deployed",
            in -> in.backend.registeredAs(taskDefinition(PRIVILEGED).getSpec()),
            "Degraded",
            "GuardrailViolation",
            null,
            List.of(),
            List.of("GuardrailViolation")),
        new Row(
            "one already running keeps running (only kept, not re-deployed) but is reported",
            in -> {
              in.backend.registeredAs(taskDefinition(PRIVILEGED).getSpec());
              in.service.getStatus().serviceArn = "arn:aws:ecs:eu-west-1:1:service/shop/web";
              in.service.getStatus().revision = 2;
            },
            "Degraded",
            "GuardrailViolation",
            null,
            List.of(2),
            List.of("GuardrailViolation")),
        new Row(
            "a missing TaskDefinition waits, writing nothing",
            in -> in.taskDefinition = null,
            "Progressing",
            "TaskDefinitionNotFound",
            null,
            List.of(),
            List.of()),
        new Row(
            "a TaskDefinition on another Cluster is a mismatch, writing nothing",
            in -> {
              in.taskDefinition.getSpec().clusterRef = new ObjectRef();
              in.taskDefinition.getSpec().clusterRef.name = "other";
            },
            "Degraded",
            "ClusterMismatch",
            null,
            List.of(),
            List.of("ClusterMismatch")),
        new Row(
            "a TaskDefinition without a revision yet waits",
            in -> in.backend.withRevisions(),
            "Progressing",
            "RevisionPending",
            null,
            List.of(),
            List.of()),
        new Row(
            "a pinned revision that does not exist is Degraded",
            in -> in.service.getSpec().taskDefinitionRef.revision = 7,
            "Degraded",
            "RevisionNotFound",
            null,
            List.of(),
            List.of("RevisionNotFound")),
        new Row(
            "a pinned revision that exists is the one applied",
            in -> in.service.getSpec().taskDefinitionRef.revision = 1,
            "Ready",
            "Running",
            null,
            List.of(1),
            List.of()),
        new Row(
            "what a revision waits for (a task role's ServiceAccount) is Progressing, no write",
            in ->
                in.backend.waitingFor(
                    new Problem("taskRoleRef", "TaskRoleNotFound", "TaskRole app has none yet")),
            "Progressing",
            "TaskRoleNotFound",
            null,
            List.of(),
            List.of()),
        new Row(
            "refusals of the backend are Degraded with their reason",
            in ->
                in.backend.onApply(
                    plan ->
                        new ServiceObservation(
                            null,
                            null,
                            null,
                            null,
                            null,
                            List.of(),
                            List.of(new Problem("spec", "NameConflict", "not ours")))),
            "Degraded",
            "NameConflict",
            null,
            List.of(2),
            List.of("NameConflict")),
        new Row(
            "a backend failure is Degraded and looked at again",
            in ->
                in.backend.onApply(
                    plan -> {
                      throw BackendFailure.callFailed("Throttled", "slow down", null);
                    }),
            "Degraded",
            "Throttled",
            ServiceReconciler.FAILURE_RETRY,
            List.of(2),
            List.of("Throttled")),
        new Row(
            "a backend wait is Progressing and looked at again when it asks",
            in ->
                in.backend.onApply(
                    plan -> {
                      throw BackendFailure.progressing(
                          "WaitingForRolePropagation", "IAM is slow", Duration.ofSeconds(42));
                    }),
            "Progressing",
            "WaitingForRolePropagation",
            Duration.ofSeconds(42),
            List.of(2),
            List.of()),
        new Row(
            "an invalid spec is Degraded before the backend is asked",
            in -> {
              // desiredCount outside autoscaling's range: the validator's cross-field rule
              in.service.getSpec().autoscaling = new Autoscaling();
              in.service.getSpec().autoscaling.minTasks = 1;
              in.service.getSpec().autoscaling.maxTasks = 3;
              in.service.getSpec().desiredCount = 5;
            },
            "Degraded",
            "InvalidSpec",
            null,
            List.of(),
            List.of("InvalidSpec")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    Inputs in = new Inputs();
    row.inputs().accept(in);
    List<String> events = new ArrayList<>();
    ServiceReconciler reconciler = reconciler(in, events, Clock.systemUTC());

    UpdateControl<EcsService> update = reconcile(reconciler, in);

    EcsServiceStatus status = update.getResource().orElseThrow().getStatus();
    assertThat(
            status.getConditions().stream()
                .filter(c -> "True".equals(c.getStatus()))
                .filter(c -> c.getType().equals(row.condition()))
                .map(c -> c.getReason()))
        .as("the %s condition's reason", row.condition())
        .containsExactly(row.reason());
    assertThat(update.getScheduleDelay())
        .as("requeue")
        .isEqualTo(
            row.requeue() == null
                ? java.util.Optional.empty()
                : java.util.Optional.of(row.requeue().toMillis()));
    assertThat(in.backend.applied().stream().map(p -> p.revision()).toList())
        .as("plans applied")
        .isEqualTo(row.writes());
    assertThat(events).as("events").isEqualTo(row.events());
  }

  /**
   * A reconciler on {@code in}'s backend, its Events into {@code events}, paced by {@code clock}.
   */
  private static ServiceReconciler reconciler(Inputs in, List<String> events, Clock clock) {
    return new ServiceReconciler(
        new BackendFactory(
            Map.of(
                BackendKind.KUBERNETES,
                new Backends(null, null, in.backend, null, null, null, null),
                BackendKind.ECS,
                new Backends(null, null, null, null, null, null, null))),
        new ReconcileMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
        new TenancyPolicies() {
          @Override
          public TenancyCeiling ceilingFor(String namespace) {
            return TenancyCeiling.builtIn(namespace);
          }
        },
        new SharedInformers(null),
        clock,
        ServiceReconciler.PROGRESS_INTERVAL) {
      @Override
      EventRecorder events(io.javaoperatorsdk.operator.api.reconciler.Context<EcsService> c) {
        return Recording.into(events);
      }
    };
  }

  private static UpdateControl<EcsService> reconcile(ServiceReconciler reconciler, Inputs in) {
    List<HasMetadata> secondaries = new ArrayList<>();
    secondaries.add(defaultCluster());
    if (in.taskDefinition != null) secondaries.add(in.taskDefinition);
    return reconciler.converge(in.service, FakeContext.of(in.service, secondaries));
  }

  // How a Service's status is written while its rollout moves (ProgressPacing): the same
  // reconciler, its clock moved between reconciles, the recorded status what the last patch wrote.

  private final ProgressPacingTest.MovableClock clock = new ProgressPacingTest.MovableClock();

  private static final List<StatusWarning> NOT_HONOURED =
      List.of(new StatusWarning("containerDefinitions[0].links", "NotHonoured", "no links"));

  /** A rollout of the planned revision with {@code running} of {@code desired} tasks ready. */
  private static java.util.function.Function<ServicePlan, ServiceObservation> rollingOut(
      int desired, int running) {
    return plan ->
        new ServiceObservation(
            desired,
            running,
            desired - running,
            plan.revision(),
            ServiceObservation.RolloutState.IN_PROGRESS,
            NOT_HONOURED,
            List.of());
  }

  private static java.util.function.Function<ServicePlan, ServiceObservation> completed(
      int desired) {
    return plan ->
        new ServiceObservation(
            desired,
            desired,
            0,
            plan.revision(),
            ServiceObservation.RolloutState.COMPLETED,
            NOT_HONOURED,
            List.of());
  }

  /** The reason of the condition of {@code type} that is True in {@code update}'s status patch. */
  private static String reasonWritten(UpdateControl<EcsService> update, String type) {
    assertThat(update.isPatchStatus()).as("a status patch").isTrue();
    return update.getResource().orElseThrow().getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type) && c.getStatus().equals("True"))
        .map(c -> c.getReason())
        .findFirst()
        .orElse(null);
  }

  @Test
  void aNewServiceWhoseRolloutEndsWithinTheIntervalGetsOneStatusReadyAtOnce() {
    Inputs in = new Inputs();
    in.service.setStatus(null);
    List<String> events = new ArrayList<>();
    ServiceReconciler reconciler = reconciler(in, events, clock);

    in.backend.onApply(rollingOut(2, 0));
    UpdateControl<EcsService> applied = reconcile(reconciler, in);
    assertThat(applied.isPatchStatus()).as("nothing new to say yet").isFalse();
    assertThat(applied.getScheduleDelay()).contains(ServiceReconciler.PROGRESS_INTERVAL.toMillis());
    clock.advance(Duration.ofSeconds(1));
    in.backend.onApply(rollingOut(2, 1));
    UpdateControl<EcsService> moving = reconcile(reconciler, in);
    assertThat(moving.isPatchStatus()).isFalse();
    assertThat(moving.getScheduleDelay())
        .as("the rest of the interval")
        .contains(ServiceReconciler.PROGRESS_INTERVAL.minusSeconds(1).toMillis());
    assertThat(events).as("warnings are told with the status that records them").isEmpty();

    clock.advance(Duration.ofSeconds(1));
    in.backend.onApply(completed(2));
    UpdateControl<EcsService> ready = reconcile(reconciler, in);

    assertThat(reasonWritten(ready, "Ready")).isEqualTo("Running");
    assertThat(ready.getScheduleDelay()).isEmpty();
    assertThat(ready.getResource().orElseThrow().getStatus().getWarnings()).isEqualTo(NOT_HONOURED);
    assertThat(events).containsExactly("FieldsNotHonoured");
  }

  @Test
  void aNewServiceWhoseRolloutTakesLongerGetsItsFirstStatusOneIntervalAfterItWasApplied() {
    Inputs in = new Inputs();
    in.service.setStatus(null);
    List<String> events = new ArrayList<>();
    ServiceReconciler reconciler = reconciler(in, events, clock);
    in.backend.onApply(rollingOut(2, 0));
    assertThat(reconcile(reconciler, in).isPatchStatus()).isFalse();

    clock.advance(ServiceReconciler.PROGRESS_INTERVAL);
    in.backend.onApply(rollingOut(2, 1));
    UpdateControl<EcsService> first = reconcile(reconciler, in);

    assertThat(reasonWritten(first, "Progressing")).isEqualTo("RollingOut");
    assertThat(first.getResource().orElseThrow().getStatus().runningCount).isEqualTo(1);
    assertThat(events).containsExactly("FieldsNotHonoured");

    // then counts alone wait for the interval after that write; Ready does not
    in.service.setStatus(first.getResource().orElseThrow().getStatus());
    clock.advance(Duration.ofSeconds(2));
    in.backend.onApply(rollingOut(3, 1));
    UpdateControl<EcsService> counts = reconcile(reconciler, in);
    assertThat(counts.isPatchStatus()).isFalse();
    assertThat(counts.getScheduleDelay())
        .contains(ServiceReconciler.PROGRESS_INTERVAL.minusSeconds(2).toMillis());
    in.backend.onApply(completed(3));
    assertThat(reasonWritten(reconcile(reconciler, in), "Ready")).isEqualTo("Running");
    assertThat(events).as("told once").containsExactly("FieldsNotHonoured");
  }

  @Test
  void aNewServiceWhoseTaskDefinitionIsNotCachedYetWaitsThenItsRolloutIsItsFirstStatus() {
    Inputs in = new Inputs();
    in.service.setStatus(null);
    in.taskDefinition = null;
    List<String> events = new ArrayList<>();
    ServiceReconciler reconciler = reconciler(in, events, clock);
    UpdateControl<EcsService> waiting = reconcile(reconciler, in);
    assertThat(waiting.isPatchStatus()).as("TaskDefinitionNotFound, held").isFalse();
    assertThat(waiting.getScheduleDelay()).contains(ServiceReconciler.PROGRESS_INTERVAL.toMillis());

    clock.advance(Duration.ofSeconds(2));
    in.taskDefinition = taskDefinition(VALID_TASK);
    in.backend.onApply(completed(2));
    UpdateControl<EcsService> ready = reconcile(reconciler, in);

    assertThat(reasonWritten(ready, "Ready")).isEqualTo("Running");
    assertThat(events).containsExactly("FieldsNotHonoured");
  }

  @Test
  void aNewServiceWhoseTaskDefinitionIsReallyMissingSaysSoAfterOneInterval() {
    Inputs in = new Inputs();
    in.service.setStatus(null);
    in.taskDefinition = null;
    ServiceReconciler reconciler = reconciler(in, new ArrayList<>(), clock);
    assertThat(reconcile(reconciler, in).isPatchStatus()).isFalse();

    clock.advance(ServiceReconciler.PROGRESS_INTERVAL);
    UpdateControl<EcsService> missing = reconcile(reconciler, in);

    assertThat(reasonWritten(missing, "Progressing")).isEqualTo("TaskDefinitionNotFound");
    // once a status is recorded, a change of reason is written at once
    in.service.setStatus(missing.getResource().orElseThrow().getStatus());
    clock.advance(Duration.ofSeconds(1));
    in.taskDefinition = taskDefinition(VALID_TASK);
    in.backend.onApply(rollingOut(2, 0));
    assertThat(reasonWritten(reconcile(reconciler, in), "Progressing")).isEqualTo("RollingOut");
  }

  @Test
  void aNewServiceThatIsDegradedSaysSoAtOnce() {
    Inputs in = new Inputs();
    in.service.setStatus(null);
    in.service.getSpec().taskDefinitionRef.revision = 7;
    ServiceReconciler reconciler = reconciler(in, new ArrayList<>(), clock);

    assertThat(reasonWritten(reconcile(reconciler, in), "Degraded")).isEqualTo("RevisionNotFound");
  }

  @Test
  void aBackendRecheckSoonerThanTheHoldIsKeptAndALaterOneGivesWayToIt() {
    Inputs in = new Inputs();
    in.service.setStatus(null);
    ServiceReconciler reconciler = reconciler(in, new ArrayList<>(), clock);
    in.backend.onApply(recheckingAfter(Duration.ofSeconds(2)));
    assertThat(reconcile(reconciler, in).getScheduleDelay()).contains(2000L);

    in.backend.onApply(recheckingAfter(Duration.ofSeconds(30)));
    assertThat(reconcile(reconciler, in).getScheduleDelay())
        .as("the held status is written when its interval ends")
        .contains(ServiceReconciler.PROGRESS_INTERVAL.toMillis());
  }

  @Test
  void aNewEcsServicesArnIsWrittenAtOnce() {
    Inputs in = new Inputs();
    in.service.setStatus(null);
    ServiceReconciler reconciler = reconciler(in, new ArrayList<>(), clock);
    in.backend.onApply(
        plan ->
            new ServiceObservation(
                2,
                0,
                0,
                plan.revision(),
                ServiceObservation.RolloutState.IN_PROGRESS,
                List.of(),
                List.of(),
                "arn:aws:ecs:eu-west-1:1:service/shop/web",
                null,
                List.of()));

    UpdateControl<EcsService> update = reconcile(reconciler, in);

    assertThat(reasonWritten(update, "Progressing")).isEqualTo("RollingOut");
    assertThat(update.getResource().orElseThrow().getStatus().serviceArn).isNotNull();
  }

  private static java.util.function.Function<ServicePlan, ServiceObservation> recheckingAfter(
      Duration recheck) {
    return plan ->
        new ServiceObservation(
            2,
            0,
            2,
            plan.revision(),
            ServiceObservation.RolloutState.IN_PROGRESS,
            List.of(),
            List.of(),
            null,
            recheck,
            List.of());
  }

  private static Cluster defaultCluster() {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("default").build());
    c.setSpec(new ClusterSpec());
    return c;
  }

  /**
   * Circuit breaker with rollback on, {@code stable} last ran well (of the same TaskDefinition).
   */
  private static void withRollback(EcsService service, int stable) {
    service.getSpec().deploymentConfiguration = new DeploymentConfiguration();
    service.getSpec().deploymentConfiguration.deploymentCircuitBreaker =
        new DeploymentCircuitBreaker();
    service.getSpec().deploymentConfiguration.deploymentCircuitBreaker.enable = true;
    service.getSpec().deploymentConfiguration.deploymentCircuitBreaker.rollback = true;
    service.getStatus().stableRevision = stable;
    service.getStatus().taskDefinitionUid = "uid-td";
  }

  private static EcsService service() {
    EcsService s = new EcsService();
    s.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("web")
            .withUid("uid-web")
            .withGeneration(1L)
            .build());
    s.setSpec(new EcsServiceSpec());
    s.getSpec().taskDefinitionRef = new TaskDefinitionRef();
    s.getSpec().taskDefinitionRef.name = "web";
    s.getSpec().desiredCount = 2;
    // not the first reconcile: a status exists
    s.setStatus(new EcsServiceStatus());
    return s;
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
    td.setStatus(new TaskDefinitionStatus());
    td.getStatus().setObservedGeneration(1L);
    return td;
  }
}
