package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
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
import dev.tidewater.backend.ServiceRemoval;
import dev.tidewater.backend.fake.FakeContext;
import dev.tidewater.backend.fake.FakeServiceBackend;
import dev.tidewater.backend.fake.FakeTaskDefinitionBackend;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deletion decisions of the Service and TaskDefinition cleanup controllers as data, against
 * fake backends for both places: the backend the Cluster selects removes what it runs; what another
 * backend ran (the Cluster moved, or went first) goes from where it was last seen; what nobody can
 * find is said in an Event; failures and waits keep the finalizer and requeue.
 */
class CleanupDecisionsTest {

  private static final YAMLMapper YAML = new YAMLMapper();

  /**
   * One deletion.
   *
   * @param inputs changes to the defaults (a resource on a kubernetes Cluster, no ECS side)
   * @param released whether the finalizer goes
   * @param requeue the requeue asked for, null for none
   * @param removals how often a backend removed something (where it runs, or where last seen)
   * @param events the reasons of the Events recorded
   */
  record Row(
      String name,
      Consumer<Inputs> inputs,
      boolean released,
      Duration requeue,
      int removals,
      List<String> events) {

    @Override
    public String toString() {
      return name;
    }
  }

  static final class Inputs {
    Cluster cluster = cluster();
    boolean clusterGone;
    EcsService service = service();
    TaskDefinition td = taskDefinition();
    FakeServiceBackend kubernetesServices = new FakeServiceBackend();
    FakeServiceBackend ecsServices = new FakeServiceBackend();
    FakeTaskDefinitionBackend kubernetesRevisions = new FakeTaskDefinitionBackend();
    FakeTaskDefinitionBackend ecsRevisions = new FakeTaskDefinitionBackend();

    Backends kubernetes() {
      return new Backends(null, kubernetesRevisions, kubernetesServices, null, null, null, null);
    }

    Backends ecs() {
      return new Backends(null, ecsRevisions, ecsServices, null, null, null, null);
    }

    void onEcs() {
      cluster.getSpec().backend = "ecs";
    }

    void gone() {
      clusterGone = true;
      ObjectRef ref = new ObjectRef();
      ref.name = "gone";
      service.getSpec().clusterRef = ref;
      td.getSpec().clusterRef = ref;
    }
  }

  static Stream<Row> serviceRows() {
    return Stream.of(
        new Row("a kubernetes Service goes with its children", in -> {}, true, null, 0, List.of()),
        new Row(
            "an ecs Service's ECS service is removed by the ecs backend",
            in -> {
              in.onEcs();
              in.ecsServices.outsideKubernetes(ServiceRemoval::complete);
            },
            true,
            null,
            1,
            List.of()),
        new Row(
            "an ECS service scaling down keeps the finalizer until it is gone",
            in -> {
              in.onEcs();
              in.ecsServices.outsideKubernetes(
                  () -> ServiceRemoval.waiting(Duration.ofSeconds(20), "draining"));
            },
            false,
            Duration.ofSeconds(20),
            1,
            List.of()),
        new Row(
            "a failure keeps the finalizer, warns and requeues",
            in -> {
              in.onEcs();
              in.ecsServices.outsideKubernetes(
                  () -> {
                    throw BackendFailure.callFailed("Throttled", "slow down", null);
                  });
            },
            false,
            ServiceReconciler.FAILURE_RETRY,
            1,
            List.of("Throttled")),
        new Row(
            "a Service moved to kubernetes: its ECS service goes from where it was last seen",
            in -> {
              in.service.getStatus().serviceArn = "arn:aws:ecs:eu-west-1:1:service/shop/web";
              in.ecsServices.lastSeen(ServiceRemoval.complete());
            },
            true,
            null,
            1,
            List.of()),
        new Row(
            "an ECS service nobody knows where to find is said to be left running",
            in -> in.service.getStatus().serviceArn = "arn:aws:ecs:eu-west-1:1:service/shop/web",
            true,
            null,
            0,
            List.of("ServiceLeftRunning")),
        new Row(
            "a Cluster that went first: every backend removes what it last saw",
            in -> {
              in.gone();
              in.ecsServices.lastSeen(ServiceRemoval.complete());
            },
            true,
            null,
            1,
            List.of()));
  }

  static Stream<Row> taskDefinitionRows() {
    return Stream.of(
        new Row(
            "kubernetes revisions go with their TaskDefinition",
            in -> {},
            true,
            null,
            0,
            List.of()),
        new Row(
            "ecs revisions are deregistered by the ecs backend",
            in -> {
              in.onEcs();
              in.ecsRevisions.outsideKubernetes(() -> {});
            },
            true,
            null,
            1,
            List.of()),
        new Row(
            "a failure keeps the finalizer, warns and requeues",
            in -> {
              in.onEcs();
              in.ecsRevisions.outsideKubernetes(
                  () -> {
                    throw BackendFailure.callFailed("AccessDenied", "no", null);
                  });
            },
            false,
            TaskDefinitionReconciler.FAILURE_RETRY,
            1,
            List.of("AccessDenied")),
        new Row(
            "a TaskDefinition moved to kubernetes: its ECS revisions go from where they were",
            in -> in.ecsRevisions.lastSeen(),
            true,
            null,
            1,
            List.of()),
        new Row(
            "ECS revisions nobody knows where to find are said to be left registered",
            in ->
                in.td.getStatus().taskDefinitionArn =
                    "arn:aws:ecs:eu-west-1:1:task-definition/web:1",
            true,
            null,
            0,
            List.of("RevisionsLeftRegistered")),
        new Row(
            "Retain keeps every revision and asks no backend",
            in -> {
              in.onEcs();
              in.ecsRevisions.outsideKubernetes(() -> {});
              in.td.getSpec().deletionPolicy = "Retain";
            },
            true,
            null,
            0,
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serviceRows")
  void serviceCleanupDecides(Row row) {
    Inputs in = new Inputs();
    row.inputs().accept(in);
    List<String> events = new ArrayList<>();
    ServiceCleanupReconciler cleanup =
        new ServiceCleanupReconciler(registry(in), new SharedInformers(null)) {
          @Override
          EventRecorder events(Context<EcsService> context) {
            return Recording.into(events);
          }
        };

    DeleteControl control =
        cleanup.cleanup(in.service, FakeContext.of(in.service, secondaries(in)));

    assertOutcome(
        row, control, in.kubernetesServices.removals() + in.ecsServices.removals(), events);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("taskDefinitionRows")
  void taskDefinitionCleanupDecides(Row row) {
    Inputs in = new Inputs();
    row.inputs().accept(in);
    List<String> events = new ArrayList<>();
    TaskDefinitionCleanupReconciler cleanup =
        new TaskDefinitionCleanupReconciler(registry(in), new SharedInformers(null)) {
          @Override
          EventRecorder events(Context<TaskDefinition> context) {
            return Recording.into(events);
          }
        };

    DeleteControl control = cleanup.cleanup(in.td, FakeContext.of(in.td, secondaries(in)));

    assertOutcome(
        row, control, in.kubernetesRevisions.deletions() + in.ecsRevisions.deletions(), events);
  }

  private static void assertOutcome(
      Row row, DeleteControl control, int removals, List<String> events) {
    assertThat(control.isRemoveFinalizer()).as("finalizer released").isEqualTo(row.released());
    assertThat(control.getScheduleDelay())
        .as("requeue")
        .isEqualTo(
            row.requeue() == null ? Optional.empty() : Optional.of(row.requeue().toMillis()));
    assertThat(removals).as("removals").isEqualTo(row.removals());
    assertThat(events).as("events").isEqualTo(row.events());
  }

  private static BackendFactory registry(Inputs in) {
    return new BackendFactory(
        Map.of(BackendKind.KUBERNETES, in.kubernetes(), BackendKind.ECS, in.ecs()));
  }

  private static List<HasMetadata> secondaries(Inputs in) {
    return in.clusterGone ? List.of() : List.of(in.cluster);
  }

  private static Cluster cluster() {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("default").build());
    c.setSpec(new ClusterSpec());
    return c;
  }

  private static EcsService service() {
    EcsService s = new EcsService();
    s.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("web").build());
    s.setSpec(new EcsServiceSpec());
    s.getSpec().taskDefinitionRef = new TaskDefinitionRef();
    s.getSpec().taskDefinitionRef.name = "web";
    s.setStatus(new EcsServiceStatus());
    return s;
  }

  private static TaskDefinition taskDefinition() {
    TaskDefinition td = new TaskDefinition();
    td.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("web").build());
    try {
      td.setSpec(
          YAML.readValue(
              "containerDefinitions:\n  - {name: app, image: nginx, memory: 256}\n",
              TaskDefinitionSpec.class));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    td.setStatus(new TaskDefinitionStatus());
    return td;
  }
}
