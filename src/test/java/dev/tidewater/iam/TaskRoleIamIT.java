package dev.tidewater.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsClientOptions;
import dev.tidewater.testing.AuditLog;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * TaskRoles as IAM roles in moto, by the packaged operator: IRSA and ECS trust, inline and managed
 * policies following the spec, the annotated ServiceAccount a Service's pods run under, deletion
 * policies, guardrail refusals, name conflicts, and no writes when nothing changed.
 */
class TaskRoleIamIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/TIDEWATERIT";
  private static final String OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/" + ISSUER;
  private static final String READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
  private static final String S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
  private static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

  /** Every Cluster here sets one: the operator makes IAM roles only with a boundary. */
  static final String BOUNDARY = "arn:aws:iam::123456789012:policy/tidewater/boundaries/tasks";

  private static final List<String> IAM_WRITES =
      List.of("Create", "Put", "Attach", "Update", "Delete", "Detach", "Tag", "Untag");

  private static OperatorProcess operator;
  private static AwsClientFactory clients;
  private static IamClient iam;
  private String ns;

  @BeforeAll
  static void start() {
    Crds.apply(admin);
    // resyncs every 3 s and an IAM drift pass on each: the no-write check sees IAM compared
    operator =
        OperatorProcess.start(
            ground,
            Map.of(),
            List.of("-Dtidewater.resync-period=3s", "-Dtidewater.aws.iam-drift-period=1s"));
    clients =
        new AwsClientFactory(
            new AwsClientOptions(
                3, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(100), 100, 100),
            new AwsCallCounter());
    iam = clients.iam(ground.motoContext());
    // IAM refuses a federated principal whose provider does not exist; moto may not, AWS does
    boolean exists =
        iam.listOpenIDConnectProviders().openIDConnectProviderList().stream()
            .anyMatch(p -> OIDC_ARN.equals(p.arn()));
    if (!exists) {
      iam.createOpenIDConnectProvider(
          r ->
              r.url("https://" + ISSUER)
                  .clientIDList("sts.amazonaws.com")
                  .thumbprintList("9e99a48a9960b14926bb7f3b02e22da2b0ab7280"));
    }
  }

  @AfterAll
  static void stop() {
    if (operator != null) operator.close();
    if (clients != null) clients.close();
  }

  @BeforeEach
  void namespace() {
    ns = ground.createNamespace("iam");
  }

  @AfterEach
  void cleanUp() {
    ground.deleteNamespace(ns);
  }

  // --- resources ------------------------------------------------------------------------------

  private void apply(String yaml) {
    Resources.apply(admin, yaml, ns);
  }

  private static String irsaCluster() {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: kubernetes
          aws:
            region: us-east-1
          eks:
            identity: irsa
            oidcProviderArn: %s
          guardrails:
            allowedManagedPolicyArns:
            - arn:aws:iam::aws:policy/ReadOnlyAccess
            - arn:aws:iam::aws:policy/AmazonS3*
            rolePath: /tidewater/
            permissionsBoundaryArn: %s
        """
        .formatted(OIDC_ARN, BOUNDARY);
  }

  private static String taskRole(String name, String extra, String inline, String managed) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskRole
        metadata:
          name: %s
        spec:
          description: web tasks read their assets
          maxSessionDurationSeconds: 7200
          tags:
          - {key: team, value: web}
          inlinePolicies:
        %s
          managedPolicyArns:
        %s
        %s
        """
        .formatted(name, inline, managed, extra);
  }

  private static final String READ_ASSETS =
      String.join(
          "\n",
          "  - name: read-assets",
          "    document:",
          "      Version: \"2012-10-17\"",
          "      Statement:",
          "      - Effect: Allow",
          "        Action: [\"s3:GetObject\"]",
          "        Resource: [\"arn:aws:s3:::example-assets/web/*\"]");
  // a single statement and single values, as people write them: IAM returns them as lists
  private static final String SEND_QUEUE =
      String.join(
          "\n",
          "  - name: send-queue",
          "    document:",
          "      Version: \"2012-10-17\"",
          "      Statement:",
          "        Effect: Allow",
          "        Action: sqs:SendMessage",
          "        Resource: '*'");

  private TaskRole taskRole(String name) {
    return admin.resources(TaskRole.class).inNamespace(ns).withName(name).get();
  }

  private String roleName(String taskRole) {
    return ns + "_" + taskRole;
  }

  private Optional<Role> role(String taskRole) {
    try {
      return Optional.of(iam.getRole(r -> r.roleName(roleName(taskRole))).role());
    } catch (NoSuchEntityException e) {
      return Optional.empty();
    }
  }

  private static Optional<Condition> condition(TaskRole role, String type) {
    if (role == null || role.getStatus() == null) return Optional.empty();
    return role.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  private TaskRole awaitReady(String name) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              TaskRole role = taskRole(name);
              assertThat(condition(role, "Ready"))
                  .as("Ready of TaskRole %s: %s", name, role == null ? null : role.getStatus())
                  .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
              assertThat(role.getStatus().roleArn).isNotBlank();
            });
    return taskRole(name);
  }

  private static JsonNode parse(String urlEncoded) throws Exception {
    return JSON.readTree(URLDecoder.decode(urlEncoded, StandardCharsets.UTF_8));
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  private Map<String, String> tags(String taskRole) {
    return iam.listRoleTags(r -> r.roleName(roleName(taskRole))).tags().stream()
        .collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b, TreeMap::new));
  }

  private List<String> inlinePolicies(String taskRole) {
    return iam.listRolePolicies(r -> r.roleName(roleName(taskRole))).policyNames();
  }

  private List<String> managedPolicies(String taskRole) {
    return iam
        .listAttachedRolePolicies(r -> r.roleName(roleName(taskRole)))
        .attachedPolicies()
        .stream()
        .map(AttachedPolicy::policyArn)
        .sorted()
        .toList();
  }

  private double iamWriteCalls() {
    return IAM_WRITES.stream()
        .mapToDouble(w -> operator.counter("tidewater_aws_calls_total", "api=\"Iam:" + w))
        .sum();
  }

  // --- tests ----------------------------------------------------------------------------------

  @Test
  void irsaRoleTrustsExactlyTheServiceAccountFollowsThePolicesAndIsDeleted() throws Exception {
    apply(irsaCluster());
    apply(
        taskRole(
            "web", "", READ_ASSETS + "\n" + SEND_QUEUE, "  - " + READ_ONLY + "\n  - " + S3_READ));
    TaskRole ready = awaitReady("web");

    Role role = role("web").orElseThrow();
    assertThat(ready.getStatus().roleArn).isEqualTo(role.arn());
    assertThat(role.arn()).isEqualTo("arn:aws:iam::123456789012:role/tidewater/" + roleName("web"));
    assertThat(role.path()).isEqualTo("/tidewater/");
    assertThat(role.permissionsBoundary().permissionsBoundaryArn()).isEqualTo(BOUNDARY);
    assertThat(role.description()).isEqualTo("web tasks read their assets");
    assertThat(role.maxSessionDuration()).isEqualTo(7200);
    assertThat(parse(role.assumeRolePolicyDocument()))
        .isEqualTo(
            json(
                """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Federated":"%s"},
                 "Action":"sts:AssumeRoleWithWebIdentity",
                 "Condition":{"StringEquals":{
                   "%s:sub":"system:serviceaccount:%s:web",
                   "%s:aud":"sts.amazonaws.com"}}}]}"""
                    .formatted(OIDC_ARN, ISSUER, ns, ISSUER)));
    assertThat(inlinePolicies("web")).containsExactlyInAnyOrder("read-assets", "send-queue");
    assertThat(
            parse(
                iam.getRolePolicy(r -> r.roleName(roleName("web")).policyName("read-assets"))
                    .policyDocument()))
        .isEqualTo(
            json(
                """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Action":["s3:GetObject"],"Resource":["arn:aws:s3:::example-assets/web/*"]}]}"""));
    assertThat(managedPolicies("web")).containsExactly(S3_READ, READ_ONLY);
    assertThat(tags("web"))
        .containsEntry("team", "web")
        .containsEntry("tidewater.dev/owner", "TaskRole/" + ns + "/web")
        .containsEntry("tidewater.dev/uid", ready.getMetadata().getUid());
    assertThat(ready.getMetadata().getFinalizers()).contains("ecs.tidewater.dev/iam-role");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ServiceAccount sa = admin.serviceAccounts().inNamespace(ns).withName("web").get();
              assertThat(sa.getMetadata().getAnnotations())
                  .containsEntry("eks.amazonaws.com/role-arn", role.arn());
            });

    // no writes while converged: two resyncs, each comparing the role with IAM
    AuditLog audit = ground.auditLog();
    AuditLog.Mark mark = audit.mark();
    double writesBefore = iamWriteCalls();
    double readsBefore = operator.counter("tidewater_aws_calls_total", "api=\"Iam:GetRole\"");
    double reconcilesBefore = operator.counter("tidewater_reconciles_total", "kind=\"TaskRole\"");
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                operator.counter("tidewater_reconciles_total", "kind=\"TaskRole\"")
                        >= reconcilesBefore + 2
                    && operator.counter("tidewater_aws_calls_total", "api=\"Iam:GetRole\"")
                        >= readsBefore + 2);
    assertThat(audit.writesSince(mark, ground.operatorUser()))
        .filteredOn(w -> ns.equals(w.namespace()))
        .as("operator writes in the namespace over two resyncs")
        .isEmpty();
    assertThat(iamWriteCalls()).as("IAM write calls over two resyncs").isEqualTo(writesBefore);

    // out-of-band drift (a policy detached in the console) is restored on the next IAM pass
    iam.detachRolePolicy(r -> r.roleName(roleName("web")).policyArn(READ_ONLY));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(managedPolicies("web")).containsExactly(S3_READ, READ_ONLY));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(admin.v1().events().inNamespace(ns).list().getItems())
                    .filteredOn(e -> "web".equals(e.getInvolvedObject().getName()))
                    .extracting(Event::getReason, Event::getMessage)
                    .anySatisfy(
                        t -> {
                          assertThat(t.toList().get(0)).isEqualTo("RoleUpdated");
                          assertThat((String) t.toList().get(1)).contains("AttachRolePolicy");
                        }));

    // a Service using the TaskRole runs under its ServiceAccount
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: app
        spec:
          requiresCompatibilities: [EC2]
          cpu: "256"
          memory: "512"
          taskRoleRef: {name: web}
          containerDefinitions:
          - name: web
            image: public.ecr.aws/nginx/nginx:1.27
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: web
        spec:
          taskDefinitionRef: {name: app}
          desiredCount: 1
        """);
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              List<Pod> pods =
                  admin
                      .pods()
                      .inNamespace(ns)
                      .withLabel("tidewater.dev/service", "web")
                      .list()
                      .getItems();
              assertThat(pods).isNotEmpty();
              assertThat(pods)
                  .allSatisfy(
                      p -> assertThat(p.getSpec().getServiceAccountName()).isEqualTo("web"));
            });

    // one inline and one managed policy removed: deleted and detached
    apply(taskRole("web", "", READ_ASSETS, "  - " + S3_READ));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(inlinePolicies("web")).containsExactly("read-assets");
              assertThat(managedPolicies("web")).containsExactly(S3_READ);
            });

    // deletionPolicy Delete (the default): the role goes with the TaskRole
    admin.resources(TaskRole.class).inNamespace(ns).withName("web").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(taskRole("web")).isNull();
              assertThat(role("web")).isEmpty();
            });
  }

  @Test
  void retainKeepsTheRoleAfterTheTaskRoleIsGone() {
    apply(irsaCluster());
    apply(taskRole("kept", "  deletionPolicy: Retain", READ_ASSETS, "  - " + READ_ONLY));
    awaitReady("kept");

    String arn = taskRole("kept").getStatus().roleArn;
    admin.resources(TaskRole.class).inNamespace(ns).withName("kept").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> taskRole("kept") == null);
    assertThat(role("kept")).isPresent();
    assertThat(inlinePolicies("kept")).containsExactly("read-assets");
    assertThat(managedPolicies("kept")).containsExactly(READ_ONLY);

    // a TaskRole of the same name again: the retained role is its earlier incarnation's, reused
    apply(taskRole("kept", "", READ_ASSETS, "  - " + READ_ONLY));
    TaskRole again = awaitReady("kept");
    assertThat(again.getStatus().roleArn).isEqualTo(arn);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(tags("kept"))
                    .containsEntry("tidewater.dev/uid", again.getMetadata().getUid()));
    admin.resources(TaskRole.class).inNamespace(ns).withName("kept").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> role("kept").isEmpty());
  }

  @Test
  void onTheEcsBackendTheRoleTrustsEcsTasksAndAMovingClusterTrustsBoth() throws Exception {
    // no aws section: the operator's own AWS context applies
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: ecs
        spec:
          backend: ecs
          guardrails:
            allowedManagedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
            rolePath: /tidewater/
            permissionsBoundaryArn: arn:aws:iam::123456789012:policy/tidewater/boundaries/tasks
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: moving
        spec:
          backend: kubernetes
          aws: {region: us-east-1}
          ecs: {clusterName: shop}
          eks:
            identity: irsa
            oidcProviderArn: %s
          guardrails:
            rolePath: /tidewater/
            permissionsBoundaryArn: arn:aws:iam::123456789012:policy/tidewater/boundaries/tasks
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskRole
        metadata:
          name: worker
        spec:
          clusterRef: {name: ecs}
          managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskRole
        metadata:
          name: mover
        spec:
          clusterRef: {name: moving}
        """
            .formatted(OIDC_ARN));
    TaskRole worker = awaitReady("worker");
    Role role = role("worker").orElseThrow();
    assertThat(worker.getStatus().roleArn).isEqualTo(role.arn());
    assertThat(worker.getStatus().serviceAccountName).as("no ServiceAccount on ecs").isNull();
    assertThat(admin.serviceAccounts().inNamespace(ns).withName("worker").get()).isNull();
    assertThat(role.path()).isEqualTo("/tidewater/");
    assertThat(role.permissionsBoundary().permissionsBoundaryArn()).isEqualTo(BOUNDARY);
    assertThat(parse(role.assumeRolePolicyDocument()))
        .isEqualTo(
            json(
                """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"""));
    assertThat(managedPolicies("worker")).containsExactly(READ_ONLY);

    awaitReady("mover");
    assertThat(parse(role("mover").orElseThrow().assumeRolePolicyDocument()).get("Statement"))
        .containsExactlyInAnyOrder(
            json(
                """
                {"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},
                 "Action":"sts:AssumeRole"}"""),
            json(
                """
                {"Effect":"Allow","Principal":{"Federated":"%s"},
                 "Action":"sts:AssumeRoleWithWebIdentity",
                 "Condition":{"StringEquals":{
                   "%s:sub":"system:serviceaccount:%s:mover",
                   "%s:aud":"sts.amazonaws.com"}}}"""
                    .formatted(OIDC_ARN, ISSUER, ns, ISSUER)));

    for (String name : List.of("worker", "mover")) {
      admin.resources(TaskRole.class).inNamespace(ns).withName(name).delete();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(role("worker")).isEmpty();
              assertThat(role("mover")).isEmpty();
            });
  }

  @Test
  void podIdentityTrustsEksPodsWithoutAnnotationAndAsksEksForTheAssociation() throws Exception {
    // moto has no Pod Identity API: the role and ServiceAccount are asserted here, the
    // association requests in PodIdentityAssociationsTest
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: kubernetes
          aws: {region: us-east-1}
          eks: {identity: podIdentity, clusterName: prod}
          guardrails:
            rolePath: /tidewater/
            permissionsBoundaryArn: arn:aws:iam::123456789012:policy/tidewater/boundaries/tasks
        """);
    double listsBefore =
        operator.counter("tidewater_aws_calls_total", "api=\"Eks:ListPodIdentityAssociations\"");
    apply(taskRole("pods", "", READ_ASSETS, "    []"));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              TaskRole role = taskRole("pods");
              assertThat(role.getStatus()).isNotNull();
              assertThat(role.getStatus().roleArn).isNotBlank();
              assertThat(condition(role, "Degraded"))
                  .hasValueSatisfying(c -> assertThat(c.getMessage()).contains("Pod Identity"));
            });
    assertThat(parse(role("pods").orElseThrow().assumeRolePolicyDocument()))
        .isEqualTo(
            json(
                """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Service":"pods.eks.amazonaws.com"},
                 "Action":["sts:AssumeRole","sts:TagSession"]}]}"""));
    assertThat(
            operator.counter(
                "tidewater_aws_calls_total", "api=\"Eks:ListPodIdentityAssociations\""))
        .isGreaterThan(listsBefore);
    ServiceAccount sa = admin.serviceAccounts().inNamespace(ns).withName("pods").get();
    assertThat(sa).isNotNull();
    assertThat(
            sa.getMetadata().getAnnotations() == null
                ? Map.<String, String>of()
                : sa.getMetadata().getAnnotations())
        .doesNotContainKey("eks.amazonaws.com/role-arn");

    admin.resources(TaskRole.class).inNamespace(ns).withName("pods").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> role("pods").isEmpty());
  }

  @Test
  void aManagedPolicyTheGuardrailsRefuseDegradesNamingTheFieldAndCreatesNothing() {
    apply(irsaCluster());
    apply(taskRole("greedy", "", READ_ASSETS, "  - " + READ_ONLY + "\n  - " + ADMIN));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(condition(taskRole("greedy"), "Degraded"))
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("True");
                          assertThat(c.getReason()).isEqualTo("ManagedPolicyNotAllowed");
                          assertThat(c.getMessage()).contains("spec.managedPolicyArns[1]", ADMIN);
                        }));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(admin.v1().events().inNamespace(ns).list().getItems())
                    .filteredOn(e -> "greedy".equals(e.getInvolvedObject().getName()))
                    .extracting(Event::getReason)
                    .contains("ManagedPolicyNotAllowed"));
    assertThat(role("greedy")).as("nothing half-applied").isEmpty();
    TaskRole refused = taskRole("greedy");
    assertThat(refused.getStatus().roleArn).isNull();
    assertThat(refused.getMetadata().getFinalizers()).doesNotContain("ecs.tidewater.dev/iam-role");
  }

  @Test
  void withoutAPermissionsBoundaryNoRoleIsMadeAndTheConditionNamesTheClusterField() {
    apply(irsaCluster().replace("    permissionsBoundaryArn: " + BOUNDARY + "\n", ""));
    apply(taskRole("unbounded", "", READ_ASSETS, "    []"));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(condition(taskRole("unbounded"), "Degraded"))
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getReason()).isEqualTo("PermissionsBoundaryRequired");
                          assertThat(c.getMessage())
                              .contains(
                                  "Cluster default", "spec.guardrails.permissionsBoundaryArn");
                        }));
    assertThat(role("unbounded")).as("no role without a boundary").isEmpty();
  }

  @Test
  void anAwsErrorDegradesThatTaskRoleAloneWithTheReasonAndAnEvent() {
    apply(irsaCluster());
    // IAM (and moto) refuse an Effect other than Allow / Deny: PutRolePolicy fails
    String malformed =
        String.join(
            "\n",
            "  - name: broken",
            "    document:",
            "      Version: \"2012-10-17\"",
            "      Statement:",
            "      - {Effect: Maybe, Action: [\"s3:GetObject\"], Resource: [\"*\"]}");
    apply(taskRole("broken", "", malformed, "  - " + READ_ONLY));
    apply(taskRole("fine", "", READ_ASSETS, "  - " + READ_ONLY));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(condition(taskRole("broken"), "Degraded"))
                    .hasValueSatisfying(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("True");
                          assertThat(c.getReason()).isEqualTo("InvalidParameter");
                          assertThat(c.getMessage()).contains("MalformedPolicyDocument");
                        }));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(admin.v1().events().inNamespace(ns).list().getItems())
                    .filteredOn(e -> "Warning".equals(e.getType()))
                    .extracting(e -> e.getInvolvedObject().getName(), Event::getReason)
                    .containsOnly(
                        org.assertj.core.groups.Tuple.tuple("broken", "InvalidParameter")));
    awaitReady("fine");
  }

  @Test
  void aDeletionIamRefusesKeepsTheFinalizerReportsTheReasonAndIsRetried() {
    apply(irsaCluster());
    apply(taskRole("stuck", "", READ_ASSETS, "  - " + READ_ONLY));
    awaitReady("stuck");
    // out of band: an instance profile holds the role, so IAM refuses DeleteRole
    String profile = ns + "-profile";
    iam.createInstanceProfile(r -> r.instanceProfileName(profile));
    iam.addRoleToInstanceProfile(r -> r.instanceProfileName(profile).roleName(roleName("stuck")));

    admin.resources(TaskRole.class).inNamespace(ns).withName("stuck").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              TaskRole deleting = taskRole("stuck");
              assertThat(deleting).isNotNull();
              assertThat(deleting.getMetadata().getFinalizers())
                  .contains("ecs.tidewater.dev/iam-role");
              assertThat(condition(deleting, "Degraded"))
                  .hasValueSatisfying(
                      c -> {
                        assertThat(c.getReason()).isEqualTo("Conflict");
                        assertThat(c.getMessage()).contains("deleting IAM role");
                      });
            });
    assertThat(admin.v1().events().inNamespace(ns).list().getItems())
        .filteredOn(e -> "stuck".equals(e.getInvolvedObject().getName()))
        .extracting(Event::getReason)
        .contains("Conflict");
    assertThat(role("stuck")).isPresent();

    iam.removeRoleFromInstanceProfile(
        r -> r.instanceProfileName(profile).roleName(roleName("stuck")));
    iam.deleteInstanceProfile(r -> r.instanceProfileName(profile));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(role("stuck")).isEmpty();
              assertThat(taskRole("stuck")).isNull();
            });
  }

  @Test
  void aForeignRoleOfTheSameNameIsANameConflictUntilAdopted() throws Exception {
    // under /tidewater/: the operator's policy lets it write (and so adopt) roles there only
    iam.createRole(
        r ->
            r.roleName(roleName("taken"))
                .path("/tidewater/")
                .assumeRolePolicyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                        + "\"Action\":\"sts:AssumeRole\"}]}"));
    apply(irsaCluster());
    apply(taskRole("taken", "", READ_ASSETS, "  - " + READ_ONLY));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(condition(taskRole("taken"), "Degraded"))
                    .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("NameConflict")));
    assertThat(inlinePolicies("taken")).as("a foreign role is not touched").isEmpty();

    // adoption needs a TenancyPolicy that allows it (issue 19): the ground's does (a namespace
    // whose
    // policy does not is CrossNamespaceIT's)
    apply(taskRole("taken", "  adopt: true", READ_ASSETS, "  - " + READ_ONLY));
    awaitReady("taken");
    assertThat(tags("taken")).containsEntry("tidewater.dev/owner", "TaskRole/" + ns + "/taken");
    assertThat(parse(role("taken").orElseThrow().assumeRolePolicyDocument()).toString())
        .contains("sts:AssumeRoleWithWebIdentity")
        .doesNotContain("ec2.amazonaws.com");
    assertThat(inlinePolicies("taken")).containsExactly("read-assets");

    admin.resources(TaskRole.class).inNamespace(ns).withName("taken").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> role("taken").isEmpty());
    assertThat(catchThrowable(() -> iam.getRole(r -> r.roleName(roleName("taken")))))
        .isInstanceOf(NoSuchEntityException.class);
  }
}
