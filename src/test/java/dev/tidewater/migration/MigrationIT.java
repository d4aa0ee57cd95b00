package dev.tidewater.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.MigrationSettings;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsClientOptions;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * The managed cut-over end to end (docs/migration.md): a Service running on ECS moves to Kubernetes
 * when its Cluster's backend flips, while a sampler checks every second that ECS running plus
 * Kubernetes ready never drops below the desired count; a Kubernetes side that never becomes ready
 * rolls back with the ECS service at full count; a flip back mid-way reverts.
 */
class MigrationIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final AwsContext MOTO = ground.motoContext();
  private static final AwsClientFactory aws =
      new AwsClientFactory(
          new AwsClientOptions(
              3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5), 1000, 1000),
          new AwsCallCounter());
  private static final int DESIRED = 3;

  private static OperatorProcess operator;
  private String ns;
  private List<String> subnets;
  private String securityGroup;

  @BeforeAll
  static void start() {
    Crds.apply(admin);
    operator = OperatorProcess.start(ground, Map.of(), List.of("-Dtidewater.resync-period=20s"));
  }

  @AfterAll
  static void stop() {
    if (operator != null) operator.close();
    aws.close();
  }

  @BeforeEach
  void namespaceAndNetwork() {
    ns = ground.createNamespace("migrate");
    Ec2Client ec2 = aws.ec2(MOTO);
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    subnets = new ArrayList<>();
    subnets.add(
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a"))
            .subnet()
            .subnetId());
    subnets.add(
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b"))
            .subnet()
            .subnetId());
    securityGroup =
        ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName(ns).description("tasks")).groupId();
  }

  @AfterEach
  void cleanUp() {
    ground.deleteNamespace(ns);
  }

  @Test
  void aServiceMovesFromEcsToKubernetesWithoutLosingCapacity() {
    runOnEcs("soakSeconds: 2\n    stepPercent: 34", "");
    Sampler sampler = Sampler.start(this);
    long started = System.nanoTime();
    try {
      flip("kubernetes");
      await()
          .atMost(Duration.ofSeconds(180))
          .untilAsserted(
              () -> {
                EcsService s = service();
                assertThat(s.getStatus().migration).isNotNull();
                assertThat(s.getStatus().migration.phase).isEqualTo("Completed");
                assertThat(s.getStatus().getBackend()).isEqualTo("kubernetes");
              });
    } finally {
      sampler.stop();
    }
    System.out.printf(
        "migration ecs -> kubernetes of %d tasks: lowest capacity %d in %d samples, %d s%n",
        DESIRED,
        sampler.lowest(),
        sampler.samples(),
        Duration.ofNanos(System.nanoTime() - started).toSeconds());
    assertThat(sampler.samples()).as("samples taken").isGreaterThan(3);
    assertThat(sampler.lowest())
        .as("ECS running + Kubernetes ready, lowest seen")
        .isGreaterThanOrEqualTo(DESIRED);
    assertThat(ecsService()).as("the ECS service is deleted").isEmpty();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              TaskDefinition td = taskDefinition();
              assertThat(td.getStatus().getBackend()).isEqualTo("kubernetes");
              assertThat(activeRevisions(td)).as("its ECS revisions deregistered").isEmpty();
            });
    assertThat(deployment().getStatus().getReadyReplicas()).isEqualTo(DESIRED);
    assertThat(condition(service(), "Migrating")).isEqualTo("False/Completed");
    assertThat(eventReasons())
        .contains(
            "MigrationStarted", "MigrationVerifying", "MigrationShifting", "MigrationCompleted");
  }

  @Test
  void aKubernetesSideThatNeverBecomesReadyRollsBack() {
    runOnEcs(
        "verifyTimeoutSeconds: 10",
        """
            dockerLabels:
              tidewater-test-never-ready: "true"
        """);
    flip("kubernetes");
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              EcsService s = service();
              assertThat(s.getStatus().migration).isNotNull();
              assertThat(s.getStatus().migration.phase).isEqualTo("Failed");
              assertThat(condition(s, "Degraded")).isEqualTo("True/MigrationFailed");
            });
    assertThat(service().getStatus().getBackend()).isEqualTo("ecs");
    Service ecs = ecsService().orElseThrow();
    assertThat(ecs.status()).isEqualTo("ACTIVE");
    assertThat(ecs.desiredCount()).isEqualTo(DESIRED);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(deploymentOrNull()).as("the new side removed").isNull());
  }

  @Test
  void flippingBackMidWayReverts() {
    runOnEcs("soakSeconds: 3600", "");
    flip("kubernetes");
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              EcsService s = service();
              assertThat(s.getStatus().migration).isNotNull();
              assertThat(s.getStatus().migration.phase).isEqualTo("Verifying");
              assertThat(s.getStatus().migration.newReady).isEqualTo(DESIRED);
            });
    flip("ecs");
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              EcsService s = service();
              assertThat(s.getStatus().migration).isNotNull();
              assertThat(s.getStatus().migration.phase).isEqualTo("Reverted");
              assertThat(deploymentOrNull()).isNull();
            });
    assertThat(service().getStatus().getBackend()).isEqualTo("ecs");
    assertThat(ecsService().orElseThrow().desiredCount()).isEqualTo(DESIRED);
  }

  @Test
  void aRoundTripEcsKubernetesEcsLeavesOneOfEverything() {
    ElasticLoadBalancingV2Client elb = aws.elbv2(MOTO);
    var lb =
        elb.createLoadBalancer(r -> r.name(ns + "-alb").subnets(subnets)).loadBalancers().get(0);
    String listener =
        elb.createListener(
                r ->
                    r.loadBalancerArn(lb.loadBalancerArn())
                        .port(80)
                        .protocol("HTTP")
                        .defaultActions(
                            a ->
                                a.type(ActionTypeEnum.FIXED_RESPONSE)
                                    .fixedResponseConfig(f -> f.statusCode("404"))))
            .listeners()
            .get(0)
            .listenerArn();
    runOnEcs(
        1,
        "soakSeconds: 1",
        "",
        "routing: {mode: aws}",
        """
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata:
          name: web
        spec:
          loadBalancer: {arn: "%s"}
          listener: {arn: "%s"}
          target: {serviceRef: {name: web}, containerPort: 8080}
          rules:
          - priority: 5
            conditions: {hostHeaders: [web.example.com]}
          - priority: 6
            conditions: {pathPatterns: ["/web/*"]}
        """
            .formatted(lb.loadBalancerArn(), listener));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> route().getStatus() != null && route().getStatus().targetGroupArn != null);

    flip("kubernetes");
    awaitMoved("kubernetes");
    flip("ecs");
    awaitMoved("ecs");

    EcsService s = service();
    String uid = s.getMetadata().getUid();
    List<String> arns = ecs().listServices(r -> r.cluster(clusterArn())).serviceArns();
    long services =
        ecs()
            .describeServices(
                r -> r.cluster(clusterArn()).services(arns).include(ServiceField.TAGS))
            .services()
            .stream()
            .filter(x -> "ACTIVE".equals(x.status()))
            .filter(x -> x.tags().stream().anyMatch(t -> t.value().equals(uid)))
            .count();
    assertThat(services).as("ACTIVE ECS services of the Service").isEqualTo(1);
    assertThat(activeRevisions(taskDefinition())).as("ACTIVE revisions").hasSize(1);
    String routeUid = route().getMetadata().getUid();
    List<String> groups =
        elb.describeTargetGroups(r -> {}).targetGroups().stream()
            .map(TargetGroup::targetGroupArn)
            .filter(
                arn ->
                    elb.describeTags(r -> r.resourceArns(arn)).tagDescriptions().stream()
                        .flatMap(d -> d.tags().stream())
                        .anyMatch(t -> t.value().equals(routeUid)))
            .toList();
    assertThat(groups)
        .as("target groups of the route")
        .containsExactly(route().getStatus().targetGroupArn);
    List<Rule> rules =
        elb.describeRules(r -> r.listenerArn(listener)).rules().stream()
            .filter(r -> !r.isDefault())
            .toList();
    assertThat(rules).extracting(Rule::priority).containsExactlyInAnyOrder("5", "6");
    assertThat(rules)
        .allSatisfy(r -> assertThat(r.actions().get(0).targetGroupArn()).isEqualTo(groups.get(0)));
    assertThat(deploymentOrNull()).as("the Kubernetes side removed").isNull();
  }

  @Test
  void anOperatorKilledInEachPhaseResumesWithoutLosingCapacity() {
    runOnEcs("paused: true\n    soakSeconds: 3600\n    stepPercent: 34", "");
    Sampler sampler = Sampler.start(this);
    try {
      flip("kubernetes");
      awaitPhase("Pending");
      killAndRestart();
      awaitPhase("Pending");
      assertThat(deploymentOrNull()).as("paused: nothing started").isNull();

      knobs(m -> m.paused = false);
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(service().getStatus().migration.phase).isEqualTo("Verifying");
                assertThat(service().getStatus().migration.newReady).isEqualTo(DESIRED);
              });
      killAndRestart();
      awaitPhase("Verifying");

      knobs(m -> m.soakSeconds = 0);
      awaitPhase("Shifting");
      knobs(m -> m.paused = true);
      killAndRestart();
      awaitPhase("Shifting");

      knobs(m -> m.paused = false);
      awaitMoved("kubernetes");
    } finally {
      sampler.stop();
    }
    assertThat(sampler.lowest())
        .as("ECS running + Kubernetes ready across three kills")
        .isGreaterThanOrEqualTo(DESIRED);
    assertThat(ecsService()).isEmpty();
  }

  private void killAndRestart() {
    operator.process().destroyForcibly();
    try {
      operator.process().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    operator = OperatorProcess.start(ground, Map.of(), List.of("-Dtidewater.resync-period=20s"));
  }

  private void knobs(java.util.function.Consumer<MigrationSettings> change) {
    admin
        .resources(Cluster.class)
        .inNamespace(ns)
        .withName("default")
        .edit(
            c -> {
              change.accept(c.getSpec().migration);
              return c;
            });
  }

  private void awaitPhase(String phase) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              EcsService s = service();
              assertThat(s.getStatus().migration).isNotNull();
              assertThat(s.getStatus().migration.phase).isEqualTo(phase);
            });
  }

  private void awaitMoved(String backend) {
    await()
        .atMost(Duration.ofSeconds(180))
        .untilAsserted(
            () -> {
              EcsService s = service();
              assertThat(s.getStatus().migration).isNotNull();
              assertThat(s.getStatus().migration.to).isEqualTo(backend);
              assertThat(s.getStatus().migration.phase).isEqualTo("Completed");
              assertThat(s.getStatus().getBackend()).isEqualTo(backend);
            });
  }

  private LoadBalancerRoute route() {
    return admin.resources(LoadBalancerRoute.class).inNamespace(ns).withName("web").get();
  }

  private TaskDefinition taskDefinition() {
    return admin.resources(TaskDefinition.class).inNamespace(ns).withName("web").get();
  }

  /** The ACTIVE ECS revisions of the TaskDefinition's family. */
  private List<String> activeRevisions(TaskDefinition td) {
    String family = td.getStatus().family;
    return ecs()
        .listTaskDefinitions(r -> r.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE))
        .taskDefinitionArns()
        .stream()
        .filter(arn -> arn.contains(":task-definition/" + family + ":"))
        .toList();
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** A Service of DESIRED tasks running on an ecs Cluster with {@code migration} knobs. */
  private void runOnEcs(String migration, String containerExtra) {
    runOnEcs(DESIRED, migration, containerExtra, "", "");
  }

  /**
   * A Service of {@code desired} tasks running on an ecs Cluster with {@code migration} knobs and
   * {@code clusterExtra} (more of its spec), with {@code more} resources applied along.
   */
  private void runOnEcs(
      int desired, String migration, String containerExtra, String clusterExtra, String more) {
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: ecs
          ecs:
            create: true
          migration:
            %s
        %s
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
            image: public.ecr.aws/nginx/nginx:1.27
            essential: true
            portMappings:
            - containerPort: 8080
        %s
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: web
        spec:
          taskDefinitionRef:
            name: web
          launchType: FARGATE
          desiredCount: %d
          networkConfiguration:
            awsvpcConfiguration:
              subnets: [%s]
              securityGroups: [%s]
          deploymentConfiguration:
            maximumPercent: 200
            minimumHealthyPercent: 100
        %s
        """
            .formatted(
                migration,
                indent(clusterExtra),
                containerExtra,
                desired,
                String.join(", ", subnets),
                securityGroup,
                more),
        ns);
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              EcsService s = service();
              assertThat(s.getStatus()).isNotNull();
              assertThat(s.getStatus().serviceArn).isNotNull();
              assertThat(s.getStatus().getBackend()).isEqualTo("ecs");
            });
    // moto reports a fixed runningCount for a new service (the ground's MOTO_ECS_SERVICE_RUNNING)
    // and desiredCount after an UpdateService: this makes the old side's count the real one
    String name = ecsService().orElseThrow().serviceName();
    ecs().updateService(r -> r.cluster(clusterArn()).service(name).desiredCount(desired));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ecsService().map(Service::runningCount).orElse(0) == desired);
  }

  private static String indent(String yaml) {
    return yaml.lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
  }

  private void flip(String backend) {
    admin
        .resources(Cluster.class)
        .inNamespace(ns)
        .withName("default")
        .edit(
            c -> {
              c.getSpec().backend = backend;
              return c;
            });
  }

  private EcsService service() {
    return admin.resources(EcsService.class).inNamespace(ns).withName("web").get();
  }

  private String clusterArn() {
    Cluster c = admin.resources(Cluster.class).inNamespace(ns).withName("default").get();
    return c.getStatus().clusterArn;
  }

  private EcsClient ecs() {
    return aws.ecs(MOTO);
  }

  /** The Service's ECS service while it is ACTIVE (moto keeps deleted ones as INACTIVE). */
  Optional<Service> ecsService() {
    return ecs()
        .describeServices(r -> r.cluster(clusterArn()).services(ns + "_web"))
        .services()
        .stream()
        .filter(s -> "ACTIVE".equals(s.status()))
        .findFirst();
  }

  Deployment deploymentOrNull() {
    return admin.apps().deployments().inNamespace(ns).withName("web").get();
  }

  private Deployment deployment() {
    return deploymentOrNull();
  }

  private static String condition(EcsService s, String type) {
    return s.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse(null);
  }

  private List<String> eventReasons() {
    return admin.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "web".equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason())
        .toList();
  }

  /** Samples ECS running + Kubernetes ready once a second while a migration runs. */
  private static final class Sampler {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger lowest = new AtomicInteger(Integer.MAX_VALUE);
    private final AtomicInteger samples = new AtomicInteger();

    static Sampler start(MigrationIT it) {
      Sampler s = new Sampler();
      s.timer.scheduleAtFixedRate(
          () -> {
            try {
              int old = it.ecsService().map(Service::runningCount).orElse(0);
              Deployment d = it.deploymentOrNull();
              int ready =
                  d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null
                      ? 0
                      : d.getStatus().getReadyReplicas();
              s.lowest.accumulateAndGet(old + ready, Math::min);
              s.samples.incrementAndGet();
            } catch (RuntimeException e) {
              // a failed read is no sample
            }
          },
          0,
          1,
          TimeUnit.SECONDS);
      return s;
    }

    void stop() {
      timer.shutdownNow();
    }

    int lowest() {
      return lowest.get();
    }

    int samples() {
      return samples.get();
    }
  }
}
