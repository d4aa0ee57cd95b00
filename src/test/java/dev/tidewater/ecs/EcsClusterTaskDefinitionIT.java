package dev.tidewater.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.controller.TaskDefinitionCleanupReconciler;
import dev.tidewater.testing.AuditLog;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.ExampleResource;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ClusterField;

/**
 * Cluster and TaskDefinition on the ecs backend, with the packaged operator against moto: the ECS
 * cluster and task-definition revisions it makes, counted by the operator's own AWS call counters.
 */
class EcsClusterTaskDefinitionIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final List<String> JVM_ARGS = List.of("-Dtidewater.resync-period=3s");
  private static OperatorProcess operator;
  private final EcsWorld world = new EcsWorld();
  private String ns;

  @BeforeAll
  static void start() {
    Crds.apply(admin);
    operator = OperatorProcess.start(ground, Map.of(), JVM_ARGS);
  }

  @AfterAll
  static void stop() {
    if (operator != null) operator.close();
  }

  @BeforeEach
  void namespace() {
    ns = ground.createNamespace("ecs-td");
  }

  @AfterEach
  void cleanUp() {
    ground.deleteNamespace(ns);
  }

  private static double calls(String api) {
    return operator.counter("tidewater_aws_calls_total", "api=\"" + api + "\"");
  }

  private static double reconciles(String kind) {
    return operator.counter("tidewater_reconciles_total", "kind=\"" + kind + "\"");
  }

  private void apply(String yaml) {
    Resources.apply(admin, yaml, ns);
  }

  private void apply(Map<String, Object> tree) {
    Resources.apply(admin, JSON.asYaml(tree), ns);
  }

  private Cluster cluster(String name) {
    return admin.resources(Cluster.class).inNamespace(ns).withName(name).get();
  }

  private TaskDefinition taskDefinition(String name) {
    return admin.resources(TaskDefinition.class).inNamespace(ns).withName(name).get();
  }

  private static Condition condition(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private void ecsCluster() {
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: ecs
          ecs:
            create: true
            capacityProviders: [FARGATE, FARGATE_SPOT]
            containerInsights: enabled
        """);
  }

  /** The example TaskDefinition without its TaskRole (another kind's backend) and overrides. */
  private Map<String, Object> example(String overrides) {
    Map<String, Object> tree = ExampleResource.with("taskdefinition", "spec.taskRoleRef: null");
    return ExampleResource.apply(tree, overrides);
  }

  private TaskDefinition awaitRevision(String name, int revision, long generation) {
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              TaskDefinition td = taskDefinition(name);
              assertThat(td.getStatus().getObservedGeneration()).isEqualTo(generation);
              assertThat(td.getStatus().revision).isEqualTo(revision);
              assertThat(condition(td.getStatus().getConditions(), "Ready").getStatus())
                  .isEqualTo("True");
            });
    return taskDefinition(name);
  }

  @Test
  void createTrueMakesTheEcsClusterOnceAndResyncsWriteNothing() {
    double creates = calls("Ecs:CreateCluster");
    ecsCluster();

    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> cluster("default").getStatus().clusterArn != null);
    Cluster cluster = cluster("default");
    var described =
        world
            .ecs()
            .describeClusters(r -> r.clusters(ns + "-default").include(ClusterField.TAGS))
            .clusters();
    assertThat(described)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.clusterArn()).isEqualTo(cluster.getStatus().clusterArn);
              assertThat(c.status()).isEqualTo("ACTIVE");
              assertThat(c.tags())
                  .anySatisfy(
                      t -> {
                        assertThat(t.key()).isEqualTo(AwsOwnership.OWNER_TAG);
                        assertThat(t.value()).isEqualTo("Cluster/" + ns + "/default");
                      });
            });
    assertThat(condition(cluster.getStatus().getConditions(), "Ready").getReason())
        .isEqualTo("EcsClusterReady");

    // three more resyncs (3 s each): each describes once, none writes to AWS or Kubernetes
    AuditLog audit = ground.auditLog();
    AuditLog.Mark mark = audit.mark();
    double before = reconciles("Cluster");
    double describes = calls("Ecs:DescribeClusters");
    await().atMost(Duration.ofSeconds(60)).until(() -> reconciles("Cluster") >= before + 3);
    double resyncs = reconciles("Cluster") - before;
    assertThat(calls("Ecs:CreateCluster") - creates).isEqualTo(1);
    assertThat(calls("Ecs:DescribeClusters") - describes).isLessThanOrEqualTo(resyncs + 1);
    assertThat(audit.writesSince(mark, ground.operatorUser()))
        .filteredOn(w -> ns.equals(w.namespace()))
        .isEmpty();
  }

  @Test
  void badClustersAndAwsErrorsAreConditionsAndEventsOnTheirOwnResourcesOnly() {
    ecsCluster();
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: existing
        spec:
          backend: ecs
          ecs:
            clusterName: nobody-made-this
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: keys
        spec:
          backend: ecs
          aws:
            credentialsSecretRef:
              name: aws-keys
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: nowhere
        spec:
          backend: ecs
          aws:
            endpoint: http://127.0.0.1:9
        """);
    apply(example("{metadata.name: keyless, spec.clusterRef: {name: keys}}"));
    apply(example("{metadata.name: lost, spec.clusterRef: {name: nowhere}}"));
    apply(example("{metadata.name: fine}"));

    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Condition missing =
                  condition(cluster("existing").getStatus().getConditions(), "Degraded");
              assertThat(missing.getStatus()).isEqualTo("True");
              assertThat(missing.getReason()).isEqualTo("EcsClusterNotFound");
              assertThat(missing.getMessage()).contains("spec.ecs.clusterName", "nobody-made-this");
              Condition keys = condition(cluster("keys").getStatus().getConditions(), "Degraded");
              // the chart's default RBAC reads no Secrets: the condition says how to allow it
              assertThat(keys.getReason()).isEqualTo("CredentialsSecretForbidden");
              assertThat(keys.getMessage())
                  .contains("spec.aws.credentialsSecretRef.name", "rbac.readSecrets=true");
              assertThat(
                      condition(cluster("nowhere").getStatus().getConditions(), "Degraded")
                          .getReason())
                  .isEqualTo("Unreachable");
              Condition keyless =
                  condition(taskDefinition("keyless").getStatus().getConditions(), "Degraded");
              assertThat(keyless.getReason()).isEqualTo("CredentialsSecretForbidden");
              assertThat(keyless.getMessage())
                  .contains("Cluster keys", "spec.aws.credentialsSecretRef.name");
              assertThat(
                      condition(taskDefinition("lost").getStatus().getConditions(), "Degraded")
                          .getReason())
                  .isEqualTo("Unreachable");
              assertThat(taskDefinition("fine").getStatus().taskDefinitionArn).isNotNull();
              assertThat(
                      admin.v1().events().inNamespace(ns).list().getItems().stream()
                          .filter(e -> "Warning".equals(e.getType()))
                          .map(e -> e.getInvolvedObject().getName() + "/" + e.getReason()))
                  .contains(
                      "existing/EcsClusterNotFound",
                      "keys/CredentialsSecretForbidden",
                      "nowhere/Unreachable",
                      "keyless/CredentialsSecretForbidden",
                      "lost/Unreachable");
            });
    assertThat(world.ecs().describeClusters(r -> r.clusters("nobody-made-this")).clusters())
        .isEmpty();
  }

  @Test
  void oneRevisionPerDistinctSpecAcrossReorderingRestartAndHistoryLimit() {
    ecsCluster();
    String family = ns + "_web";
    double registers = calls("Ecs:RegisterTaskDefinition");
    apply(example("spec.revisionHistoryLimit: 1"));

    TaskDefinition td = awaitRevision("web", 1, 1);
    assertThat(td.getStatus().family).isEqualTo(family);
    // held until its ECS revisions are deregistered (added before the first registration)
    assertThat(td.getMetadata().getFinalizers())
        .containsExactly(TaskDefinitionCleanupReconciler.FINALIZER);
    assertThat(td.getMetadata().getLabels()).containsEntry("tidewater.dev/cleanup", "true");
    assertThat(td.getStatus().taskDefinitionArn).endsWith(":task-definition/" + family + ":1");
    assertThat(td.getStatus().revisions)
        .singleElement()
        .satisfies(
            r -> assertThat(r.taskDefinitionArn).isEqualTo(td.getStatus().taskDefinitionArn));
    var described =
        world.ecs().describeTaskDefinition(r -> r.taskDefinition(family)).taskDefinition();
    assertThat(described.taskDefinitionArn()).isEqualTo(td.getStatus().taskDefinitionArn);
    assertThat(described.containerDefinitions()).hasSize(2);
    assertThat(world.tag(described.taskDefinitionArn(), AwsOwnership.OWNER_TAG))
        .isEqualTo("TaskDefinition/" + ns + "/web");
    assertThat(world.hashTag(described.taskDefinitionArn())).isEqualTo(td.getStatus().hash);
    assertThat(calls("Ecs:RegisterTaskDefinition") - registers).isEqualTo(1);

    // env reordered: a new generation, the same canonical spec, nothing registered
    apply(
        example(
            """
            spec.revisionHistoryLimit: 1
            spec.containerDefinitions[0].environment:
            - {name: ASSETS_BUCKET, value: example-assets}
            - {name: LOG_LEVEL, value: info}
            """));
    awaitRevision("web", 1, 2);
    assertThat(calls("Ecs:RegisterTaskDefinition") - registers).isEqualTo(1);

    // a restarted operator compares with the family in ECS and registers nothing
    operator.close();
    operator = OperatorProcess.start(ground, Map.of(), JVM_ARGS);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> calls("Ecs:ListTaskDefinitions") >= 1 && reconciles("TaskDefinition") >= 2);
    assertThat(calls("Ecs:RegisterTaskDefinition")).isZero();
    assertThat(world.revisions(family, "ACTIVE")).hasSize(1);
    assertThat(world.revisions(family, "INACTIVE")).isEmpty();

    // resyncs between drift passes read nothing from AWS and write nothing
    AuditLog audit = ground.auditLog();
    AuditLog.Mark mark = audit.mark();
    double reads = calls("Ecs:ListTaskDefinitions") + calls("Ecs:DescribeTaskDefinition");
    double before = reconciles("TaskDefinition");
    await().atMost(Duration.ofSeconds(60)).until(() -> reconciles("TaskDefinition") >= before + 2);
    assertThat(calls("Ecs:ListTaskDefinitions") + calls("Ecs:DescribeTaskDefinition"))
        .isEqualTo(reads);
    assertThat(audit.writesSince(mark, ground.operatorUser()))
        .filteredOn(w -> ns.equals(w.namespace()))
        .isEmpty();

    // two changes: one revision each; the oldest beyond the history limit (1) is deregistered
    apply(example("spec.revisionHistoryLimit: 1\nspec.containerDefinitions[0].image: nginx:2"));
    awaitRevision("web", 2, 3);
    apply(example("spec.revisionHistoryLimit: 1\nspec.containerDefinitions[0].image: nginx:3"));
    TaskDefinition third = awaitRevision("web", 3, 4);
    assertThat(calls("Ecs:RegisterTaskDefinition")).isEqualTo(2);
    assertThat(world.revisions(family, "INACTIVE")).containsExactly(family(family, 1));
    assertThat(world.revisions(family, "ACTIVE"))
        .containsExactlyInAnyOrder(family(family, 2), family(family, 3));
    assertThat(third.getStatus().revisions).extracting(r -> r.revision).containsExactly(2, 3);

    // deletionPolicy Delete (the default): no revision of ours stays ACTIVE
    admin.resources(TaskDefinition.class).inNamespace(ns).withName("web").delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> taskDefinition("web") == null);
    assertThat(world.revisions(family, "ACTIVE")).isEmpty();
  }

  private String family(String family, int revision) {
    return "arn:aws:ecs:us-east-1:123456789012:task-definition/" + family + ":" + revision;
  }

  @Test
  void retainLeavesTheRevisionsRegistered() {
    ecsCluster();
    String family = ns + "_kept";
    Map<String, Object> kept = example("{metadata.name: kept, spec.deletionPolicy: Retain}");
    apply(kept);
    awaitRevision("kept", 1, 1);

    admin.resources(TaskDefinition.class).inNamespace(ns).withName("kept").delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> taskDefinition("kept") == null);

    assertThat(world.revisions(family, "ACTIVE")).hasSize(1);
  }

  @Test
  void deletingTheNamespaceDeregistersTheRevisionsEvenWhenTheClusterGoesFirst() {
    ecsCluster();
    String family = ns + "_web";
    apply(example("{}"));
    awaitRevision("web", 1, 1);

    ground.deleteNamespace(ns);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> admin.namespaces().withName(ns).get() == null);
    assertThat(world.revisions(family, "ACTIVE")).isEmpty();
  }
}
