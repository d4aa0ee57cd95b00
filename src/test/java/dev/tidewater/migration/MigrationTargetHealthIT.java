package dev.tidewater.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.service.EcsService;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

/**
 * A cut-over to ECS counts a task as ready only once its target is healthy (docs/migration.md):
 * with the strict layer running the ECS service's tasks and registering them in the route's target
 * group (routing mode aws, shared with the pods), the tasks' targets are pinned unhealthy before
 * the flip. The migration then stays in Verifying with no task ready although ECS runs the desired
 * count, and rolls back after verifyTimeoutSeconds; once the targets are healthy it verifies and
 * completes. The Kubernetes side is sampled every second and never drops below the desired count
 * until the ECS side is healthy.
 */
class MigrationTargetHealthIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final AwsContext MOTO = ground.motoContext();
  private static final AwsClientFactory aws =
      new AwsClientFactory(
          new AwsClientOptions(
              3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5), 1000, 1000),
          new AwsCallCounter());
  private static final int DESIRED = 2;
  private static final int PORT = 8080;
  private static final List<String> CIDRS = List.of("10.0.1", "10.0.2");

  private static OperatorProcess operator;
  private MigrationWorld world;
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
    world = new MigrationWorld(ground, aws, "tghealth", 1, 2);
    ns = world.ns;
    subnets = world.subnets;
    securityGroup = world.securityGroup;
  }

  @AfterEach
  void cleanUp() {
    String group = targetGroupOrNull();
    if (group != null) pinTaskTargets(group, null);
    world.delete();
  }

  @Test
  void unhealthyEcsTargetsKeepTheMigrationInVerifyingAndRollItBack() {
    long started = System.nanoTime();
    String group = runOnKubernetes("verifyTimeoutSeconds: 25\n    soakSeconds: 1");
    pinTaskTargets(group, "unhealthy");
    Sampler sampler = Sampler.start(this);
    try {
      flip("ecs");
      // ECS runs every task, registered in the route's target group, but none is healthy there
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                EcsService s = service();
                assertThat(s.getStatus().migration).isNotNull();
                assertThat(s.getStatus().migration.phase).isEqualTo("Verifying");
                assertThat(ecsService().map(Service::runningCount)).contains(DESIRED);
                assertThat(taskTargets(group))
                    .hasSize(DESIRED)
                    .allMatch(t -> t.endsWith("=unhealthy"));
                assertThat(s.getStatus().migration.newReady).isZero();
                assertThat(s.getStatus().migration.message)
                    .isEqualTo("waiting for the new side: 0/" + DESIRED + " ready");
              });
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                EcsService s = service();
                assertThat(s.getStatus().migration.phase).isEqualTo("Failed");
                assertThat(condition(s, "Degraded")).isEqualTo("True/MigrationFailed");
              });
    } finally {
      sampler.stop();
    }
    System.out.printf(
        "kubernetes -> ecs with unhealthy targets: rolled back in %d s; Kubernetes ready lowest %d"
            + " in %d samples%n",
        Duration.ofNanos(System.nanoTime() - started).toSeconds(),
        sampler.lowestKubernetes(),
        sampler.samples());
    assertThat(service().getStatus().getBackend()).isEqualTo("kubernetes");
    assertThat(service().getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getMessage()).contains("(ready: 0)"));
    assertThat(sampler.samples()).isGreaterThan(10);
    assertThat(sampler.lowestKubernetes())
        .as("Kubernetes ready, lowest seen while the ECS side was never healthy")
        .isGreaterThanOrEqualTo(DESIRED);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(ecsService()).as("the new side removed").isEmpty();
              assertThat(taskTargets(group)).as("its tasks deregistered").isEmpty();
            });
    assertThat(deployment().getStatus().getReadyReplicas()).isEqualTo(DESIRED);
  }

  @Test
  void onceTheTargetsAreHealthyTheMigrationVerifiesAndCompletes() {
    long started = System.nanoTime();
    String group = runOnKubernetes("verifyTimeoutSeconds: 600\n    soakSeconds: 2");
    pinTaskTargets(group, "unhealthy");
    Sampler sampler = Sampler.start(this);
    try {
      flip("ecs");
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                EcsService s = service();
                assertThat(s.getStatus().migration).isNotNull();
                assertThat(s.getStatus().migration.phase).isEqualTo("Verifying");
                assertThat(ecsService().map(Service::runningCount)).contains(DESIRED);
                assertThat(taskTargets(group)).hasSize(DESIRED);
                assertThat(s.getStatus().migration.newReady).isZero();
              });
      // a few passes later it still waits: nothing was shifted while no task was healthy; what
      // each pass read of the ECS side is counted meanwhile
      Map<String, Double> before = readCalls();
      double passesBefore = serviceReconciles();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> serviceReconciles() >= passesBefore + 4);
      Map<String, Double> calls = readCalls();
      calls.replaceAll((api, n) -> n - before.get(api));
      double passes = serviceReconciles() - passesBefore;
      assertThat(service().getStatus().migration.phase).isEqualTo("Verifying");
      assertThat(service().getStatus().migration.newReady).isZero();
      assertThat(deployment().getSpec().getReplicas()).isEqualTo(DESIRED);
      System.out.printf(
          "ECS side readiness reads over %.0f Service passes in Verifying: %s%n", passes, calls);
      // one ListTasks, one DescribeTasks (2 tasks) and one DescribeTargetHealth (one route) per
      // read of the side; awsvpc tasks need no container instance
      assertThat(calls.get("ListTasks")).isPositive().isLessThanOrEqualTo(passes);
      assertThat(calls.get("DescribeTasks")).isEqualTo(calls.get("ListTasks"));
      assertThat(calls.get("DescribeTargetHealth")).isEqualTo(calls.get("ListTasks"));
      assertThat(calls.get("DescribeContainerInstances")).isZero();

      pinTaskTargets(group, null);
      await()
          .atMost(Duration.ofSeconds(180))
          .untilAsserted(
              () -> {
                EcsService s = service();
                assertThat(s.getStatus().migration.phase).isEqualTo("Completed");
                assertThat(s.getStatus().getBackend()).isEqualTo("ecs");
              });
    } finally {
      sampler.stop();
    }
    System.out.printf(
        "kubernetes -> ecs once targets turned healthy: completed %d s after the start; healthy"
            + " capacity (Kubernetes ready + ECS healthy) lowest %d in %d samples%n",
        Duration.ofNanos(System.nanoTime() - started).toSeconds(),
        sampler.lowestCapacity(),
        sampler.samples());
    assertThat(sampler.lowestCapacity())
        .as("Kubernetes ready + ECS tasks healthy in the target group, lowest seen")
        .isGreaterThanOrEqualTo(DESIRED);
    assertThat(ecsService().map(Service::runningCount)).contains(DESIRED);
    assertThat(taskTargets(group)).hasSize(DESIRED).allMatch(t -> t.endsWith("=healthy"));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(deploymentOrNull()).as("the old side removed").isNull());
  }

  // ---- the ground --------------------------------------------------------------------------

  /** The operator's calls so far of the reads behind an ECS side's readiness. */
  private static Map<String, Double> readCalls() {
    Map<String, Double> out = new java.util.TreeMap<>();
    for (String api :
        List.of(
            "ListTasks", "DescribeTasks", "DescribeContainerInstances", "DescribeTargetHealth")) {
      out.put(api, operator.counter("tidewater_aws_calls_total", ":" + api + "\""));
    }
    return out;
  }

  private static double serviceReconciles() {
    return operator.counter("tidewater_reconciles_total", "kind=\"Service\"");
  }

  /**
   * Pins (or, with null, unpins) the health of every address the strict layer's scheduler can give
   * the ECS tasks first in the test's subnets: the lowest free ones, from .4.
   */
  private static void pinTaskTargets(String group, String state) {
    for (String prefix : CIDRS) {
      IntStream.rangeClosed(4, 20)
          .forEach(host -> ground.pinTargetHealth(group, prefix + "." + host, PORT, state));
    }
  }

  /**
   * The targets in {@code group} at addresses of the test's subnets, as "ip=state": the ECS tasks'
   * (the pods' addresses are kwok's, outside the VPC).
   */
  private List<String> taskTargets(String group) {
    return elb()
        .describeTargetHealth(r -> r.targetGroupArn(group))
        .targetHealthDescriptions()
        .stream()
        .filter(d -> CIDRS.stream().anyMatch(c -> d.target().id().startsWith(c + ".")))
        .map(d -> d.target().id() + "=" + d.targetHealth().stateAsString())
        .toList();
  }

  /** How many of the ECS service's tasks are healthy in {@code group}. */
  private int healthyTasks(String group) {
    Set<String> ips =
        ecsTasks().stream()
            .filter(t -> "RUNNING".equals(t.lastStatus()))
            .map(MigrationTargetHealthIT::privateIp)
            .collect(Collectors.toSet());
    if (ips.isEmpty()) return 0;
    return (int)
        elb().describeTargetHealth(r -> r.targetGroupArn(group)).targetHealthDescriptions().stream()
            .filter(d -> ips.contains(d.target().id()))
            .filter(d -> "healthy".equals(d.targetHealth().stateAsString()))
            .count();
  }

  private List<Task> ecsTasks() {
    Optional<Service> svc = ecsService();
    if (svc.isEmpty()) return List.of();
    String cluster = clusterArn();
    List<String> arns =
        ecs().listTasks(r -> r.cluster(cluster).serviceName(svc.get().serviceName())).taskArns();
    if (arns.isEmpty()) return List.of();
    return ecs().describeTasks(r -> r.cluster(cluster).tasks(arns)).tasks();
  }

  private static String privateIp(Task t) {
    return t.attachments().stream()
        .flatMap(a -> a.details().stream())
        .filter(d -> "privateIPv4Address".equals(d.name()))
        .map(d -> d.value())
        .findFirst()
        .orElse(null);
  }

  // ---- resources ---------------------------------------------------------------------------

  /**
   * A Service of DESIRED pods on a kubernetes Cluster in routing mode aws (so both sides share the
   * route's target group) with {@code migration} knobs; returns the route's target group.
   */
  private String runOnKubernetes(String migration) {
    LoadBalancer lb =
        elb().createLoadBalancer(r -> r.name(ns + "-alb").subnets(subnets)).loadBalancers().get(0);
    String listener =
        elb()
            .createListener(
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
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: kubernetes
          ecs:
            create: true
          routing: {mode: aws}
          migration:
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
            - containerPort: %d
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
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata:
          name: web
        spec:
          loadBalancer: {arn: "%s"}
          listener: {arn: "%s"}
          target: {serviceRef: {name: web}, containerPort: %d}
          rules:
          - priority: 5
            conditions: {pathPatterns: ["/web/*"]}
        """
            .formatted(
                migration,
                PORT,
                DESIRED,
                String.join(", ", subnets),
                securityGroup,
                lb.loadBalancerArn(),
                listener,
                PORT),
        ns);
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              Deployment d = deploymentOrNull();
              assertThat(d).isNotNull();
              assertThat(d.getStatus().getReadyReplicas()).isEqualTo(DESIRED);
              assertThat(targetGroupOrNull()).isNotNull();
              assertThat(service().getStatus().getBackend()).isEqualTo("kubernetes");
            });
    return targetGroupOrNull();
  }

  private void flip(String backend) {
    world.flip(backend);
  }

  private String targetGroupOrNull() {
    LoadBalancerRoute r =
        admin.resources(LoadBalancerRoute.class).inNamespace(ns).withName("web").get();
    return r == null || r.getStatus() == null ? null : r.getStatus().targetGroupArn;
  }

  private EcsService service() {
    return world.service("web");
  }

  private String clusterArn() {
    return world.clusterArn();
  }

  private static EcsClient ecs() {
    return aws.ecs(MOTO);
  }

  private static ElasticLoadBalancingV2Client elb() {
    return aws.elbv2(MOTO);
  }

  private Optional<Service> ecsService() {
    return world.ecsService("web");
  }

  private Deployment deploymentOrNull() {
    return world.deploymentOrNull("web");
  }

  private Deployment deployment() {
    return deploymentOrNull();
  }

  private static String condition(EcsService s, String type) {
    return MigrationWorld.condition(s, type);
  }

  /**
   * Samples once a second the Kubernetes side's ready pods, and with them the ECS tasks healthy in
   * the route's target group (the healthy capacity of docs/migration.md).
   */
  private static final class Sampler {
    private MigrationWorld.EverySecond timer;
    private final AtomicInteger lowestKubernetes = new AtomicInteger(Integer.MAX_VALUE);
    private final AtomicInteger lowestCapacity = new AtomicInteger(Integer.MAX_VALUE);
    private final AtomicInteger samples = new AtomicInteger();

    static Sampler start(MigrationTargetHealthIT it) {
      Sampler s = new Sampler();
      String group = it.targetGroupOrNull();
      s.timer =
          new MigrationWorld.EverySecond(
              () -> {
                int ready = MigrationWorld.ready(it.deploymentOrNull());
                int healthy = it.healthyTasks(group);
                s.lowestKubernetes.accumulateAndGet(
                    healthy >= DESIRED ? Integer.MAX_VALUE : ready, Math::min);
                s.lowestCapacity.accumulateAndGet(ready + healthy, Math::min);
                s.samples.incrementAndGet();
              });
      return s;
    }

    void stop() {
      timer.stop();
    }

    /** Kubernetes ready, lowest seen while the ECS side was not fully healthy. */
    int lowestKubernetes() {
      return lowestKubernetes.get();
    }

    int lowestCapacity() {
      return lowestCapacity.get();
    }

    int samples() {
      return samples.get();
    }
  }
}
