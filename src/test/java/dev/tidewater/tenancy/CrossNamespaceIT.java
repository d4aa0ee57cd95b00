package dev.tidewater.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsClientOptions;
import dev.tidewater.model.TidewaterLabels;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * What one namespace's resources may not reach, by the packaged operator: ServiceAccounts it did
 * not make, adoption the namespace's TenancyPolicy does not allow (issue 19, "no reach across
 * namespaces").
 */
class CrossNamespaceIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private static final String ACCOUNT = "123456789012";

  private static OperatorProcess operator;
  private static AwsClientFactory clients;
  private static IamClient iam;
  private static EcsClient ecs;
  private String ns;
  private final List<String> policies = new ArrayList<>();

  @BeforeAll
  static void start() {
    Crds.apply(admin);
    operator = OperatorProcess.start(ground, Map.of(), List.of("-Dtidewater.resync-period=3s"));
    clients =
        new AwsClientFactory(
            new AwsClientOptions(
                3, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(100), 100, 100),
            new AwsCallCounter());
    // the admin's keys: the objects another namespace's Tidewater would have made
    iam = clients.iam(ground.motoContext());
    ecs = clients.ecs(ground.motoContext());
  }

  @AfterAll
  static void stop() {
    if (operator != null) operator.close();
    if (clients != null) clients.close();
  }

  @BeforeEach
  void namespace() {
    ns = ground.createNamespace("xns");
  }

  @AfterEach
  void cleanUp() {
    policies.forEach(p -> admin.resources(TenancyPolicy.class).withName(p).delete());
    ground.deleteNamespace(ns);
  }

  // --- helpers --------------------------------------------------------------------------------

  private void apply(String yaml) {
    Resources.apply(admin, yaml, ns);
  }

  /** Policy lines granting the local AWS peer (moto behind the strict layer) as aws.endpoint. */
  private static final String LOCAL_ENDPOINT =
      "aws:\n  allowedEndpoints: [\"http://127.0.0.1:*\", \"http://localhost:*\"]";

  /** A TenancyPolicy governing this test's namespace alone, with {@code spec} (YAML lines). */
  private void policy(String spec) {
    String name = ns + "-policy";
    TenancyPolicy policy =
        YAML.unmarshal(
            """
            apiVersion: ecs.tidewater.dev/v1alpha1
            kind: TenancyPolicy
            metadata:
              name: %s
            spec:
              namespaces: [%s]
            %s
            """
                .formatted(name, ns, spec.indent(2)),
            TenancyPolicy.class);
    admin.resource(policy).fieldManager("tidewater-tests").forceConflicts().serverSideApply();
    policies.add(name);
  }

  private TaskRole taskRole(String name) {
    return admin.resources(TaskRole.class).inNamespace(ns).withName(name).get();
  }

  private TaskDefinition taskDefinition(String name) {
    return admin.resources(TaskDefinition.class).inNamespace(ns).withName(name).get();
  }

  private Condition awaitTaskDefinitionDegraded(String name, String reason) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              TaskDefinition td = taskDefinition(name);
              return td == null ? null : condition(td.getStatus(), "Degraded").orElse(null);
            },
            c -> c != null && "True".equals(c.getStatus()) && reason.equals(c.getReason()));
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
        """);
  }

  /** The minimal TaskDefinition {@code app} with {@code extra} spec lines. */
  private static String taskDefinitionWith(String extra) {
    return Resources.MINIMAL_TASK_DEFINITION + extra.indent(2);
  }

  /** Whether ECS has any revision of {@code family}. */
  private static boolean registered(String family) {
    return !ecs.listTaskDefinitions(r -> r.familyPrefix(family)).taskDefinitionArns().stream()
        .filter(a -> a.contains(":task-definition/" + family + ":"))
        .toList()
        .isEmpty();
  }

  private ServiceAccount serviceAccount(String name) {
    return admin.serviceAccounts().inNamespace(ns).withName(name).get();
  }

  private static Optional<Condition> condition(TidewaterStatus status, String type) {
    return status == null
        ? Optional.empty()
        : status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private Condition awaitDegraded(String name, String reason) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> condition(taskRole(name).getStatus(), "Degraded").orElse(null),
            c -> c != null && "True".equals(c.getStatus()) && reason.equals(c.getReason()));
  }

  private void awaitReady(String name) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                condition(taskRole(name).getStatus(), "Ready")
                    .map(c -> "True".equals(c.getStatus()))
                    .orElse(false));
  }

  private static String taskRole(String name, String spec) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskRole
        metadata:
          name: %s
        spec:
        %s
        """
        .formatted(name, spec.indent(2));
  }

  /** A ServiceAccount another tool made (kubectl, a chart): labelled and annotated by it. */
  private void foreignServiceAccount(String name) {
    admin
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .addToLabels("app.kubernetes.io/managed-by", "Helm")
                .endMetadata()
                .build())
        .fieldManager("helm")
        .serverSideApply();
  }

  // --- roles, families, secrets --------------------------------------------------------------

  @Test
  void aRoleTidewaterMadeForAnotherNamespaceIsRefusedNamingTheFieldAndItsNamespace() {
    // the role the operator made for TaskRole web of another namespace: its owner tags say so
    String other = ns + "-b";
    String roleName = other + "-web";
    String arn =
        iam.createRole(
                r ->
                    r.roleName(roleName)
                        .path("/tidewater/")
                        .assumeRolePolicyDocument(
                            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                + "\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},"
                                + "\"Action\":\"sts:AssumeRole\"}]}")
                        .tags(
                            software.amazon.awssdk.services.iam.model.Tag.builder()
                                .key("tidewater.dev/owner")
                                .value("TaskRole/" + other + "/web")
                                .build(),
                            software.amazon.awssdk.services.iam.model.Tag.builder()
                                .key("tidewater.dev/uid")
                                .value("7d1c0c6e-0000-4000-8000-000000000001")
                                .build()))
            .role()
            .arn();
    try {
      ecsCluster();
      apply(taskDefinitionWith("taskRoleArn: " + arn));

      Condition refused = awaitTaskDefinitionDegraded("app", "CrossNamespaceRole");
      assertThat(refused.getMessage())
          .contains("spec.taskRoleArn")
          .contains(arn)
          .contains("namespace " + other);
      assertThat(registered(ns + "-app")).as("nothing registered").isFalse();
      assertThat(Resources.events(admin, ns, "app", "CrossNamespaceRole")).isNotEmpty();
    } finally {
      iam.deleteRole(r -> r.roleName(roleName));
    }
  }

  @Test
  void aChosenFamilyNeedsThePolicyAndAnotherNamespacesFamilyIsNeverWrittenTo() {
    String family = "shared-" + ns;
    // the ground's policy lets every namespace choose families: this namespace's own says no
    policy(LOCAL_ENDPOINT + "\nallowFamily: false");
    ecsCluster();
    apply(taskDefinitionWith("family: " + family));

    Condition refused = awaitTaskDefinitionDegraded("app", "ForbiddenByTenancyPolicy");
    assertThat(refused.getMessage()).contains("spec.family").contains("TenancyPolicy " + ns);
    assertThat(registered(family)).isFalse();

    // another namespace's TaskDefinition registered in that family first
    String other = ns + "-b";
    ecs.registerTaskDefinition(
        r ->
            r.family(family)
                .containerDefinitions(
                    c -> c.name("app").image("public.ecr.aws/nginx/nginx:1.27").memory(128))
                .tags(
                    software.amazon.awssdk.services.ecs.model.Tag.builder()
                        .key("tidewater.dev/owner")
                        .value("TaskDefinition/" + other + "/app")
                        .build(),
                    software.amazon.awssdk.services.ecs.model.Tag.builder()
                        .key("tidewater.dev/uid")
                        .value("7d1c0c6e-0000-4000-8000-000000000002")
                        .build()));
    policy(LOCAL_ENDPOINT + "\nallowFamily: true\nallowAdopt: true");
    apply(taskDefinitionWith("family: " + family + "\nadopt: true"));

    Condition conflict = awaitTaskDefinitionDegraded("app", "NameConflict");
    assertThat(conflict.getMessage())
        .contains("family " + family)
        .contains("TaskDefinition/" + other + "/app");
    assertThat(
            ecs.listTaskDefinitions(r -> r.familyPrefix(family)).taskDefinitionArns().stream()
                .filter(a -> a.contains(":task-definition/" + family + ":"))
                .toList())
        .as("no revision of ours on top of theirs")
        .hasSize(1);
  }

  @Test
  void aSecretOutsideThePolicysPrefixesIsRefusedNamingTheFieldAndNothingIsRendered() {
    policy(
        """
        secrets:
          allowedSecretArnPrefixes:
          - "arn:aws:secretsmanager:us-east-1:%s:secret:{namespace}/"
        """
            .formatted(ACCOUNT));
    String theirs = "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:payments/db";
    apply(
        taskDefinitionWith(
                """
            executionRoleArn: arn:aws:iam::%s:role/ecsTaskExecutionRole
            """
                    .formatted(ACCOUNT))
            .replace(
                "    memory: 128\n",
                "    memory: 128\n    secrets:\n    - name: DB\n      valueFrom: "
                    + theirs
                    + "\n"));

    Condition refused = awaitTaskDefinitionDegraded("app", "ForbiddenByTenancyPolicy");
    assertThat(refused.getMessage())
        .contains("spec.containerDefinitions[0].secrets[0].valueFrom")
        .contains(theirs)
        .contains("TenancyPolicy " + ns + "-policy");
    assertThat(admin.apps().controllerRevisions().inNamespace(ns).list().getItems())
        .as("no revision, so no pod template and no ExternalSecret")
        .isEmpty();
  }

  // --- ServiceAccounts ------------------------------------------------------------------------

  @Test
  void aServiceAccountTheTaskRoleDidNotMakeIsANameConflictAndOutlivesTheTaskRole() {
    foreignServiceAccount("shared");
    apply(taskRole("web", "serviceAccountName: shared"));

    Condition degraded = awaitDegraded("web", "NameConflict");
    assertThat(degraded.getMessage())
        .contains("spec.serviceAccountName")
        .contains("ServiceAccount shared")
        .contains("helm");
    assertThat(Resources.events(admin, ns, "web", "NameConflict")).isNotEmpty();
    ServiceAccount sa = serviceAccount("shared");
    assertThat(sa.getMetadata().getOwnerReferences()).as("not taken over").isNullOrEmpty();
    assertThat(sa.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "Helm");

    admin.resources(TaskRole.class).inNamespace(ns).withName("web").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> taskRole("web") == null);
    // garbage collection would have taken an owned one by now; give it a resync's time
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(10))
        .until(() -> serviceAccount("shared") != null);
  }

  @Test
  void theDefaultServiceAccountIsNeverATaskRolesEvenWithAdopt() {
    policy("allowAdopt: true");
    apply(taskRole("default", "adopt: true"));

    Condition degraded = awaitDegraded("default", "NameConflict");
    assertThat(degraded.getMessage()).contains("metadata.name").contains("default");
    await().atMost(Duration.ofSeconds(10)).until(() -> serviceAccount("default") != null);
    assertThat(serviceAccount("default").getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(serviceAccount("default").getMetadata().getLabels()).isNullOrEmpty();
  }

  @Test
  void adoptIsRefusedUnlessTheNamespacesPolicyAllowsItAndAnAdoptedServiceAccountStays() {
    foreignServiceAccount("shared");
    // the ground's policy lets every namespace adopt: this namespace's own says no
    policy("allowAdopt: false");
    apply(taskRole("web", "serviceAccountName: shared\nadopt: true"));

    Condition refused = awaitDegraded("web", "ForbiddenByTenancyPolicy");
    assertThat(refused.getMessage()).contains("spec.adopt").contains("TenancyPolicy " + ns);
    assertThat(serviceAccount("shared").getMetadata().getOwnerReferences()).isNullOrEmpty();

    policy("allowAdopt: true");
    awaitReady("web");
    ServiceAccount sa = serviceAccount("shared");
    assertThat(sa.getMetadata().getOwnerReferences())
        .as("adopted, not owned: never garbage-collected with the TaskRole")
        .isNullOrEmpty();
    assertThat(sa.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "Helm");

    admin.resources(TaskRole.class).inNamespace(ns).withName("web").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> taskRole("web") == null);
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(10))
        .until(() -> serviceAccount("shared") != null);
  }

  @Test
  void tidewatersLabelSetByAnotherManagerDoesNotMakeAServiceAccountTidewaters() {
    // anyone who may write ServiceAccounts can set the label: it is no proof of ownership
    admin
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("squatted")
                .withNamespace(ns)
                .addToLabels(TidewaterLabels.MANAGED_BY, TidewaterLabels.MANAGED_BY_VALUE)
                .endMetadata()
                .build())
        .fieldManager("kubectl")
        .serverSideApply();
    apply(taskRole("web", "serviceAccountName: squatted"));

    Condition degraded = awaitDegraded("web", "NameConflict");
    assertThat(degraded.getMessage())
        .contains("spec.serviceAccountName")
        .contains("ServiceAccount squatted")
        .contains("kubectl");
    assertThat(serviceAccount("squatted").getMetadata().getOwnerReferences())
        .as("not taken over")
        .isNullOrEmpty();

    // adopt: true (the ground's policy allows it) uses it, still without owning it
    apply(taskRole("web", "serviceAccountName: squatted\nadopt: true"));
    awaitReady("web");
    assertThat(serviceAccount("squatted").getMetadata().getOwnerReferences())
        .as("adopted, not owned")
        .isNullOrEmpty();
  }
}
