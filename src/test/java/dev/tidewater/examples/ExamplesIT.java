package dev.tidewater.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker, GPU, DAEMON and task examples under {@code examples/<name>/}, applied as a user would
 * (with the namespace's {@code examples/cluster.yaml} where they use the default Cluster), run on
 * the kubernetes backend as their comments promise.
 */
class ExamplesIT {

  private static final Path EXAMPLES = Path.of("examples");
  private static final Duration READY = Duration.ofSeconds(90);

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();

  @RegisterExtension
  static final OperatorOnGround onGround =
      new OperatorOnGround("examples", Map.of(), List.of("-Dtidewater.resync-period=3s"));

  private String ns;

  @BeforeEach
  void namespace() {
    ns = onGround.namespace();
  }

  private void apply(String... files) {
    for (String f : files) {
      Resources.applyFile(admin, EXAMPLES.resolve(f), ns);
    }
  }

  private EcsService awaitReady(String name) {
    await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              EcsService s = admin.resources(EcsService.class).inNamespace(ns).withName(name).get();
              assertThat(s.getStatus()).as("status of %s", name).isNotNull();
              assertThat(s.getStatus().getConditions())
                  .as("conditions of %s", name)
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Ready");
                        assertThat(c.getStatus()).isEqualTo("True");
                      });
            });
    return admin.resources(EcsService.class).inNamespace(ns).withName(name).get();
  }

  private List<Pod> pods(String service) {
    return admin
        .pods()
        .inNamespace(ns)
        .withLabel("tidewater.dev/service", service)
        .list()
        .getItems();
  }

  @Test
  void workerScalesOnCpuAndMemoryBetweenOneAndTen() {
    apply("cluster.yaml", "worker/taskdefinition.yaml", "worker/service.yaml");

    EcsService worker = awaitReady("worker");
    assertThat(worker.getStatus().runningCount).isGreaterThanOrEqualTo(1);
    HorizontalPodAutoscaler hpa =
        admin
            .autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace(ns)
            .withName("worker")
            .get();
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(1);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
    assertThat(hpa.getSpec().getMetrics())
        .extracting(
            MetricSpec::getType,
            m -> m.getResource().getName(),
            m -> m.getResource().getTarget().getAverageUtilization())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Resource", "cpu", 70),
            org.assertj.core.groups.Tuple.tuple("Resource", "memory", 80));
    assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds())
        .isEqualTo(300);
    // the scale-out cooldown spaces scale-outs instead of delaying the first one
    assertThat(hpa.getSpec().getBehavior().getScaleUp().getStabilizationWindowSeconds()).isZero();
    assertThat(hpa.getSpec().getBehavior().getScaleUp().getPolicies())
        .allSatisfy(policy -> assertThat(policy.getPeriodSeconds()).isEqualTo(60));
    // no ports, EC2 capacity, amd64: never on Fargate, arm64 or Windows nodes
    assertThat(pods("worker"))
        .allSatisfy(
            p ->
                assertThat(p.getSpec().getNodeName())
                    .startsWith("kwok-")
                    .doesNotContain("fargate", "arm64", "windows"));
  }

  @Test
  void gpuInferenceRunsOnGpuNodesWithOneGpuEach() {
    apply("cluster.yaml", "gpu/taskdefinition.yaml", "gpu/service.yaml");

    EcsService inference = awaitReady("inference");
    assertThat(inference.getStatus().runningCount).isEqualTo(2);
    assertThat(pods("inference"))
        .hasSize(2)
        .allSatisfy(
            p -> {
              assertThat(p.getSpec().getNodeName()).contains("gpu");
              assertThat(p.getSpec().getContainers().get(0).getResources().getLimits())
                  .containsEntry("nvidia.com/gpu", new Quantity("1"));
            });
  }

  @Test
  void logShipperRunsOncePerEc2Node() {
    apply("daemon/cluster.yaml", "daemon/taskdefinition.yaml", "daemon/service.yaml");

    awaitReady("log-shipper");
    var daemonSet = admin.apps().daemonSets().inNamespace(ns).withName("log-shipper").get();
    assertThat(daemonSet).as("a DAEMON service is a DaemonSet").isNotNull();
    List<Pod> pods = pods("log-shipper");
    // one per schedulable node the task fits (no Fargate / GPU / Windows taints tolerated)
    assertThat(pods).isNotEmpty();
    assertThat(pods.stream().map(p -> p.getSpec().getNodeName()).distinct().count())
        .isEqualTo(pods.size());
    assertThat(pods.get(0).getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/var/log"));
  }

  private static Condition condition(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  @Test
  void migrationTaskSucceedsAndTheNightlyReportIsScheduledAtThreeInBerlin() {
    apply(
        "cluster.yaml",
        "tasks/taskdefinition.yaml",
        "tasks/migrate.yaml",
        "tasks/nightly-report.yaml");

    await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(500))
        // no status or condition yet
        .ignoreExceptionsInstanceOf(RuntimeException.class)
        .untilAsserted(
            () -> {
              Task t =
                  admin.resources(Task.class).inNamespace(ns).withName("migrate-2027-03-01").get();
              assertThat(condition(t.getStatus().getConditions(), "Succeeded").getStatus())
                  .isEqualTo("True");
              assertThat(condition(t.getStatus().getConditions(), "Ready").getReason())
                  .isEqualTo("Succeeded");
              assertThat(t.getStatus().tasks)
                  .singleElement()
                  .satisfies(
                      task -> {
                        assertThat(task.stopCode).isEqualTo("EssentialContainerExited");
                        assertThat(task.containers)
                            .singleElement()
                            .satisfies(
                                c -> {
                                  assertThat(c.name).isEqualTo("app");
                                  assertThat(c.exitCode).isZero();
                                });
                      });
            });
    Job job = admin.batch().v1().jobs().inNamespace(ns).withName("migrate-2027-03-01").get();
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getArgs())
        .containsExactly("python", "manage.py", "migrate", "--noinput");
    // a Fargate task on the Cluster's Fargate capacity
    assertThat(pod.getNodeSelector()).containsEntry("eks.amazonaws.com/compute-type", "fargate");

    await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(500))
        // no status or condition yet
        .ignoreExceptionsInstanceOf(RuntimeException.class)
        .untilAsserted(
            () -> {
              ScheduledTask s =
                  admin
                      .resources(ScheduledTask.class)
                      .inNamespace(ns)
                      .withName("nightly-report")
                      .get();
              assertThat(s.getStatus().state).isEqualTo("Active");
              assertThat(condition(s.getStatus().getConditions(), "Ready").getReason())
                  .isEqualTo("Scheduled");
              assertThat(s.getStatus().cronJobSchedule).isEqualTo("0 3 * * *");
              assertThat(s.getStatus().cronJobTimeZone).isEqualTo("Europe/Berlin");
              assertThat(s.getStatus().nextRunTime).isNotNull();
            });
    CronJob cronJob =
        admin.batch().v1().cronjobs().inNamespace(ns).withName("nightly-report").get();
    assertThat(cronJob.getSpec().getSuspend()).isFalse();
    assertThat(
            cronJob
                .getSpec()
                .getJobTemplate()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs())
        .containsExactly("python", "manage.py", "sales_report", "--day", "yesterday");
  }
}
