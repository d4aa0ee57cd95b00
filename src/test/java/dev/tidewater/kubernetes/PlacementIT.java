package dev.tidewater.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pods of the kubernetes backend land on the kwok nodes the task asks for (ARM64, GPU, Fargate,
 * Windows, every untainted node for a daemon), a PodDisruptionBudget follows minimumHealthyPercent,
 * and what cannot be honoured shows up in the Service's status.
 */
class PlacementIT {

  private static final String SERVICE_LABEL = "tidewater.dev/service";

  // The Cluster of every test: the test ground's taints tolerated per kind of capacity, as an
  // EKS cluster with Fargate profiles, GPU and Windows node groups would be set up.
  private static final String CLUSTER =
      """
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: Cluster
      metadata:
        name: default
      spec:
        backend: kubernetes
        placement:
          fargate:
            nodeSelector: {eks.amazonaws.com/compute-type: fargate}
            tolerations:
            - {key: eks.amazonaws.com/compute-type, value: fargate, effect: NoSchedule}
          gpu:
            tolerations:
            - {key: nvidia.com/gpu, effect: NoSchedule}
          windows:
            tolerations:
            - {key: os, value: windows, effect: NoSchedule}
      """;

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();

  @RegisterExtension
  static final OperatorOnGround onGround =
      new OperatorOnGround("placement", Map.of(), List.of("-Dtidewater.resync-period=3s"));

  private String ns;

  @BeforeEach
  void namespace() {
    ns = onGround.namespace();
    apply(CLUSTER);
  }

  private void apply(String yaml) {
    Resources.apply(admin, yaml, ns);
  }

  /** A TaskDefinition {@code app} of one nginx container with extra task and container fields. */
  private static String taskDefinition(String taskFields, String containerFields) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: app
        spec:
        %s
          containerDefinitions:
          - name: app
            image: public.ecr.aws/nginx/nginx:1.27
            memory: 256
        %s
        """
        .formatted(indent(taskFields, 2), indent(containerFields, 4));
  }

  private static String indent(String fields, int spaces) {
    String pad = " ".repeat(spaces);
    return fields
        .stripIndent()
        .lines()
        .filter(l -> !l.isBlank())
        .map(l -> pad + l)
        .collect(Collectors.joining("\n"));
  }

  /** A Service {@code web} running the latest revision of {@code app}, with extra spec fields. */
  private static String service(String fields) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: web
        spec:
          taskDefinitionRef: {name: app}
        %s
        """
        .formatted(indent(fields, 2));
  }

  private List<Pod> pods() {
    return admin.pods().inNamespace(ns).withLabel(SERVICE_LABEL, "web").list().getItems();
  }

  private EcsService webService() {
    return admin.resources(EcsService.class).inNamespace(ns).withName("web").get();
  }

  /** Waits until {@code count} pods of {@code web} run, and checks each. */
  private void awaitRunningPods(int count, Consumer<Pod> check) {
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(pods())
                    .hasSize(count)
                    .allSatisfy(
                        p -> {
                          assertThat(p.getStatus().getPhase()).isEqualTo("Running");
                          check.accept(p);
                        }));
  }

  @Test
  void arm64TasksRunOnTheArm64Node() {
    apply(
        taskDefinition(
            """
            requiresCompatibilities: [EC2]
            runtimePlatform: {cpuArchitecture: ARM64, operatingSystemFamily: LINUX}
            """,
            ""));
    apply(service("desiredCount: 2"));
    awaitRunningPods(2, p -> assertThat(p.getSpec().getNodeName()).isEqualTo("kwok-ec2-arm64-1"));
  }

  @Test
  void gpuTasksRunOnTheGpuNodeWithTheirGpuLimit() {
    apply(
        taskDefinition(
            "requiresCompatibilities: [EC2]",
            """
            resourceRequirements:
            - {type: GPU, value: "1"}
            """));
    apply(service("desiredCount: 1"));
    awaitRunningPods(
        1,
        p -> {
          assertThat(p.getSpec().getNodeName()).isEqualTo("kwok-gpu-1");
          assertThat(p.getSpec().getContainers().get(0).getResources().getLimits())
              .containsEntry("nvidia.com/gpu", new Quantity("1"));
        });
  }

  @Test
  void fargateTasksRunOnFargateNodes() {
    apply(
        taskDefinition(
            """
            requiresCompatibilities: [FARGATE]
            networkMode: awsvpc
            cpu: "256"
            memory: "512"
            """,
            ""));
    apply(service("desiredCount: 2"));
    awaitRunningPods(2, p -> assertThat(p.getSpec().getNodeName()).startsWith("kwok-fargate-"));
  }

  @Test
  void windowsTasksRunOnTheWindowsNode() {
    apply(
        taskDefinition(
            """
            requiresCompatibilities: [EC2]
            runtimePlatform:
              cpuArchitecture: X86_64
              operatingSystemFamily: WINDOWS_SERVER_2022_CORE
            """,
            ""));
    apply(service("desiredCount: 1"));
    awaitRunningPods(1, p -> assertThat(p.getSpec().getNodeName()).isEqualTo("kwok-windows-1"));
  }

  @Test
  void daemonServicesRunOnePodOnEveryUntaintedNode() {
    Set<String> untainted =
        admin.nodes().list().getItems().stream()
            .filter(n -> n.getSpec().getTaints() == null || n.getSpec().getTaints().isEmpty())
            .map(n -> n.getMetadata().getName())
            .collect(Collectors.toSet());
    assertThat(untainted).as("untainted kwok nodes").hasSizeGreaterThanOrEqualTo(2);
    apply(taskDefinition("requiresCompatibilities: [EC2]", ""));
    apply(service("schedulingStrategy: DAEMON"));

    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              DaemonSet ds = admin.apps().daemonSets().inNamespace(ns).withName("web").get();
              assertThat(ds).isNotNull();
              assertThat(admin.apps().deployments().inNamespace(ns).withName("web").get()).isNull();
              List<Pod> pods = pods();
              assertThat(pods)
                  .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
              assertThat(pods.stream().map(p -> p.getSpec().getNodeName()).toList())
                  .containsExactlyInAnyOrderElementsOf(untainted);
              EcsService s = webService();
              assertThat(s.getStatus().runningCount).isEqualTo(untainted.size());
              assertThat(s.getStatus().rolloutState).isEqualTo("COMPLETED");
            });
  }

  @Test
  void aDisruptionBudgetExistsOnlyWhileMinimumHealthyPercentIsBelow100() {
    apply(taskDefinition("requiresCompatibilities: [EC2]", ""));
    apply(
        service(
            """
            desiredCount: 2
            deploymentConfiguration: {minimumHealthyPercent: 50}
            """));
    awaitPdb("50%"); // minAvailable = minimumHealthyPercent, rounded up as ECS rounds it

    apply(
        service(
            """
            desiredCount: 2
            deploymentConfiguration: {minimumHealthyPercent: 100}
            """));
    awaitNoPdb();

    apply(
        service(
            """
            desiredCount: 2
            deploymentConfiguration: {minimumHealthyPercent: 75}
            """));
    // ECS keeps ceil(2 x 75 %) = 2 of 2: a budget keeping both would block every drain
    awaitPdbOnePodAtATime();

    apply(
        service(
            """
            desiredCount: 4
            deploymentConfiguration: {minimumHealthyPercent: 75}
            """));
    awaitPdb("75%");

    apply(service("desiredCount: 2"));
    awaitNoPdb();
  }

  private PodDisruptionBudget pdb() {
    return admin.policy().v1().podDisruptionBudget().inNamespace(ns).withName("web").get();
  }

  private void awaitPdb(String minAvailable) {
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              PodDisruptionBudget pdb = pdb();
              assertThat(pdb).isNotNull();
              assertThat(pdb.getSpec().getMinAvailable().getStrVal()).isEqualTo(minAvailable);
              assertThat(pdb.getSpec().getMaxUnavailable()).isNull();
              assertThat(pdb.getSpec().getSelector().getMatchLabels())
                  .containsEntry(SERVICE_LABEL, "web");
            });
  }

  private void awaitPdbOnePodAtATime() {
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              PodDisruptionBudget pdb = pdb();
              assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
              assertThat(pdb.getSpec().getMinAvailable()).isNull();
            });
  }

  private void awaitNoPdb() {
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(pdb()).isNull());
  }

  @Test
  void aFieldThatCannotBeHonouredIsAStatusWarningAndTheTaskStillRuns() {
    apply(
        taskDefinition(
            "requiresCompatibilities: [EC2]",
            """
            ulimits:
            - {name: nofile, softLimit: 1024, hardLimit: 4096}
            """));
    apply(service("desiredCount: 1"));
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              EcsService s = webService();
              assertThat(s.getStatus()).isNotNull();
              assertThat(s.getStatus().getWarnings())
                  .extracting(StatusWarning::field, StatusWarning::reason)
                  .contains(tuple("containerDefinitions[app].ulimits", "UlimitsNotMapped"));
              assertThat(s.getStatus().runningCount).isEqualTo(1);
            });
  }
}
