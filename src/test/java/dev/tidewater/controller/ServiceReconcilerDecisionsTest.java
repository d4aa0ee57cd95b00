package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
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
import dev.tidewater.backend.fake.FakeContext;
import dev.tidewater.backend.fake.FakeServiceBackend;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TenancyCeiling;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
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
    ServiceReconciler reconciler =
        new ServiceReconciler(
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
            new SharedInformers(null)) {
          @Override
          EventRecorder events(io.javaoperatorsdk.operator.api.reconciler.Context<EcsService> c) {
            return Recording.into(events);
          }
        };
    List<HasMetadata> secondaries = new ArrayList<>();
    secondaries.add(defaultCluster());
    if (in.taskDefinition != null) secondaries.add(in.taskDefinition);

    UpdateControl<EcsService> update =
        reconciler.reconcile(in.service, FakeContext.of(in.service, secondaries));

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
