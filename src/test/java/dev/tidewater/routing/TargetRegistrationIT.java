package dev.tidewater.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * The ground's AWS Load Balancer Controller (hack/testground.sh) acting on the TargetGroupBinding
 * of an {@code aws}-mode route: the route's target group holds exactly the ready pod IPs, and loses
 * the IPs of pods that go. Without the controller nothing registers them, and this test fails. Also
 * pins what moto's target health says (docs/aws-fidelity.md), which the cut-over's checks read.
 */
class TargetRegistrationIT {

  @RegisterExtension
  static final OperatorOnGround onGround =
      new OperatorOnGround("tgreg", Map.of(), List.of("-Dtidewater.resync-period=3s"));

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();

  private static final String WORKLOAD =
      """
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: Cluster
      metadata:
        name: default
      spec:
        routing: {mode: aws}
      ---
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: TaskDefinition
      metadata:
        name: web
      spec:
        requiresCompatibilities: [EC2]
        networkMode: awsvpc
        cpu: "256"
        memory: "512"
        containerDefinitions:
        - name: web
          image: nginx:1.27
          portMappings:
          - containerPort: 8080
      ---
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: Service
      metadata:
        name: web
      spec:
        taskDefinitionRef: {name: web}
        desiredCount: %d
      """;

  @Test
  void theTargetGroupHoldsExactlyTheReadyPodIpsAndLosesThoseThatGo() {
    String ns = onGround.namespace();
    try (ElasticLoadBalancingV2Client elb = elb();
        Ec2Client ec2 = ec2()) {
      Alb alb = alb(ec2, elb);
      Resources.apply(admin, WORKLOAD.formatted(3), ns);
      Resources.apply(
          admin,
          """
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
              conditions: {pathPatterns: ["/web/*"]}
          """
              .formatted(alb.loadBalancerArn(), alb.listenerArn()),
          ns);
      String tgArn =
          await()
              .atMost(Duration.ofSeconds(120))
              .until(
                  () -> {
                    LoadBalancerRoute r =
                        admin
                            .resources(LoadBalancerRoute.class)
                            .inNamespace(ns)
                            .withName("web")
                            .get();
                    return r == null || r.getStatus() == null ? null : r.getStatus().targetGroupArn;
                  },
                  arn -> arn != null);

      // three ready pods: their IPs, at the container port, and nothing else
      awaitTargetsAreTheReadyPods(ns, elb, tgArn, 3);
      assertThat(targets(elb, tgArn))
          .as("moto reports every registered IP target healthy at once")
          .allSatisfy(t -> assertThat(t.targetHealth().stateAsString()).isEqualTo("healthy"))
          .allSatisfy(t -> assertThat(t.target().port()).isEqualTo(8080));
      // the controller, not the operator, acted on the binding: it records what it saw
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                GenericKubernetesResource tgb =
                    admin
                        .genericKubernetesResources("elbv2.k8s.aws/v1beta1", "TargetGroupBinding")
                        .inNamespace(ns)
                        .withName("web")
                        .get();
                @SuppressWarnings("unchecked")
                Map<String, Object> status =
                    (Map<String, Object>) tgb.getAdditionalProperties().get("status");
                assertThat(status)
                    .isNotNull()
                    .containsEntry(
                        "observedGeneration", tgb.getMetadata().getGeneration().intValue());
              });

      // scale down: the IPs of the pods that go are deregistered
      Set<String> before = readyPodIps(ns);
      Resources.apply(admin, WORKLOAD.formatted(1), ns);
      Set<String> after = awaitTargetsAreTheReadyPods(ns, elb, tgArn, 1);
      assertThat(before).containsAll(after);
    }
  }

  /**
   * moto's answers as docs/aws-fidelity.md tables them: registered IPs healthy at once (even in a
   * group no listener uses), a deregistered target gone from the list; and an ECS service with a
   * load balancer whose tasks the strict layer's scheduler runs and registers, and deregisters as
   * they stop.
   */
  @Test
  void motoReportsTargetHealthAsTheFidelityNoteSays() {
    String suffix = UUID.randomUUID().toString().substring(0, 6);
    try (ElasticLoadBalancingV2Client elb = elb();
        Ec2Client ec2 = ec2();
        EcsClient ecs = ecs()) {
      Alb alb = alb(ec2, elb);
      String vpc =
          elb.describeLoadBalancers(r -> r.loadBalancerArns(alb.loadBalancerArn()))
              .loadBalancers()
              .get(0)
              .vpcId();
      String used = targetGroup(elb, "used-" + suffix, vpc);
      elb.modifyListener(
          r ->
              r.listenerArn(alb.listenerArn())
                  .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(used)));
      String unused = targetGroup(elb, "unused-" + suffix, vpc);

      elb.registerTargets(
          r ->
              r.targetGroupArn(used)
                  .targets(t -> t.id("10.60.1.10").port(8080), t -> t.id("10.60.1.11").port(8080)));
      elb.registerTargets(
          r -> r.targetGroupArn(unused).targets(t -> t.id("10.60.1.12").port(8080)));
      assertThat(targets(elb, used))
          .extracting(t -> t.target().id(), t -> t.targetHealth().stateAsString())
          .containsExactlyInAnyOrder(
              tuple("10.60.1.10", "healthy"), tuple("10.60.1.11", "healthy"));
      assertThat(targets(elb, unused))
          .extracting(t -> t.targetHealth().stateAsString())
          .as("no listener uses it: AWS says unused")
          .containsExactly("healthy");

      elb.deregisterTargets(
          r -> r.targetGroupArn(used).targets(t -> t.id("10.60.1.10").port(8080)));
      assertThat(targets(elb, used))
          .as("no draining")
          .extracting(t -> t.target().id())
          .containsExactly("10.60.1.11");
      assertThat(
              elb.describeTargetHealth(
                      r ->
                          r.targetGroupArn(used)
                              .targets(
                                  t -> t.id("10.60.1.10").port(8080),
                                  t -> t.id("10.60.1.99").port(8080)))
                  .targetHealthDescriptions())
          .extracting(
              t -> t.target().id(),
              t -> t.targetHealth().stateAsString(),
              t -> t.targetHealth().reasonAsString())
          .containsExactlyInAnyOrder(
              tuple("10.60.1.10", "unused", "Target.NotRegistered"),
              tuple("10.60.1.99", "unavailable", "Target.NotRegistered"));

      // an ECS service on the same target group: the strict layer plays ECS's scheduler (moto
      // starts no task): its tasks run and each is registered by its ENI address on the port
      var firstSubnet =
          ec2.describeSubnets(r -> r.filters(f -> f.name("vpc-id").values(vpc))).subnets().get(0);
      String subnet = firstSubnet.subnetId();
      // "10.60.1" or "10.60.2"
      String net = firstSubnet.cidrBlock().substring(0, firstSubnet.cidrBlock().lastIndexOf('.'));
      // moto 5.2.5 fails (KeyError) on an awsvpcConfiguration without security groups
      String sg =
          ec2.createSecurityGroup(
                  r -> r.groupName("tgreg-" + suffix).description("tasks").vpcId(vpc))
              .groupId();
      String cluster = "tgreg-" + suffix;
      ecs.createCluster(r -> r.clusterName(cluster));
      String td =
          ecs.registerTaskDefinition(
                  r ->
                      r.family("tgreg-" + suffix)
                          .networkMode(NetworkMode.AWSVPC)
                          .requiresCompatibilities(Compatibility.FARGATE)
                          .cpu("256")
                          .memory("512")
                          .containerDefinitions(
                              c ->
                                  c.name("web")
                                      .image("nginx:1.27")
                                      .portMappings(m -> m.containerPort(8080))))
              .taskDefinition()
              .taskDefinitionArn();
      ecs.createService(
          r ->
              r.cluster(cluster)
                  .serviceName("web")
                  .taskDefinition(td)
                  .desiredCount(2)
                  .launchType(LaunchType.FARGATE)
                  .loadBalancers(
                      l -> l.targetGroupArn(used).containerName("web").containerPort(8080))
                  .networkConfiguration(
                      n -> n.awsvpcConfiguration(a -> a.subnets(subnet).securityGroups(sg))));
      List<String> ips = taskIps(ecs, cluster);
      assertThat(ips)
          .as("two tasks, at the lowest free addresses of the subnet (AWS keeps .0 to .3)")
          .containsExactlyInAnyOrder(net + ".4", net + ".5");
      assertThat(
              ecs.describeServices(r -> r.cluster(cluster).services("web"))
                  .services()
                  .get(0)
                  .runningCount())
          .as("the RUNNING tasks, not MOTO_ECS_SERVICE_RUNNING")
          .isEqualTo(2);
      assertThat(targets(elb, used))
          .extracting(
              t -> t.target().id(), t -> t.target().port(), t -> t.targetHealth().stateAsString())
          .containsExactlyInAnyOrder(
              tuple("10.60.1.11", 8080, "healthy"),
              tuple(net + ".4", 8080, "healthy"),
              tuple(net + ".5", 8080, "healthy"));

      // a test pins a target's health (moto answers healthy for every registered target)
      ground.pinTargetHealth(used, net + ".4", 8080, "unhealthy");
      try {
        assertThat(targets(elb, used))
            .filteredOn(t -> t.target().id().equals(net + ".4"))
            .extracting(
                t -> t.targetHealth().stateAsString(), t -> t.targetHealth().reasonAsString())
            .containsExactly(tuple("unhealthy", "Target.FailedHealthChecks"));
      } finally {
        ground.pinTargetHealth(used, net + ".4", 8080, null);
      }
      assertThat(targets(elb, used))
          .extracting(t -> t.targetHealth().stateAsString())
          .containsOnly("healthy");

      // scaled in: a task stops and its target goes; deleted: ECS deregisters every task
      ecs.updateService(r -> r.cluster(cluster).service("web").desiredCount(1));
      List<String> left = taskIps(ecs, cluster);
      assertThat(left).hasSize(1);
      assertThat(targets(elb, used))
          .extracting(t -> t.target().id())
          .containsExactlyInAnyOrder("10.60.1.11", left.get(0));
      ecs.updateService(r -> r.cluster(cluster).service("web").desiredCount(0));
      ecs.deleteService(r -> r.cluster(cluster).service("web"));
      assertThat(taskIps(ecs, cluster)).isEmpty();
      assertThat(targets(elb, used)).extracting(t -> t.target().id()).containsExactly("10.60.1.11");
    }
  }

  /**
   * What sharing a target group with ECS tasks needs from the binding: the controller deregisters
   * every target of the group it did not find among the Service's endpoints (an ECS task's IP
   * included) unless the binding says {@code multiClusterTargetGroup: true}, when it removes only
   * targets it registered itself.
   */
  @Test
  void aBindingKeepsTargetsItDidNotRegisterOnlyAsAMultiClusterTargetGroup() {
    String ns = onGround.namespace();
    try (ElasticLoadBalancingV2Client elb = elb();
        Ec2Client ec2 = ec2()) {
      String vpc = ec2.createVpc(r -> r.cidrBlock("10.61.0.0/16")).vpc().vpcId();
      String suffix = UUID.randomUUID().toString().substring(0, 6);
      Map<Boolean, String> groups =
          Map.of(
              false, targetGroup(elb, "single-" + suffix, vpc),
              true, targetGroup(elb, "multi-" + suffix, vpc));
      groups.forEach(
          (multi, tg) -> {
            // an ECS task's IP, registered by someone else before the binding exists
            elb.registerTargets(
                r -> r.targetGroupArn(tg).targets(t -> t.id("10.61.1.50").port(8080)));
            String name = multi ? "multi" : "single";
            Resources.apply(
                admin,
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      containers:
                      - name: web
                        image: nginx:1.27
                        ports: [{containerPort: 8080}]
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: %1$s
                spec:
                  selector: {app: %1$s}
                  ports: [{port: 8080, targetPort: 8080}]
                ---
                apiVersion: elbv2.k8s.aws/v1beta1
                kind: TargetGroupBinding
                metadata:
                  name: %1$s
                spec:
                  serviceRef: {name: %1$s, port: 8080}
                  targetGroupARN: %2$s
                  targetType: ip
                  multiClusterTargetGroup: %3$s
                """
                    .formatted(name, tg, multi),
                ns);
          });
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                Set<String> single = ids(elb, groups.get(false));
                Set<String> multi = ids(elb, groups.get(true));
                assertThat(single)
                    .as("single-cluster group")
                    .hasSize(1)
                    .doesNotContain("10.61.1.50");
                assertThat(multi).as("multi-cluster group").hasSize(2).contains("10.61.1.50");
              });
    }
  }

  private static Set<String> ids(ElasticLoadBalancingV2Client elb, String tgArn) {
    return targets(elb, tgArn).stream().map(t -> t.target().id()).collect(Collectors.toSet());
  }

  private static String targetGroup(ElasticLoadBalancingV2Client elb, String name, String vpc) {
    return elb.createTargetGroup(
            r -> r.name(name).protocol("HTTP").port(8080).vpcId(vpc).targetType(TargetTypeEnum.IP))
        .targetGroups()
        .get(0)
        .targetGroupArn();
  }

  /**
   * Waits until {@code count} pods are ready and the target group's targets are exactly their IPs;
   * returns those IPs.
   */
  private static Set<String> awaitTargetsAreTheReadyPods(
      String ns, ElasticLoadBalancingV2Client elb, String tgArn, int count) {
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              Set<String> ready = readyPodIps(ns);
              assertThat(ready).hasSize(count);
              assertThat(
                      targets(elb, tgArn).stream()
                          .map(t -> t.target().id())
                          .collect(Collectors.toSet()))
                  .as("registered targets (ready pods %s)", ready)
                  .isEqualTo(ready);
            });
    return readyPodIps(ns);
  }

  private static List<TargetHealthDescription> targets(
      ElasticLoadBalancingV2Client elb, String tgArn) {
    return elb.describeTargetHealth(r -> r.targetGroupArn(tgArn)).targetHealthDescriptions();
  }

  /** IPs of the namespace's pods that are Ready and not being deleted. */
  private static Set<String> readyPodIps(String ns) {
    return admin.pods().inNamespace(ns).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(TargetRegistrationIT::ready)
        .map(p -> p.getStatus().getPodIP())
        .collect(Collectors.toSet());
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getPodIP() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The ENI addresses of the RUNNING tasks of the ECS service "web" of {@code cluster}. */
  private static List<String> taskIps(EcsClient ecs, String cluster) {
    List<String> arns = ecs.listTasks(r -> r.cluster(cluster).serviceName("web")).taskArns();
    if (arns.isEmpty()) return List.of();
    return ecs.describeTasks(r -> r.cluster(cluster).tasks(arns)).tasks().stream()
        .flatMap(t -> t.attachments().stream())
        .flatMap(a -> a.details().stream())
        .filter(d -> "privateIPv4Address".equals(d.name()))
        .map(d -> d.value())
        .toList();
  }

  private record Alb(String loadBalancerArn, String listenerArn) {}

  /** A load balancer of this test in moto (its own VPC, two subnets) and its HTTP:80 listener. */
  private static Alb alb(Ec2Client ec2, ElasticLoadBalancingV2Client elb) {
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.60.0.0/16")).vpc().vpcId();
    String a =
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.60.1.0/24").availabilityZone("us-east-1a"))
            .subnet()
            .subnetId();
    String b =
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.60.2.0/24").availabilityZone("us-east-1b"))
            .subnet()
            .subnetId();
    String name = "tgreg-" + UUID.randomUUID().toString().substring(0, 6);
    String lbArn =
        elb.createLoadBalancer(r -> r.name(name).subnets(a, b))
            .loadBalancers()
            .get(0)
            .loadBalancerArn();
    String listenerArn =
        elb.createListener(
                r ->
                    r.loadBalancerArn(lbArn)
                        .port(80)
                        .protocol("HTTP")
                        .defaultActions(
                            d ->
                                d.type(ActionTypeEnum.FIXED_RESPONSE)
                                    .fixedResponseConfig(f -> f.statusCode("404"))))
            .listeners()
            .get(0)
            .listenerArn();
    return new Alb(lbArn, listenerArn);
  }

  private static ElasticLoadBalancingV2Client elb() {
    return ElasticLoadBalancingV2Client.builder()
        .endpointOverride(ground.motoEndpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .build();
  }

  private static EcsClient ecs() {
    return EcsClient.builder()
        .endpointOverride(ground.motoEndpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .build();
  }

  private static Ec2Client ec2() {
    return Ec2Client.builder()
        .endpointOverride(ground.motoEndpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .build();
  }

  /** The strict layer's admin: unrestricted, still held to the service models. */
  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(
            TestGround.ADMIN_ACCESS_KEY_ID, TestGround.ADMIN_SECRET_ACCESS_KEY));
  }
}
