package dev.tidewater.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsClientOptions;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * The switch to the unambiguous AWS naming scheme (docs/naming.md), by the packaged operator
 * through the strict AWS layer: an ECS service or IAM role an earlier version made under the old
 * {@code <namespace>-<name>} name, with this resource's owner tags, is found and kept (no second
 * one); new objects get new names; and {@code a}/{@code b-c} beside {@code a-b}/{@code c}, whose
 * old names were one, both converge on distinct objects.
 */
class AwsNameMigrationIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final AwsContext MOTO = ground.motoContext();
  private static final String ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/TIDEWATERNAMING";
  private static final String OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/" + ISSUER;
  private static final String BOUNDARY =
      "arn:aws:iam::123456789012:policy/tidewater/boundaries/tasks";
  private static final String ECS_TRUST =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

  private static OperatorProcess operator;
  private static AwsClientFactory aws;
  private final List<String> namespaces = new ArrayList<>();

  @BeforeAll
  static void start() {
    Crds.apply(admin);
    operator = OperatorProcess.start(ground, Map.of(), List.of("-Dtidewater.resync-period=5s"));
    aws =
        new AwsClientFactory(
            new AwsClientOptions(
                3, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(100), 100, 100),
            new AwsCallCounter());
    IamClient iam = aws.iam(MOTO);
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
    if (aws != null) aws.close();
  }

  @AfterEach
  void cleanUp() {
    namespaces.forEach(ground::deleteNamespace);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> namespaces.stream().allMatch(n -> admin.namespaces().withName(n).get() == null));
  }

  // ---- helpers -----------------------------------------------------------------------------

  private String namespace(String prefix) {
    String ns = ground.createNamespace(prefix);
    namespaces.add(ns);
    return ns;
  }

  /** A namespace of exactly this name: the collision test needs {@code <a>-b} beside {@code a}. */
  private String exactNamespace(String name) {
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    namespaces.add(name);
    return name;
  }

  private static String clusterId() {
    return admin.namespaces().withName("kube-system").get().getMetadata().getUid();
  }

  /** The owner tags an earlier operator version wrote, for an earlier incarnation (another uid). */
  private static Map<String, String> earlierTags(String kind, String ns, String name) {
    return Map.of(
        AwsOwnership.OWNER_TAG,
        kind + "/" + ns + "/" + name,
        AwsOwnership.UID_TAG,
        UUID.randomUUID().toString(),
        AwsOwnership.CLUSTER_TAG,
        clusterId());
  }

  private static boolean ready(Optional<List<Condition>> conditions) {
    return conditions.orElse(List.of()).stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  // ---- IAM roles ---------------------------------------------------------------------------

  private static void applyIrsaCluster(String ns) {
    Resources.apply(
        admin,
        """
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
            rolePath: /tidewater/
            permissionsBoundaryArn: %s
        """
            .formatted(OIDC_ARN, BOUNDARY),
        ns);
  }

  private static void applyTaskRole(String ns, String name) {
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskRole
        metadata:
          name: %s
        spec:
          description: naming test
        """
            .formatted(name),
        ns);
  }

  private static String awaitRoleArn(String ns, String name) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              TaskRole r = admin.resources(TaskRole.class).inNamespace(ns).withName(name).get();
              return r != null
                  && r.getStatus() != null
                  && r.getStatus().roleArn != null
                  && ready(Optional.ofNullable(r.getStatus().getConditions()));
            });
    return admin.resources(TaskRole.class).inNamespace(ns).withName(name).get().getStatus().roleArn;
  }

  private static boolean roleExists(String roleName) {
    try {
      aws.iam(MOTO).getRole(r -> r.roleName(roleName));
      return true;
    } catch (NoSuchEntityException e) {
      return false;
    }
  }

  @Test
  void aRoleAnEarlierVersionMadeUnderTheOldNameIsKeptAndNewRolesGetNewNames() {
    String ns = namespace("nmrole");
    IamClient iam = aws.iam(MOTO);
    Map<String, String> tags = earlierTags("TaskRole", ns, "web");
    iam.createRole(
        r ->
            r.roleName(ns + "-web")
                .path("/tidewater/")
                .assumeRolePolicyDocument(ECS_TRUST)
                .permissionsBoundary(BOUNDARY)
                .tags(
                    tags.entrySet().stream()
                        .map(
                            e ->
                                software.amazon.awssdk.services.iam.model.Tag.builder()
                                    .key(e.getKey())
                                    .value(e.getValue())
                                    .build())
                        .toList()));

    applyIrsaCluster(ns);
    applyTaskRole(ns, "web");
    applyTaskRole(ns, "api");

    assertThat(awaitRoleArn(ns, "web")).as("kept").endsWith(":role/tidewater/" + ns + "-web");
    assertThat(roleExists(ns + "_web")).as("no second role under the new name").isFalse();
    assertThat(awaitRoleArn(ns, "api")).as("a new role").endsWith(":role/tidewater/" + ns + "_api");

    // deleting the TaskRole deletes the role under the name it has
    admin.resources(TaskRole.class).inNamespace(ns).withName("web").delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> !roleExists(ns + "-web"));
  }

  @Test
  void taskRolesWhoseOldNamesWereOneGetDistinctRoles() {
    String a = namespace("nmjoin");
    String ab = exactNamespace(a + "-b");
    applyIrsaCluster(a);
    applyIrsaCluster(ab);
    applyTaskRole(a, "b-c");
    applyTaskRole(ab, "c");

    String first = awaitRoleArn(a, "b-c");
    String second = awaitRoleArn(ab, "c");
    assertThat(first).endsWith("/" + a + "_b-c");
    assertThat(second).endsWith("/" + ab + "_c");
  }

  // ---- ECS services ------------------------------------------------------------------------

  private record Network(List<String> subnets, String securityGroup) {}

  private static Network network(String ns) {
    Ec2Client ec2 = aws.ec2(MOTO);
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    String subnet =
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a"))
            .subnet()
            .subnetId();
    String sg =
        ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName(ns).description("tasks")).groupId();
    return new Network(List.of(subnet), sg);
  }

  /** A Cluster on the ECS cluster {@code ecsCluster}, a TaskDefinition "web" and Services. */
  private static void applyEcs(String ns, String ecsCluster, Network net, String... services) {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: ecs.tidewater.dev/v1alpha1
            kind: Cluster
            metadata:
              name: default
            spec:
              backend: ecs
              ecs:
                clusterName: %s
            ---
            apiVersion: ecs.tidewater.dev/v1alpha1
            kind: TaskDefinition
            metadata:
              name: web
            spec:
              requiresCompatibilities: [FARGATE]
              networkMode: awsvpc
              cpu: "256"
              memory: "512"
              containerDefinitions:
              - name: web
                image: nginx:1.27
                essential: true
            """
                .formatted(ecsCluster));
    for (String name : services) {
      yaml.append(
          """
          ---
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: Service
          metadata:
            name: %s
          spec:
            taskDefinitionRef:
              name: web
            launchType: FARGATE
            desiredCount: 1
            networkConfiguration:
              awsvpcConfiguration:
                subnets: [%s]
                securityGroups: [%s]
          """
              .formatted(name, String.join(", ", net.subnets()), net.securityGroup()));
    }
    Resources.apply(admin, yaml.toString(), ns);
  }

  private static String awaitServiceArn(String ns, String name) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              EcsService s = admin.resources(EcsService.class).inNamespace(ns).withName(name).get();
              return s != null
                  && s.getStatus() != null
                  && s.getStatus().serviceArn != null
                  && ready(Optional.ofNullable(s.getStatus().getConditions()));
            });
    return admin
        .resources(EcsService.class)
        .inNamespace(ns)
        .withName(name)
        .get()
        .getStatus()
        .serviceArn;
  }

  private static List<String> activeServices(String clusterArn) {
    EcsClient ecs = aws.ecs(MOTO);
    List<String> arns = ecs.listServices(r -> r.cluster(clusterArn)).serviceArns();
    if (arns.isEmpty()) return List.of();
    return ecs.describeServices(r -> r.cluster(clusterArn).services(arns)).services().stream()
        .filter(s -> "ACTIVE".equals(s.status()))
        .map(Service::serviceName)
        .sorted()
        .toList();
  }

  @Test
  void anEcsServiceAnEarlierVersionMadeUnderTheOldNameIsKeptAndNewServicesGetNewNames() {
    String ns = namespace("nmsvc");
    EcsClient ecs = aws.ecs(MOTO);
    String clusterArn = ecs.createCluster(r -> r.clusterName(ns)).cluster().clusterArn();
    Network net = network(ns);
    String earlierTd =
        ecs.registerTaskDefinition(
                r ->
                    r.family(ns + "-earlier")
                        .containerDefinitions(c -> c.name("web").image("nginx:1.26").memory(128)))
            .taskDefinition()
            .taskDefinitionArn();
    ecs.createService(
        r ->
            r.cluster(clusterArn)
                .serviceName(ns + "-web")
                .taskDefinition(earlierTd)
                .desiredCount(1)
                .tags(ecsTags(earlierTags("Service", ns, "web"))));

    applyEcs(ns, ns, net, "web", "api");

    assertThat(awaitServiceArn(ns, "web")).as("kept").endsWith("/" + ns + "-web");
    assertThat(awaitServiceArn(ns, "api")).as("a new service").endsWith("/" + ns + "_api");
    assertThat(activeServices(clusterArn))
        .as("no second service for web")
        .containsExactly(ns + "-web", ns + "_api");

    // deleting the Service deletes the ECS service under the name it has
    admin.resources(EcsService.class).inNamespace(ns).withName("web").delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> activeServices(clusterArn).equals(List.of(ns + "_api")));
  }

  @Test
  void servicesWhoseOldNamesWereOneGetDistinctEcsServices() {
    String a = namespace("nmsvcjoin");
    String ab = exactNamespace(a + "-b");
    // one ECS cluster for both namespaces, where their old service names met
    String clusterArn = aws.ecs(MOTO).createCluster(r -> r.clusterName(a)).cluster().clusterArn();
    applyEcs(a, a, network(a), "b-c");
    applyEcs(ab, a, network(ab), "c");

    assertThat(awaitServiceArn(a, "b-c")).endsWith("/" + a + "_b-c");
    assertThat(awaitServiceArn(ab, "c")).endsWith("/" + ab + "_c");
    assertThat(activeServices(clusterArn)).containsExactly(a + "-b_c", a + "_b-c");
  }

  // ---- task definition families ------------------------------------------------------------

  /** A Cluster on the ECS cluster named after the namespace and Fargate TaskDefinitions. */
  private static void applyTaskDefinitions(String ns, String... names) {
    aws.ecs(MOTO).createCluster(r -> r.clusterName(ns));
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: ecs.tidewater.dev/v1alpha1
            kind: Cluster
            metadata:
              name: default
            spec:
              backend: ecs
              ecs:
                clusterName: %s
            """
                .formatted(ns));
    for (String name : names) {
      yaml.append(
          """
          ---
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: TaskDefinition
          metadata:
            name: %s
          spec:
            requiresCompatibilities: [FARGATE]
            networkMode: awsvpc
            cpu: "256"
            memory: "512"
            containerDefinitions:
            - name: web
              image: nginx:1.27
              essential: true
          """
              .formatted(name));
    }
    Resources.apply(admin, yaml.toString(), ns);
  }

  /** The ARN of the TaskDefinition's latest revision, once it is Ready. */
  private static String awaitRevisionArn(String ns, String name) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              TaskDefinition td =
                  admin.resources(TaskDefinition.class).inNamespace(ns).withName(name).get();
              return td != null
                  && td.getStatus() != null
                  && td.getStatus().taskDefinitionArn != null
                  && ready(Optional.ofNullable(td.getStatus().getConditions()));
            });
    TaskDefinition td = admin.resources(TaskDefinition.class).inNamespace(ns).withName(name).get();
    assertThat(td.getStatus().family)
        .as("status.family names the family the ARN is in")
        .isEqualTo(
            td.getStatus()
                .taskDefinitionArn
                .substring(
                    td.getStatus().taskDefinitionArn.lastIndexOf('/') + 1,
                    td.getStatus().taskDefinitionArn.lastIndexOf(':')));
    return td.getStatus().taskDefinitionArn;
  }

  private static List<String> activeRevisions(String family) {
    return aws
        .ecs(MOTO)
        .listTaskDefinitions(r -> r.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE))
        .taskDefinitionArns()
        .stream()
        .filter(arn -> arn.contains(":task-definition/" + family + ":"))
        .toList();
  }

  @Test
  void aFamilyAnEarlierVersionRegisteredInIsKeptAndNewTaskDefinitionsGetNewFamilies() {
    String ns = namespace("nmfam");
    // an earlier version registered web's first revision under the old family and stopped before
    // its status said so: the revision carries the owner tags of an earlier incarnation
    String earlier =
        aws.ecs(MOTO)
            .registerTaskDefinition(
                r ->
                    r.family(ns + "-web")
                        .containerDefinitions(c -> c.name("web").image("nginx:1.26").memory(128))
                        .tags(ecsTags(earlierTags("TaskDefinition", ns, "web"))))
            .taskDefinition()
            .taskDefinitionArn();

    applyTaskDefinitions(ns, "web", "api");

    assertThat(awaitRevisionArn(ns, "web"))
        .as("web stays in the family it has")
        .contains(":task-definition/" + ns + "-web:");
    assertThat(activeRevisions(ns + "_web")).as("no second family for web").isEmpty();
    assertThat(activeRevisions(ns + "-web")).contains(earlier);
    assertThat(awaitRevisionArn(ns, "api"))
        .as("a new TaskDefinition gets the new family")
        .endsWith(":task-definition/" + ns + "_api:1");
    assertThat(activeRevisions(ns + "-api")).isEmpty();

    // deleting the TaskDefinition deregisters its revisions in the family they are in
    admin.resources(TaskDefinition.class).inNamespace(ns).withName("web").delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> activeRevisions(ns + "-web").isEmpty());
  }

  @Test
  void taskDefinitionsWhoseOldFamiliesWereOneGetDistinctFamilies() {
    String a = namespace("nmfamjoin");
    String ab = exactNamespace(a + "-b");
    // the old scheme gave both a-b-c: the second to come was refused with NameConflict
    applyTaskDefinitions(a, "b-c");
    String first = awaitRevisionArn(a, "b-c");
    applyTaskDefinitions(ab, "c");
    String second = awaitRevisionArn(ab, "c");

    assertThat(first).endsWith(":task-definition/" + a + "_b-c:1");
    assertThat(second).endsWith(":task-definition/" + ab + "_c:1");
  }

  private static List<software.amazon.awssdk.services.ecs.model.Tag> ecsTags(
      Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(
            e ->
                software.amazon.awssdk.services.ecs.model.Tag.builder()
                    .key(e.getKey())
                    .value(e.getValue())
                    .build())
        .toList();
  }
}
