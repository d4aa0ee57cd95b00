package dev.tidewater.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
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
  static final KubernetesClient admin = ground.admin();
  private static final AwsContext MOTO = ground.motoContext();
  private static final AwsClientFactory aws =
      new AwsClientFactory(
          new AwsClientOptions(
              3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5), 1000, 1000),
          new AwsCallCounter());
  private static final int DESIRED = 3;

  private static OperatorProcess operator;
  private MigrationWorld world;
  String ns;
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
    world = new MigrationWorld(ground, aws, "migrate", 1, 2);
    ns = world.ns;
    subnets = world.subnets;
    securityGroup = world.securityGroup;
  }

  @AfterEach
  void cleanUp() {
    world.delete();
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
    Alb alb = alb(elb);
    var lb = alb.loadBalancer();
    String listener = alb.listenerArn();
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

    // moto's ECS registers no task: an IP stands in for the ECS task in the route's target group
    String targetGroup = route().getStatus().targetGroupArn;
    String taskIp = "10.0.1.99";
    elb.registerTargets(r -> r.targetGroupArn(targetGroup).targets(t -> t.id(taskIp).port(8080)));
    flip("kubernetes");
    awaitMoved("kubernetes");
    // the Load Balancer Controller registered the pod next to the task, and left the task alone
    // (the TargetGroupBinding says the target group is shared)
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(targets(elb, targetGroup))
                    .contains(taskIp)
                    .hasSizeGreaterThanOrEqualTo(2));
    // ECS deregisters a deleted service's tasks; moto does not
    elb.deregisterTargets(r -> r.targetGroupArn(targetGroup).targets(t -> t.id(taskIp).port(8080)));
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

  /**
   * Twenty Services with a route each on one ALB listener (routing mode aws: both sides share each
   * route's target group) move together, five at a time; every Service's ECS running + Kubernetes
   * ready is sampled every second.
   */
  @Test
  void twentyServicesMoveInAwsModeWhileEachKeepsItsCapacity() {
    int count = 20;
    int desired = 2;
    ElasticLoadBalancingV2Client elb = aws.elbv2(MOTO);
    Alb alb = alb(elb);
    var lb = alb.loadBalancer();
    String listener = alb.listenerArn();
    StringBuilder more = new StringBuilder();
    for (int i = 0; i < count; i++) {
      more.append(
          """
          ---
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: Service
          metadata:
            name: svc-%02d
          spec:
            taskDefinitionRef: {name: web}
            launchType: FARGATE
            desiredCount: %d
            networkConfiguration:
              awsvpcConfiguration: {subnets: [%s], securityGroups: [%s]}
          ---
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: LoadBalancerRoute
          metadata:
            name: svc-%02d
          spec:
            loadBalancer: {arn: "%s"}
            listener: {arn: "%s"}
            target: {serviceRef: {name: svc-%02d}, containerPort: 8080}
            rules:
            - priority: %d
              conditions: {hostHeaders: [svc-%02d.example.com]}
          """
              .formatted(
                  i,
                  desired,
                  String.join(", ", subnets),
                  securityGroup,
                  i,
                  lb.loadBalancerArn(),
                  listener,
                  i,
                  i + 1,
                  i));
    }
    runOnEcs(
        desired,
        "soakSeconds: 2\n    stepPercent: 50",
        "",
        "routing: {mode: aws}",
        more.toString());
    List<String> names = IntStream.range(0, count).mapToObj(i -> "svc-%02d".formatted(i)).toList();
    await()
        .atMost(Duration.ofSeconds(180))
        .untilAsserted(
            () ->
                assertThat(names)
                    .allSatisfy(
                        n -> {
                          EcsService s = service(n);
                          assertThat(s.getStatus()).isNotNull();
                          assertThat(s.getStatus().serviceArn).isNotNull();
                        }));
    for (String n : names) {
      // as in runOnEcs: moto's runningCount follows desiredCount only after an UpdateService
      String ecsName = ecsService(n).orElseThrow().serviceName();
      ecs().updateService(r -> r.cluster(clusterArn()).service(ecsName).desiredCount(desired));
    }
    FleetSampler sampler = FleetSampler.start(this, names);
    long started = System.nanoTime();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sampler.samples() > 0 && sampler.lowest() >= desired);
      sampler.reset();
      flip("kubernetes");
      await()
          .atMost(Duration.ofSeconds(600))
          .pollInterval(Duration.ofSeconds(2))
          .untilAsserted(
              () ->
                  assertThat(names)
                      .allSatisfy(
                          n -> {
                            EcsService s = service(n);
                            assertThat(s.getStatus().migration).isNotNull();
                            assertThat(s.getStatus().migration.phase).isEqualTo("Completed");
                          }));
    } finally {
      sampler.stop();
    }
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    System.out.printf(
        "migration of %d Services of %d tasks ecs -> kubernetes (aws mode): lowest capacity of a"
            + " Service %d in %d samples, all moved in %d s, at most %d at once%n",
        count, desired, sampler.lowest(), sampler.samples(), seconds, sampler.mostAtOnce());
    assertThat(sampler.lowest())
        .as("the lowest ECS running + Kubernetes ready of any Service at any sample")
        .isGreaterThanOrEqualTo(desired);
    assertThat(sampler.mostAtOnce())
        .as("Services with both sides running at once (maxConcurrentServices 5)")
        .isLessThanOrEqualTo(5);
    assertThat(names).allSatisfy(n -> assertThat(ecsService(n)).isEmpty());
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

  /**
   * The operator killed while the old side is being removed (Finishing) and, on the way back, while
   * the new side cannot run yet (Preparing): each held there by AWS failing one call
   * (failOperations of the strict layer), then let go; the restarted operator finishes each move.
   */
  @Test
  void anOperatorKilledInFinishingOrPreparingResumes() {
    runOnEcs(1, "soakSeconds: 0\n    stepPercent: 100", "", "", "");
    Sampler sampler = Sampler.start(this);
    try {
      failing("ecs:DeleteService");
      flip("kubernetes");
      awaitPhase("Finishing");
      assertThat(service().getStatus().migration.message).contains("failed for now");
      assertThat(service().getStatus().getBackend()).isEqualTo("kubernetes");
      killAndRestartUntilItRetries("ecs", "DeleteService");
      awaitPhase("Finishing");
      failing();
      awaitMoved("kubernetes");
      assertThat(ecsService()).as("the old side removed after the restart").isEmpty();
      // the TaskDefinition has left ECS (its revisions there deregistered) before the flip back
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> "kubernetes".equals(taskDefinition().getStatus().getBackend()));

      failing("ecs:RegisterTaskDefinition");
      flip("ecs");
      awaitPhase("Preparing");
      killAndRestartUntilItRetries("ecs", "RegisterTaskDefinition");
      awaitPhase("Preparing");
      assertThat(ecsService()).as("nothing started on ECS without its revision").isEmpty();
      assertThat(deploymentOrNull()).as("the old side runs on").isNotNull();
      failing();
      awaitMoved("ecs");
    } finally {
      sampler.stop();
      failing();
    }
    assertThat(sampler.lowest())
        .as("ECS running + Kubernetes ready across both moves and two kills")
        .isGreaterThanOrEqualTo(1);
    assertThat(deploymentOrNull()).isNull();
  }

  /**
   * The operator killed while a rollback cannot bring the old side back yet (someone scaled the ECS
   * service down by hand, and UpdateService fails): the phase stays RollingBack, the new side stays
   * until the old side alone meets the floor, and the restarted operator finishes the rollback.
   */
  @Test
  void anOperatorKilledWhileRollingBackFinishesTheRollback() {
    runOnEcs(
        "verifyTimeoutSeconds: 10",
        """
            dockerLabels:
              tidewater-test-never-ready: "true"
        """);
    try {
      failing("ecs:UpdateService");
      String name = ecsService().orElseThrow().serviceName();
      ecs().updateService(r -> r.cluster(clusterArn()).service(name).desiredCount(1));
      flip("kubernetes");
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                EcsService s = service();
                assertThat(s.getStatus().migration).isNotNull();
                assertThat(s.getStatus().migration.phase).isEqualTo("RollingBack");
              });
      killAndRestartUntilItRetries("ecs", "UpdateService");
      awaitPhase("RollingBack");
      assertThat(deploymentOrNull())
          .as("the new side stays while the old side cannot be brought back")
          .isNotNull();
      failing();
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                EcsService s = service();
                assertThat(s.getStatus().migration.phase).isEqualTo("Failed");
                assertThat(condition(s, "Degraded")).isEqualTo("True/MigrationFailed");
                assertThat(ecsService().orElseThrow().desiredCount()).isEqualTo(DESIRED);
                assertThat(deploymentOrNull()).as("the new side removed").isNull();
              });
      assertThat(service().getStatus().getBackend()).isEqualTo("ecs");
    } finally {
      failing();
    }
  }

  /**
   * A rollback from the middle of a shift (the Kubernetes side stops being ready after the old side
   * lost its scaler and a step of its tasks) brings the ECS service back as it was: its count and
   * its Application Auto Scaling target, though the Cluster stays on kubernetes (the TaskDefinition
   * keeps its ECS revisions in status while the Service runs there).
   */
  @Test
  void aRollbackMidShiftRestoresTheOldSidesAutoscaling() {
    runOnEcs(
        4,
        "autoscaling: {minTasks: 4, maxTasks: 8, targetCpuUtilization: 60}",
        "soakSeconds: 0\n    stepPercent: 25\n    verifyTimeoutSeconds: 10",
        "",
        "",
        "");
    var scaler = aws.autoScaling(MOTO);
    String resourceId =
        "service/" + clusterArn().substring(clusterArn().lastIndexOf('/') + 1) + "/" + ns + "_web";
    Supplier<List<ScalableTarget>> targets =
        () ->
            scaler
                .describeScalableTargets(
                    r -> r.serviceNamespace(ServiceNamespace.ECS).resourceIds(resourceId))
                .scalableTargets();
    await().atMost(Duration.ofSeconds(60)).until(() -> targets.get().size() == 1);

    flip("kubernetes");
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              var m = service().getStatus().migration;
              return m != null
                  && "Shifting".equals(m.phase)
                  && m.oldTarget != null
                  && m.oldTarget < 4;
            });
    // the Kubernetes side fails: its pods stop being ready (a kwok stage of the ground)
    admin.pods().inNamespace(ns).list().getItems().stream()
        .filter(p -> p.getMetadata().getName().startsWith("web-"))
        .forEach(
            p ->
                admin
                    .pods()
                    .inNamespace(ns)
                    .withName(p.getMetadata().getName())
                    .edit(
                        x -> {
                          x.getMetadata()
                              .getAnnotations()
                              .put("tidewater.dev/test-unready", "true");
                          return x;
                        }));
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              EcsService s = service();
              assertThat(s.getStatus().migration.phase).isEqualTo("Failed");
              assertThat(deploymentOrNull()).as("the new side removed").isNull();
              assertThat(ecsService().orElseThrow().desiredCount()).isEqualTo(4);
              assertThat(targets.get())
                  .as("the old side's scalable target registered again")
                  .singleElement()
                  .satisfies(
                      t -> {
                        assertThat(t.minCapacity()).isEqualTo(4);
                        assertThat(t.maxCapacity()).isEqualTo(8);
                      });
            });
    assertThat(service().getStatus().getBackend()).isEqualTo("ecs");
  }

  /** AWS fails these calls of the operator ("service:Operation"); none: stops failing. */
  private static void failing(String... operations) {
    failingWith("ServerException", operations);
  }

  private static void failingWith(String code, String... operations) {
    Map<String, String> fail = new java.util.HashMap<>();
    for (String op : operations) fail.put(op, code);
    ground.strictConfig(Map.of("failOperations", fail));
  }

  /**
   * Kills the operator and starts it again, then waits until the new process has called {@code
   * service:operation} (the call the test makes AWS fail) at least once: it resumed the step.
   */
  private void killAndRestartUntilItRetries(String service, String operation) {
    operator.process().destroyForcibly();
    try {
      operator.process().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    // a code no earlier process was answered with: only the new process's call can carry it
    String code = "ServiceUnavailable" + System.nanoTime();
    failingWith(code, service + ":" + operation);
    operator = OperatorProcess.start(ground, Map.of(), List.of("-Dtidewater.resync-period=20s"));
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                ground.refusals().stream()
                    .anyMatch(r -> operation.equals(r.operation()) && code.equals(r.code())));
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
    world.editCluster(spec -> change.accept(spec.migration));
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

  private record Alb(LoadBalancer loadBalancer, String listenerArn) {}

  /** An ALB on the test's subnets with an HTTP listener whose default answer is 404. */
  private Alb alb(ElasticLoadBalancingV2Client elb) {
    LoadBalancer lb =
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
    return new Alb(lb, listener);
  }

  private static List<String> targets(ElasticLoadBalancingV2Client elb, String targetGroup) {
    return elb
        .describeTargetHealth(r -> r.targetGroupArn(targetGroup))
        .targetHealthDescriptions()
        .stream()
        .map(d -> d.target().id())
        .toList();
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
    runOnEcs(desired, "desiredCount: " + desired, migration, containerExtra, clusterExtra, more);
  }

  /**
   * As above, with {@code count} the Service's count (a desiredCount, or an autoscaling block in
   * flow style) and {@code desired} the count its ECS service runs.
   */
  private void runOnEcs(
      int desired,
      String count,
      String migration,
      String containerExtra,
      String clusterExtra,
      String more) {
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
          %s
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
                count,
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
    world.flip(backend);
  }

  private EcsService service() {
    return service("web");
  }

  private EcsService service(String name) {
    return world.service(name);
  }

  String clusterArn() {
    return world.clusterArn();
  }

  EcsClient ecs() {
    return aws.ecs(MOTO);
  }

  /** The Service's ECS service while it is ACTIVE (moto keeps deleted ones as INACTIVE). */
  Optional<Service> ecsService() {
    return ecsService("web");
  }

  Optional<Service> ecsService(String name) {
    return world.ecsService(name);
  }

  Deployment deploymentOrNull() {
    return world.deploymentOrNull("web");
  }

  private Deployment deployment() {
    return deploymentOrNull();
  }

  private static String condition(EcsService s, String type) {
    return MigrationWorld.condition(s, type);
  }

  private List<String> eventReasons() {
    return admin.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "web".equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason())
        .toList();
  }

  /** Samples ECS running + Kubernetes ready once a second while a migration runs. */
  private static final class Sampler {
    private MigrationWorld.EverySecond timer;
    private final AtomicInteger lowest = new AtomicInteger(Integer.MAX_VALUE);
    private final AtomicInteger samples = new AtomicInteger();

    static Sampler start(MigrationIT it) {
      Sampler s = new Sampler();
      s.timer =
          new MigrationWorld.EverySecond(
              () -> {
                int old = it.ecsService().map(Service::runningCount).orElse(0);
                int ready = MigrationWorld.ready(it.deploymentOrNull());
                s.lowest.accumulateAndGet(old + ready, Math::min);
                s.samples.incrementAndGet();
              });
      return s;
    }

    void stop() {
      timer.stop();
    }

    int lowest() {
      return lowest.get();
    }

    int samples() {
      return samples.get();
    }
  }

  /**
   * Samples every second, for each Service, its ECS running + Kubernetes ready (two
   * DescribeServices of ten and one Deployment list), and how many have both sides at once.
   */
  private static final class FleetSampler {
    private MigrationWorld.EverySecond timer;
    private final AtomicInteger lowest = new AtomicInteger(Integer.MAX_VALUE);
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    static FleetSampler start(MigrationIT it, List<String> names) {
      FleetSampler s = new FleetSampler();
      s.timer =
          new MigrationWorld.EverySecond(
              () -> {
                Map<String, Integer> running = new java.util.HashMap<>();
                for (int i = 0; i < names.size(); i += 10) {
                  List<String> batch =
                      names.subList(i, Math.min(names.size(), i + 10)).stream()
                          .map(n -> it.ns + "_" + n)
                          .toList();
                  it
                      .ecs()
                      .describeServices(r -> r.cluster(it.clusterArn()).services(batch))
                      .services()
                      .stream()
                      .filter(x -> "ACTIVE".equals(x.status()))
                      .forEach(
                          x ->
                              running.put(
                                  x.serviceName().substring(it.ns.length() + 1), x.runningCount()));
                }
                Map<String, Integer> ready = new java.util.HashMap<>();
                it.admin
                    .apps()
                    .deployments()
                    .inNamespace(it.ns)
                    .list()
                    .getItems()
                    .forEach(d -> ready.put(d.getMetadata().getName(), MigrationWorld.ready(d)));
                int both = 0;
                for (String n : names) {
                  int capacity = running.getOrDefault(n, 0) + ready.getOrDefault(n, 0);
                  s.lowest.accumulateAndGet(capacity, Math::min);
                  if (running.containsKey(n) && ready.containsKey(n)) both++;
                }
                s.mostAtOnce.accumulateAndGet(both, Math::max);
                s.samples.incrementAndGet();
              });
      return s;
    }

    void reset() {
      lowest.set(Integer.MAX_VALUE);
      samples.set(0);
      mostAtOnce.set(0);
    }

    void stop() {
      timer.stop();
    }

    int lowest() {
      return lowest.get();
    }

    int samples() {
      return samples.get();
    }

    int mostAtOnce() {
      return mostAtOnce.get();
    }
  }
}
