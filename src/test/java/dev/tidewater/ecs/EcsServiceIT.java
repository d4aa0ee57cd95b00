package dev.tidewater.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsClientOptions;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;

/**
 * The ecs backend of Services, end to end: the packaged operator against the test ground's API
 * server and moto (the strict layer runs each service's tasks, so runningCount counts them). Each
 * test has its own namespace, hence its own ECS cluster. (Circuit-breaker rollbacks cannot be
 * played in the ground, where no deployment ever fails: EcsRollbackTest covers rule 7 as data.)
 */
class EcsServiceIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  // the ECS sweep follows the operator's resync when shorter: every 20 s here
  private static final Duration RESYNC = Duration.ofSeconds(20);
  private static final AwsContext MOTO = ground.motoContext();
  private static final AwsClientFactory aws =
      new AwsClientFactory(
          new AwsClientOptions(
              3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5), 1000, 1000),
          new AwsCallCounter());

  /** Calls that change AWS: none may happen in a resync of unchanged Services. */
  private static final List<String> WRITES =
      List.of(
          "Ecs:CreateService",
          "Ecs:UpdateService",
          "Ecs:DeleteService",
          "Ecs:TagResource",
          "Ecs:UntagResource",
          "Ecs:RegisterTaskDefinition",
          "Ecs:DeregisterTaskDefinition",
          "Ecs:CreateCluster",
          "ApplicationAutoScaling:RegisterScalableTarget",
          "ApplicationAutoScaling:DeregisterScalableTarget",
          "ApplicationAutoScaling:PutScalingPolicy",
          "ApplicationAutoScaling:DeleteScalingPolicy");

  private static OperatorProcess operator;
  private String ns;
  private List<String> subnets;
  private String securityGroup;

  @BeforeAll
  static void start() {
    Crds.apply(admin);
    operator =
        OperatorProcess.start(
            ground, Map.of(), List.of("-Dtidewater.resync-period=" + RESYNC.toSeconds() + "s"));
  }

  @AfterAll
  static void stop() {
    if (operator != null) operator.close();
    aws.close();
  }

  @BeforeEach
  void namespaceAndNetwork() {
    ns = ground.createNamespace("ecssvc");
    // awsvpc services need a VPC, subnets and a security group in moto's EC2 first
    Ec2Client ec2 = aws.ec2(MOTO);
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    subnets = new ArrayList<>();
    // two zones: a load balancer on them needs subnets in two availability zones
    for (String zone : List.of("a", "b")) {
      String cidr = "10.0." + (zone.equals("a") ? 1 : 2) + ".0/24";
      subnets.add(
          ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidr).availabilityZone("us-east-1" + zone))
              .subnet()
              .subnetId());
    }
    securityGroup =
        ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName(ns).description("tasks")).groupId();
  }

  @AfterEach
  void cleanUp() {
    ground.deleteNamespace(ns);
    // the next test measures the operator's calls: this namespace's finalizers must be done
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> admin.namespaces().withName(ns).get() == null);
  }

  // ---- helpers -----------------------------------------------------------------------------

  private void apply(String yaml) {
    Resources.apply(admin, yaml, ns);
  }

  private void applyCluster() {
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
        """);
  }

  private void applyTaskDefinition(String image) {
    applyTaskDefinition(image, "");
  }

  /** The TaskDefinition "web" with {@code image}; {@code specExtra}: more fields of its spec. */
  private void applyTaskDefinition(String image, String specExtra) {
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: web
        spec:
          requiresCompatibilities: [FARGATE]
          networkMode: awsvpc
          cpu: "256"
          memory: "512"
        %s  containerDefinitions:
          - name: web
            image: %s
            essential: true
            portMappings:
            - containerPort: 8080
        """
            .formatted(indent(specExtra), image));
  }

  private String serviceYaml(String name, String extra) {
    return """
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
              assignPublicIp: DISABLED
          deploymentConfiguration:
            maximumPercent: 200
            minimumHealthyPercent: 100
            deploymentCircuitBreaker:
              enable: true
              rollback: true
          propagateTags: SERVICE
          tags:
          - key: team
            value: web
        %s
        """
        .formatted(name, String.join(", ", subnets), securityGroup, indent(extra));
  }

  private static String indent(String extra) {
    return extra.lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
  }

  private EcsService service(String name) {
    return admin.resources(EcsService.class).inNamespace(ns).withName(name).get();
  }

  private TaskDefinition taskDefinition() {
    return admin.resources(TaskDefinition.class).inNamespace(ns).withName("web").get();
  }

  private String clusterArn() {
    Cluster c = admin.resources(Cluster.class).inNamespace(ns).withName("default").get();
    return c == null || c.getStatus() == null ? null : c.getStatus().clusterArn;
  }

  private String ecsName(String name) {
    return ns + "_" + name;
  }

  private EcsClient ecs() {
    return aws.ecs(MOTO);
  }

  private Service described(String name) {
    return ecs()
        .describeServices(
            r -> r.cluster(clusterArn()).services(ecsName(name)).include(ServiceField.TAGS))
        .services()
        .get(0);
  }

  private static Map<String, String> tags(Service s) {
    return s.tags().stream()
        .collect(java.util.stream.Collectors.toMap(t -> t.key(), t -> t.value()));
  }

  private static boolean condition(EcsService s, String type, String status, String reason) {
    return s != null
        && s.getStatus() != null
        && s.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    type.equals(c.getType())
                        && status.equals(c.getStatus())
                        && (reason == null || reason.equals(c.getReason())));
  }

  private void awaitRunning(String name, int revision) {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              EcsService s = service(name);
              assertThat(s.getStatus()).isNotNull();
              assertThat(s.getStatus().serviceArn).isNotNull();
              assertThat(s.getStatus().revision).isEqualTo(revision);
              assertThat(s.getStatus().runningCount).isEqualTo(1);
              assertThat(s.getStatus().desiredCount).isEqualTo(1);
              assertThat(condition(s, "Ready", "True", "Running"))
                  .as("Ready: %s", s.getStatus().getConditions())
                  .isTrue();
            });
  }

  private String revisionArn(int revision) {
    return taskDefinition().getStatus().revisions.stream()
        .filter(r -> r.revision == revision)
        .findFirst()
        .orElseThrow()
        .taskDefinitionArn;
  }

  private double calls(String api) {
    return operator.counter("tidewater_aws_calls_total", "api=\"" + api + "\"");
  }

  private double writes() {
    return WRITES.stream().mapToDouble(this::calls).sum();
  }

  private double serviceReconciles() {
    return operator.counter("tidewater_reconciles_total", "kind=\"Service\"");
  }

  private List<Event> events(String name, String reason) {
    return Resources.events(admin, ns, name, reason);
  }

  /** Waits for a full sweep of the cluster's Services and until they are quiet again. */
  private void awaitSweep(int services) {
    double before = serviceReconciles();
    // each look is a metrics scrape: once a second is plenty for a 20 s sweep
    await()
        .atMost(RESYNC.multipliedBy(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> serviceReconciles() >= before + services);
    awaitQuiet();
  }

  /** Until no Service reconcile happened for a few seconds (between two sweeps). */
  private void awaitQuiet() {
    double[] last = {serviceReconciles()};
    await()
        .atMost(RESYNC.multipliedBy(3))
        .pollInterval(Duration.ofSeconds(3))
        .until(
            () -> {
              double now = serviceReconciles();
              boolean quiet = now == last[0];
              last[0] = now;
              return quiet;
            });
  }

  // ---- tests -------------------------------------------------------------------------------

  @Test
  void aServiceBecomesAnEcsServiceWithItsRevisionTagsNetworkAndRouteTargetGroup() {
    applyCluster();
    applyTaskDefinition("nginx:1.27");
    apply(serviceYaml("web", ""));
    awaitRunning("web", 1);

    EcsService s = service("web");
    Service ecs = described("web");
    assertThat(ecs.serviceArn()).isEqualTo(s.getStatus().serviceArn);
    assertThat(ecs.status()).isEqualTo("ACTIVE");
    assertThat(ecs.taskDefinition()).isEqualTo(revisionArn(1));
    assertThat(ecs.desiredCount()).isEqualTo(1);
    assertThat(ecs.runningCount()).isEqualTo(1);
    assertThat(ecs.launchTypeAsString()).isEqualTo("FARGATE");
    assertThat(ecs.networkConfiguration().awsvpcConfiguration().subnets())
        .containsExactlyInAnyOrderElementsOf(subnets);
    assertThat(ecs.networkConfiguration().awsvpcConfiguration().securityGroups())
        .containsExactly(securityGroup);
    assertThat(tags(ecs))
        .containsEntry("team", "web")
        .containsEntry(AwsOwnership.OWNER_TAG, "Service/" + ns + "/web")
        .containsEntry(AwsOwnership.UID_TAG, s.getMetadata().getUid());
    assertThat(s.getStatus().pendingCount).isZero();
    assertThat(s.getStatus().rolloutState).isEqualTo("COMPLETED");
    assertThat(s.getMetadata().getFinalizers()).isNotEmpty();

    // a LoadBalancerRoute that targets the Service: its reconciler makes the target group and
    // rule on a listener that exists in moto, and the Service's load balancers then carry it
    ElasticLoadBalancingV2Client elb = aws.elbv2(MOTO);
    String lbName = ns.substring(0, Math.min(28, ns.length())) + "-alb";
    var alb = elb.createLoadBalancer(r -> r.name(lbName).subnets(subnets)).loadBalancers().get(0);
    elb.createListener(
        r ->
            r.loadBalancerArn(alb.loadBalancerArn())
                .port(80)
                .protocol("HTTP")
                .defaultActions(
                    a ->
                        a.type(ActionTypeEnum.FIXED_RESPONSE)
                            .fixedResponseConfig(f -> f.statusCode("404"))));
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata:
          name: web
        spec:
          loadBalancer:
            name: %s
          listener:
            port: 80
            protocol: HTTP
          target:
            serviceRef:
              name: web
            containerPort: 8080
          rules:
          - priority: 10
            conditions:
              pathPatterns: ["/web/*"]
        """
            .formatted(lbName));
    String targetGroup =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  LoadBalancerRoute route =
                      admin
                          .resources(LoadBalancerRoute.class)
                          .inNamespace(ns)
                          .withName("web")
                          .get();
                  return route.getStatus() == null ? null : route.getStatus().targetGroupArn;
                },
                java.util.Objects::nonNull);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(described("web").loadBalancers())
                    .singleElement()
                    .satisfies(
                        lb -> {
                          assertThat(lb.targetGroupArn()).isEqualTo(targetGroup);
                          assertThat(lb.containerName()).isEqualTo("web");
                          assertThat(lb.containerPort()).isEqualTo(8080);
                        }));
  }

  @Test
  void aTaskDefinitionChangeUpdatesTheServiceWithExactlyOneUpdateService() {
    applyCluster();
    applyTaskDefinition("nginx:1.27");
    apply(serviceYaml("web", ""));
    awaitRunning("web", 1);
    awaitQuiet();
    double updates = calls("Ecs:UpdateService");

    applyTaskDefinition("nginx:1.28");
    awaitRunning("web", 2);
    assertThat(described("web").taskDefinition()).isEqualTo(revisionArn(2));
    awaitSweep(1);

    assertThat(calls("Ecs:UpdateService") - updates).isEqualTo(1.0);
    assertThat(events("web", "RolloutStarted")).isNotEmpty();
  }

  @Test
  void aResyncOfFiftyUnchangedServicesMakesNoWriteAndFiveDescribeServicesCalls() {
    applyCluster();
    applyTaskDefinition("nginx:1.27");
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      yaml.append(serviceYaml("web-" + i, "")).append("---\n");
    }
    apply(yaml.toString());
    await()
        .atMost(Duration.ofSeconds(240))
        .until(
            () ->
                IntStream.range(0, 50)
                    .allMatch(i -> condition(service("web-" + i), "Ready", "True", "Running")));
    // one sweep to settle whatever creation left in flight, then the one measured
    awaitSweep(50);
    double describes = calls("Ecs:DescribeServices");
    double writes = writes();
    double statusPatches = serviceReconciles();

    awaitSweep(50);

    assertThat(serviceReconciles() - statusPatches).isGreaterThanOrEqualTo(50);
    assertThat(writes() - writes).as("AWS writes in a resync of 50 Services").isZero();
    assertThat(calls("Ecs:DescribeServices") - describes)
        .as("DescribeServices calls in a resync of 50 Services")
        .isEqualTo(5.0);
  }

  @Test
  void anOutOfBandDesiredCountIsRestoredWithinOneResyncWithAnEvent() {
    applyCluster();
    applyTaskDefinition("nginx:1.27");
    apply(serviceYaml("web", ""));
    awaitRunning("web", 1);

    ecs().updateService(r -> r.cluster(clusterArn()).service(ecsName("web")).desiredCount(3));

    await()
        .atMost(RESYNC.multipliedBy(2).plusSeconds(10))
        .untilAsserted(() -> assertThat(described("web").desiredCount()).isEqualTo(1));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("web", "DriftCorrected"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains("desiredCount")));
  }

  @Test
  void anOutOfBandTaskDefinitionIsRestored() {
    applyCluster();
    applyTaskDefinition("nginx:1.27");
    apply(serviceYaml("web", ""));
    awaitRunning("web", 1);
    String foreign =
        ecs()
            .registerTaskDefinition(
                r ->
                    r.family(ns + "-other")
                        .networkMode("awsvpc")
                        .requiresCompatibilitiesWithStrings("FARGATE")
                        .cpu("256")
                        .memory("512")
                        .containerDefinitions(c -> c.name("x").image("busybox")))
            .taskDefinition()
            .taskDefinitionArn();

    ecs()
        .updateService(
            r -> r.cluster(clusterArn()).service(ecsName("web")).taskDefinition(foreign));

    await()
        .atMost(RESYNC.multipliedBy(2).plusSeconds(10))
        .untilAsserted(
            () -> assertThat(described("web").taskDefinition()).isEqualTo(revisionArn(1)));
    // the Event follows the UpdateService in the same reconcile, a moment later
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(events("web", "DriftCorrected")).isNotEmpty());
  }

  @Test
  void aForeignServiceOfTheSameNameIsANameConflictUntilAdopted() {
    applyCluster();
    applyTaskDefinition("nginx:1.27");
    await().atMost(Duration.ofSeconds(30)).until(() -> clusterArn() != null);
    String foreignTd =
        ecs()
            .registerTaskDefinition(
                r ->
                    r.family(ns + "-foreign")
                        .containerDefinitions(c -> c.name("x").image("busybox").memory(128)))
            .taskDefinition()
            .taskDefinitionArn();
    ecs()
        .createService(
            r ->
                r.cluster(clusterArn())
                    .serviceName(ecsName("web"))
                    .taskDefinition(foreignTd)
                    .desiredCount(1)
                    .tags(t -> t.key("team").value("someone-else")));

    apply(serviceYaml("web", ""));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> condition(service("web"), "Degraded", "True", "NameConflict"));
    assertThat(described("web").taskDefinition()).as("not touched").isEqualTo(foreignTd);
    assertThat(events("web", "NameConflict")).isNotEmpty();

    // adoption needs a TenancyPolicy that allows it (issue 19): the ground's does (a namespace
    // whose
    // policy does not is CrossNamespaceIT's)
    apply(serviceYaml("web", "adopt: true"));
    awaitRunning("web", 1);
    Service adopted = described("web");
    assertThat(adopted.taskDefinition()).isEqualTo(revisionArn(1));
    assertThat(tags(adopted))
        .containsEntry(AwsOwnership.OWNER_TAG, "Service/" + ns + "/web")
        .containsEntry("team", "web");
  }

  @Test
  void aServiceAndItsTaskDefinitionOnDifferentClustersIsAClusterMismatch() {
    applyCluster();
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: web
        spec:
          clusterRef:
            name: other
          containerDefinitions:
          - name: web
            image: nginx:1.27
            memory: 128
        """);
    apply(serviceYaml("web", ""));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> condition(service("web"), "Degraded", "True", "ClusterMismatch"));
  }

  @Test
  void aServiceDeletedOutOfBandIsCreatedAgain() {
    applyCluster();
    applyTaskDefinition("nginx:1.27");
    apply(serviceYaml("web", ""));
    awaitRunning("web", 1);
    double creates = calls("Ecs:CreateService");

    ecs().deleteService(r -> r.cluster(clusterArn()).service(ecsName("web")).force(true));

    await()
        .atMost(RESYNC.multipliedBy(2).plusSeconds(10))
        .untilAsserted(
            () -> {
              Service again = described("web");
              assertThat(again.status()).isEqualTo("ACTIVE");
              assertThat(again.taskDefinition()).isEqualTo(revisionArn(1));
            });
    assertThat(calls("Ecs:CreateService") - creates).isEqualTo(1.0);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("web", "DriftCorrected"))
                    .anySatisfy(e -> assertThat(e.getMessage()).contains("deleted outside")));
  }

  @Test
  void deletingTheNamespaceLeavesNoLiveService() {
    applyCluster();
    applyTaskDefinition("nginx:1.27");
    apply(serviceYaml("web", ""));
    awaitRunning("web", 1);
    String cluster = clusterArn();

    // the Cluster goes together with the Service: the service is deleted where it last ran
    ground.deleteNamespace(ns);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> admin.namespaces().withName(ns).get() == null);

    assertThat(ecs().describeServices(r -> r.cluster(cluster).services(ecsName("web"))).services())
        .allSatisfy(s -> assertThat(s.status()).isEqualTo("INACTIVE"));
  }

  @Test
  void autoscalingRegistersTheScalerAndDesiredCountIsLeftToIt() {
    applyCluster();
    applyTaskDefinition("nginx:1.27");
    apply(
        serviceYaml(
            "web",
            """
            autoscaling:
              minTasks: 1
              maxTasks: 4
              targetCpuUtilization: 60
              targetMemoryUtilization: 70
            """));
    awaitRunning("web", 1);
    ApplicationAutoScalingClient scaler = aws.autoScaling(MOTO);
    String resourceId =
        "service/"
            + clusterArn().substring(clusterArn().lastIndexOf('/') + 1)
            + "/"
            + ecsName("web");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(
                      scaler
                          .describeScalableTargets(
                              r -> r.serviceNamespace(ServiceNamespace.ECS).resourceIds(resourceId))
                          .scalableTargets())
                  .singleElement()
                  .satisfies(
                      t -> {
                        assertThat(t.minCapacity()).isEqualTo(1);
                        assertThat(t.maxCapacity()).isEqualTo(4);
                        assertThat(t.scalableDimension())
                            .isEqualTo(ScalableDimension.ECS_SERVICE_DESIRED_COUNT);
                      });
              assertThat(
                      scaler
                          .describeScalingPolicies(
                              r -> r.serviceNamespace(ServiceNamespace.ECS).resourceId(resourceId))
                          .scalingPolicies())
                  .filteredOn(p -> resourceId.equals(p.resourceId()))
                  .extracting(p -> p.policyName())
                  .containsExactlyInAnyOrder("tidewater-cpu", "tidewater-memory");
            });

    // the scaler owns desiredCount: a changed count is not "restored"
    double updates = calls("Ecs:UpdateService");
    ecs().updateService(r -> r.cluster(clusterArn()).service(ecsName("web")).desiredCount(3));
    awaitSweep(1);
    awaitSweep(1);
    assertThat(described("web").desiredCount()).isEqualTo(3);
    assertThat(calls("Ecs:UpdateService") - updates).isZero();

    // autoscaling removed: the target goes
    apply(serviceYaml("web", ""));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        scaler
                            .describeScalableTargets(
                                r ->
                                    r.serviceNamespace(ServiceNamespace.ECS)
                                        .resourceIds(resourceId))
                            .scalableTargets())
                    .isEmpty());
  }

  // ---- what real ECS requires and the strict AWS layer enforces (issue 15) --------------------

  /** The strict layer's refusals from {@code from} on (its log is the whole ground's). */
  private static List<TestGround.Refusal> refusalsSince(int from) {
    List<TestGround.Refusal> all = ground.refusals();
    return all.subList(Math.min(from, all.size()), all.size());
  }

  @Test
  void aLaunchTypeServiceMovesToCapacityProvidersAndBackWithANewDeployment() {
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
        """);
    applyTaskDefinition("nginx:1.27");
    apply(serviceYaml("web", ""));
    awaitRunning("web", 1);
    int refusals = ground.refusals().size();

    // ECS refuses a changed strategy without forceNewDeployment (the whole UpdateService fails)
    apply(
        serviceYaml(
                "web",
                """
                capacityProviderStrategy:
                - capacityProvider: FARGATE_SPOT
                  weight: 1
                """)
            .replace("  launchType: FARGATE\n", ""));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(described("web").capacityProviderStrategy())
                    .extracting(i -> i.capacityProvider())
                    .containsExactly("FARGATE_SPOT"));
    awaitRunning("web", 1);

    // and back to the launch type: the empty strategy ECS documents, with a new deployment
    apply(serviceYaml("web", ""));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(described("web").capacityProviderStrategy()).isEmpty());
    awaitRunning("web", 1);
    awaitSweep(1);
    double updates = calls("Ecs:UpdateService");
    awaitSweep(1);
    assertThat(calls("Ecs:UpdateService") - updates).as("settled: no update per resync").isZero();
    assertThat(refusalsSince(refusals))
        .as("nothing ECS would refuse")
        .filteredOn(r -> r.service().equals("ecs"))
        .isEmpty();
  }

  @Test
  void aStormOfThrottledCallsIsRiddenOut() {
    int refusals = ground.refusals().size();
    ground.strictConfig(Map.of("throttleEvery", 4));
    try {
      applyCluster();
      applyTaskDefinition("nginx:1.27");
      apply(serviceYaml("web", ""));
      awaitRunning("web", 1);
      applyTaskDefinition("nginx:1.28");
      awaitRunning("web", 2);
    } finally {
      ground.strictConfig(Map.of("throttleEvery", 0));
    }
    assertThat(refusalsSince(refusals))
        .as("the storm happened")
        .anySatisfy(r -> assertThat(r.code()).startsWith("Throttl"));
    assertThat(service("web").getStatus().getConditions())
        .noneSatisfy(c -> assertThat(c.getReason()).isEqualTo("Throttled"));
  }

  @Test
  void aTaskRoleEcsCannotAssumeYetIsWaitedForWithoutDegrading() {
    ground.strictConfig(Map.of("iamPropagationSeconds", 20));
    try {
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
            guardrails:
              permissionsBoundaryArn: arn:aws:iam::123456789012:policy/tidewater/boundaries/tasks
          ---
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: TaskRole
          metadata:
            name: web
          spec:
            inlinePolicies:
            - name: read
              document:
                Version: "2012-10-17"
                Statement:
                - Effect: Allow
                  Action: ["s3:GetObject"]
                  Resource: ["arn:aws:s3:::example-assets/web/*"]
          """);
      applyTaskDefinition("nginx:1.27", "taskRoleRef:\n  name: web\n");
      apply(serviceYaml("web", ""));
      java.util.Set<String> degraded = new java.util.TreeSet<>();
      java.util.Set<String> progressing = new java.util.TreeSet<>();
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                EcsService s = service("web");
                if (s == null || s.getStatus() == null) return false;
                s.getStatus().getConditions().stream()
                    .filter(c -> "True".equals(c.getStatus()))
                    .forEach(
                        c -> {
                          if ("Degraded".equals(c.getType())) degraded.add(c.getReason());
                          if ("Progressing".equals(c.getType())) progressing.add(c.getReason());
                        });
                return condition(s, "Ready", "True", "Running");
              });
      assertThat(progressing).contains("WaitingForRolePropagation");
      assertThat(degraded).as("never Degraded while IAM propagates").isEmpty();
    } finally {
      ground.strictConfig(Map.of("iamPropagationSeconds", 0));
    }
  }

  @Test
  void deleteScalesToZeroAndDeletesRetainLeavesTheService() {
    applyCluster();
    applyTaskDefinition("nginx:1.27");
    apply(serviceYaml("gone", ""));
    apply(serviceYaml("kept", "deletionPolicy: Retain"));
    awaitRunning("gone", 1);
    awaitRunning("kept", 1);
    String cluster = clusterArn();
    double deletes = calls("Ecs:DeleteService");

    admin.resources(EcsService.class).inNamespace(ns).withName("gone").delete();
    admin.resources(EcsService.class).inNamespace(ns).withName("kept").delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> service("gone") == null && service("kept") == null);

    assertThat(calls("Ecs:DeleteService") - deletes).isEqualTo(1.0);
    // moto keeps deleted services, INACTIVE (AWS shows them for a while too): nothing of this
    // namespace may be left alive with our owner tag but the retained one
    List<Service> alive =
        ecs()
            .describeServices(
                r ->
                    r.cluster(cluster)
                        .services(ecsName("gone"), ecsName("kept"))
                        .include(ServiceField.TAGS))
            .services()
            .stream()
            .filter(s -> !"INACTIVE".equals(s.status()))
            .filter(s -> tags(s).getOrDefault(AwsOwnership.OWNER_TAG, "").contains("/" + ns + "/"))
            .toList();
    assertThat(alive).extracting(Service::serviceName).containsExactly(ecsName("kept"));
    assertThat(alive.get(0).desiredCount()).isEqualTo(1);
    Service gone =
        ecs().describeServices(r -> r.cluster(cluster).services(ecsName("gone"))).services().get(0);
    assertThat(gone.desiredCount()).as("scaled to zero before the delete").isZero();
  }
}
