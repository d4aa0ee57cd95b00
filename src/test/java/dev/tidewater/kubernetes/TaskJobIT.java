package dev.tidewater.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.task.ContainerRunStatus;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tasks on the kubernetes backend, on the real control plane (its Job controller) with kwok
 * deciding how containers end: the test ground's stages end a Job pod's containers with exit 0, or
 * with the code of the task's Docker label {@code tidewater-test-exit-code}, or keep it running
 * with {@code tidewater-test-keep-running} (hack/testground/stages.yaml).
 */
class TaskJobIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();

  @RegisterExtension
  static final OperatorOnGround onGround =
      new OperatorOnGround("task", Map.of(), List.of("-Dtidewater.resync-period=5s"));

  private String ns;

  @BeforeEach
  void namespace() {
    ns = onGround.namespace();
  }

  private void apply(String yaml) {
    Resources.apply(admin, yaml, ns);
  }

  private Task task(String name) {
    return admin.resources(Task.class).inNamespace(ns).withName(name).get();
  }

  private Job job(String name) {
    return admin.batch().v1().jobs().inNamespace(ns).withName(name).get();
  }

  private static Condition condition(Task t, String type) {
    return t.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  /** A TaskDefinition {@code name} with {@code containers} (YAML list items, indented). */
  private void taskDefinition(String name, String containers) {
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: %s
        spec:
          cpu: "256"
          memory: "512"
          containerDefinitions:
        %s"""
            .formatted(name, containers));
  }

  private void runTask(String name, String taskDefinition, int count) {
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Task
        metadata:
          name: %s
        spec:
          taskDefinitionRef:
            name: %s
          count: %d
        """
            .formatted(name, taskDefinition, count));
  }

  @Test
  void aTaskOfCountThreeRunsAsAJobAndReportsEachTasksExitCode() {
    taskDefinition(
        "migrate",
        """
          - name: migrate
            image: registry.example/migrate:1
            command: [./migrate, up]
        """);
    runTask("migrate-1", "migrate", 3);

    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreException(NullPointerException.class)
        .untilAsserted(
            () -> {
              Task t = task("migrate-1");
              assertThat(t.getStatus().tasks).hasSize(3);
              assertThat(t.getStatus().tasks)
                  .allSatisfy(
                      run -> {
                        assertThat(run.lastStatus).isEqualTo("STOPPED");
                        assertThat(run.stopCode).isEqualTo("EssentialContainerExited");
                        assertThat(run.containers)
                            .singleElement()
                            .satisfies(
                                c -> {
                                  assertThat(c.name).isEqualTo("migrate");
                                  assertThat(c.exitCode).isZero();
                                });
                      });
              assertThat(t.getStatus().stopped).isEqualTo(3);
              assertThat(condition(t, "Succeeded").getStatus()).isEqualTo("True");
              assertThat(condition(t, "Failed").getStatus()).isEqualTo("False");
              assertThat(condition(t, "Running").getStatus()).isEqualTo("False");
              assertThat(condition(t, "Ready").getReason()).isEqualTo("Succeeded");
            });
    Job job = job("migrate-1");
    assertThat(job.getSpec().getCompletions()).isEqualTo(3);
    assertThat(job.getSpec().getParallelism()).isEqualTo(3);
    assertThat(job.getSpec().getBackoffLimitPerIndex()).isZero();
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(task("migrate-1").getStatus().jobName).isEqualTo("migrate-1");
  }

  @Test
  void anEssentialContainerExitingOneStopsTheTaskAndItsSidecar() {
    taskDefinition(
        "report",
        """
          - name: report
            image: registry.example/report:1
            dockerLabels:
              tidewater-test-exit-code: "1"
          - name: log-shipper
            image: registry.example/shipper:1
            essential: false
        """);
    runTask("report-1", "report", 1);

    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreException(NullPointerException.class)
        .untilAsserted(
            () -> {
              Task t = task("report-1");
              TaskRunStatus run = t.getStatus().tasks.get(0);
              assertThat(run.lastStatus).isEqualTo("STOPPED");
              assertThat(run.stopCode).isEqualTo("EssentialContainerExited");
              assertThat(run.stoppedReason).isEqualTo("Essential container in task exited");
              assertThat(run.containers)
                  .extracting(c -> c.name, c -> c.lastStatus, c -> c.exitCode)
                  .contains(
                      org.assertj.core.groups.Tuple.tuple("report", "STOPPED", 1),
                      org.assertj.core.groups.Tuple.tuple("log-shipper", "STOPPED", 0));
              assertThat(condition(t, "Failed").getStatus()).isEqualTo("True");
              assertThat(condition(t, "Failed").getReason()).isEqualTo("EssentialContainerExited");
              assertThat(condition(t, "Failed").getMessage()).contains("report exited with 1");
              assertThat(condition(t, "Succeeded").getStatus()).isEqualTo("False");
            });
    // the non-essential container ran as a native sidecar: the kubelet stops it with the task
    List<Container> init = job("report-1").getSpec().getTemplate().getSpec().getInitContainers();
    assertThat(init)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getName()).isEqualTo("log-shipper");
              assertThat(c.getRestartPolicy()).isEqualTo("Always");
            });
    assertThat(Resources.events(admin, ns, "report-1", "EssentialContainerExited")).isNotEmpty();
  }

  @Test
  void deletingARunningTaskStopsItsTasks() {
    taskDefinition(
        "worker",
        """
          - name: worker
            image: registry.example/worker:1
            dockerLabels:
              tidewater-test-keep-running: "true"
        """);
    runTask("worker-1", "worker", 2);
    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreException(NullPointerException.class)
        .untilAsserted(
            () -> {
              Task t = task("worker-1");
              assertThat(t.getStatus().running).isEqualTo(2);
              assertThat(condition(t, "Running").getStatus()).isEqualTo("True");
              assertThat(t.getStatus().tasks)
                  .flatExtracting(r -> r.containers)
                  .extracting((ContainerRunStatus c) -> c.lastStatus)
                  .containsOnly("RUNNING");
            });

    admin.resources(Task.class).inNamespace(ns).withName("worker-1").delete();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(task("worker-1")).isNull();
              assertThat(job("worker-1")).isNull();
              assertThat(
                      admin
                          .pods()
                          .inNamespace(ns)
                          .withLabel("tidewater.dev/task")
                          .list()
                          .getItems())
                  .isEmpty();
            });
  }
}
