package dev.tidewater.testground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.testing.AuditLog;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Proves the test ground is real: scheduling onto kwok nodes, readiness stages, the audit log. */
class TestGroundIT {

  private final TestGround ground = TestGround.get();
  private final KubernetesClient admin = ground.admin();
  private String ns;

  @BeforeEach
  void namespace() {
    ns = ground.createNamespace("ground");
  }

  @AfterEach
  void cleanUp() {
    ground.deleteNamespace(ns);
  }

  private static Deployment deployment(String name, int replicas, Map<String, String> annotations) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .addToAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage("public.ecr.aws/nginx/nginx:1.27")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private List<Pod> pods(String app) {
    return admin.pods().inNamespace(ns).withLabel("app", app).list().getItems();
  }

  @Test
  void deploymentPodsAreScheduledOntoKwokNodesAndRun() {
    admin.apps().deployments().inNamespace(ns).resource(deployment("web", 3, Map.of())).create();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Deployment d = admin.apps().deployments().inNamespace(ns).withName("web").get();
              assertThat(d.getStatus().getReadyReplicas()).isEqualTo(3);
            });
    Set<String> kwokNodes =
        admin.nodes().withLabel("type", "kwok").list().getItems().stream()
            .map(n -> n.getMetadata().getName())
            .collect(Collectors.toSet());
    assertThat(pods("web"))
        .hasSize(3)
        .allSatisfy(
            p -> {
              assertThat(p.getStatus().getPhase()).isEqualTo("Running");
              assertThat(kwokNodes).contains(p.getSpec().getNodeName());
              assertThat(p.getStatus().getPodIP()).isNotBlank();
            });
  }

  @Test
  void podWithTheTestAnnotationRunsButNeverBecomesReady() {
    admin
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(deployment("stuck", 1, Map.of("tidewater.dev/test-never-ready", "true")))
        .create();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(pods("stuck"))
                    .singleElement()
                    .satisfies(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running")));
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(pods("stuck"))
                  .singleElement()
                  .satisfies(
                      p ->
                          assertThat(p.getStatus().getConditions())
                              .anySatisfy(
                                  c -> {
                                    assertThat(c.getType()).isEqualTo("Ready");
                                    assertThat(c.getStatus()).isEqualTo("False");
                                  }));
              Deployment d = admin.apps().deployments().inNamespace(ns).withName("stuck").get();
              assertThat(d.getStatus().getReadyReplicas()).isNull();
            });
  }

  @Test
  void nodesCoverEveryPlacementTheBackendsTarget() {
    List<Node> nodes = admin.nodes().withLabel("type", "kwok").list().getItems();
    assertThat(nodes)
        .anySatisfy(
            n ->
                assertThat(n.getMetadata().getLabels())
                    .containsEntry("kubernetes.io/arch", "arm64"))
        .anySatisfy(
            n ->
                assertThat(n.getMetadata().getLabels())
                    .containsEntry("kubernetes.io/arch", "amd64"))
        .anySatisfy(
            n ->
                assertThat(n.getMetadata().getLabels())
                    .containsEntry("kubernetes.io/os", "windows"))
        .anySatisfy(
            n ->
                assertThat(n.getMetadata().getLabels())
                    .containsEntry("eks.amazonaws.com/compute-type", "fargate"))
        .anySatisfy(
            n ->
                assertThat(n.getMetadata().getLabels())
                    .containsEntry("eks.amazonaws.com/capacityType", "ON_DEMAND"))
        .anySatisfy(
            n ->
                assertThat(n.getStatus().getAllocatable())
                    .containsEntry("nvidia.com/gpu", new Quantity("4")));
    assertThat(nodes)
        .allSatisfy(
            n ->
                assertThat(n.getStatus().getConditions())
                    .anySatisfy(
                        c -> {
                          assertThat(c.getType()).isEqualTo("Ready");
                          assertThat(c.getStatus()).isEqualTo("True");
                        }));
  }

  @Test
  void writeCounterSeesExactlyTheOperatorsWrites() {
    AuditLog audit = ground.auditLog();
    KubernetesClient operator = ground.operator();
    AuditLog.Mark mark = audit.mark();

    // ServiceAccounts: the operator's credential is the chart's, which may write them (TaskRoles)
    var sa =
        new ServiceAccountBuilder()
            .withNewMetadata()
            .withName("counted")
            .withNamespace(ns)
            .endMetadata()
            .build();
    operator.serviceAccounts().inNamespace(ns).resource(sa).create();
    operator
        .serviceAccounts()
        .inNamespace(ns)
        .withName("counted")
        .edit(
            a ->
                new ServiceAccountBuilder(a)
                    .editMetadata()
                    .addToLabels("k", "v2")
                    .endMetadata()
                    .build());
    operator.serviceAccounts().inNamespace(ns).withName("counted").get(); // a read: not a write
    // the admin's writes are someone else's
    admin
        .serviceAccounts()
        .inNamespace(ns)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("not-counted")
                .endMetadata()
                .build())
        .create();
    operator.serviceAccounts().inNamespace(ns).withName("counted").delete();

    List<AuditLog.Write> writes = audit.writesSince(mark, ground.operatorUser());

    assertThat(writes)
        .extracting(w -> w.verb() + " " + w.resource() + " " + w.name())
        .containsExactlyInAnyOrder(
            "create serviceaccounts counted",
            "patch serviceaccounts counted",
            "delete serviceaccounts counted");
  }
}
