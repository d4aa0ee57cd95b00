package dev.tidewater.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Service's own ECS fields reach its workload on a real API server (issue 14): the health check
 * grace period as a startup probe, placement constraints and strategies as affinity and topology
 * spread that the scheduler honours on the kwok nodes (three amd64 nodes in zones a, b and c, one
 * arm64 node), and a managed EBS volume as a generic ephemeral volume whose claim the controller
 * manager creates.
 */
class ServiceFieldsIT {

  private static final String SERVICE_LABEL = "tidewater.dev/service";

  private static final String CLUSTER =
      """
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: Cluster
      metadata:
        name: default
      spec:
        backend: kubernetes
        storage:
          ebsStorageClass: ebs-gp3
          ebsStorageClassByVolumeType: {io2: ebs-io2}
      """;

  private static final String TASK_DEFINITION =
      """
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: TaskDefinition
      metadata:
        name: app
      spec:
        requiresCompatibilities: [EC2]
        containerDefinitions:
        - name: app
          image: public.ecr.aws/nginx/nginx:1.27
          memory: 128
          healthCheck: {command: [CMD-SHELL, "true"], interval: 30, retries: 3}
          mountPoints:
          - {sourceVolume: data, containerPath: /data}
        volumes:
        - {name: data, configuredAtLaunch: true}
      """;

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();

  @RegisterExtension
  static final OperatorOnGround onGround =
      new OperatorOnGround("svcfields", Map.of(), List.of("-Dtidewater.resync-period=3s"));

  private String ns;

  @BeforeEach
  void namespace() {
    ns = onGround.namespace();
    Resources.apply(admin, CLUSTER, ns);
    Resources.apply(admin, TASK_DEFINITION, ns);
  }

  /**
   * Applies the Service {@code web} running {@code app}, with spec fields indented by two spaces.
   */
  private void applyService(String fields) {
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: web
        spec:
          taskDefinitionRef: {name: app}
        """
            + fields,
        ns);
  }

  private List<Pod> pods() {
    return admin.pods().inNamespace(ns).withLabel(SERVICE_LABEL, "web").list().getItems();
  }

  @Test
  void placementAndGracePeriodShapeTheDeploymentAndTheScheduleHonoursThem() {
    applyService(
        """
          desiredCount: 3
          healthCheckGracePeriodSeconds: 300
          placementConstraints:
          - {type: memberOf, expression: "attribute:ecs.cpu-architecture == x86_64"}
          - {type: distinctInstance}
          placementStrategy:
          - {type: spread, field: "attribute:ecs.availability-zone"}
          - {type: binpack, field: memory}
        """);
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Deployment d = admin.apps().deployments().inNamespace(ns).withName("web").get();
              PodSpec pod = d.getSpec().getTemplate().getSpec();
              // ceil(300 / 30) + 3
              assertThat(pod.getContainers().get(0).getStartupProbe().getFailureThreshold())
                  .isEqualTo(13);
              assertThat(pod.getTopologySpreadConstraints())
                  .singleElement()
                  .satisfies(
                      c -> assertThat(c.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
              // three pods on the three amd64 nodes: arm64 is excluded, no two share a node
              List<Pod> pods = pods();
              assertThat(pods)
                  .hasSize(3)
                  .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
              assertThat(pods.stream().map(p -> p.getSpec().getNodeName()))
                  .containsExactlyInAnyOrder(
                      "kwok-ec2-amd64-a", "kwok-ec2-amd64-b", "kwok-ec2-amd64-c");
              EcsService s =
                  admin.resources(EcsService.class).inNamespace(ns).withName("web").get();
              assertThat(s.getStatus().getWarnings())
                  .extracting(StatusWarning::field, StatusWarning::reason)
                  .contains(tuple("placementStrategy[1]", "PlacementStrategyNotMapped"));
            });
  }

  @Test
  void aDaemonWithMemberOfRunsOnlyOnTheNodesItNames() {
    applyService(
        """
          schedulingStrategy: DAEMON
          placementConstraints:
          - type: memberOf
            expression: "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"
        """);
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(pods().stream().map(p -> p.getSpec().getNodeName()))
                    .containsExactlyInAnyOrder("kwok-ec2-amd64-a", "kwok-ec2-amd64-b"));
  }

  @Test
  void aManagedEbsVolumeIsAClaimPerPodFromTheClustersStorageClass() {
    applyService(
        """
          desiredCount: 1
          volumeConfigurations:
          - name: data
            managedEBSVolume:
              roleArn: "arn:aws:iam::123456789012:role/infra"
              sizeInGiB: 20
              volumeType: io2
              snapshotId: snap-0123456789abcdef0
        """);
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              // the ephemeral volume controller names the claim <pod>-<volume>
              List<Pod> pods = pods();
              assertThat(pods).hasSize(1);
              Pod pod = pods.get(0);
              PersistentVolumeClaim claim =
                  admin
                      .persistentVolumeClaims()
                      .inNamespace(ns)
                      .withName(pod.getMetadata().getName() + "-data")
                      .get();
              assertThat(claim.getSpec().getStorageClassName()).isEqualTo("ebs-io2");
              assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
              assertThat(claim.getSpec().getResources().getRequests())
                  .containsEntry("storage", new Quantity("20Gi"));
              EcsService s =
                  admin.resources(EcsService.class).inNamespace(ns).withName("web").get();
              assertThat(s.getStatus().getWarnings())
                  .extracting(StatusWarning::field, StatusWarning::reason)
                  .contains(
                      tuple(
                          "volumeConfigurations[0].managedEBSVolume.snapshotId",
                          "EbsVolumeSettingNotMapped"));
              assertThat(s.getStatus().getWarnings())
                  .extracting(StatusWarning::reason)
                  .doesNotContain("VolumeConfiguredAtLaunch");
            });
  }
}
