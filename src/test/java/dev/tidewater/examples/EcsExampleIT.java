package dev.tidewater.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.testing.CrashAfterNthCall;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.ExampleResource;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * The web example of {@code examples/} under {@code examples/ecs/cluster.yaml} (the same resources,
 * the Cluster flipped to {@code backend: ecs}) becomes, in moto, an ECS cluster, a task definition
 * revision running under an IAM role trusted by ECS tasks, a target group with the route's listener
 * rules at their exact priorities, and an ECS service wired to that target group.
 */
class EcsExampleIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final AwsContext MOTO = ground.motoContext();
  private static final AwsClientFactory aws =
      new AwsClientFactory(CrashAfterNthCall.FAST, new AwsCallCounter());
  private static OperatorProcess operator;
  private static String ns;

  @BeforeAll
  static void start() {
    Crds.apply(admin);
    operator = OperatorProcess.start(ground, Map.of(), List.of());
    ns = ground.createNamespace("ecs-example");
  }

  @AfterAll
  static void stop() {
    if (operator != null) operator.close();
    if (ns != null) ground.deleteNamespace(ns);
  }

  private void apply(String example, String overrides) {
    Map<String, Object> tree =
        overrides.isBlank()
            ? ExampleResource.load(example)
            : ExampleResource.with(example, overrides);
    Resources.apply(admin, JSON.asYaml(tree), ns);
  }

  private <T extends HasMetadata> T get(Class<T> type, String name) {
    return admin.resources(type).inNamespace(ns).withName(name).get();
  }

  private static boolean ready(TidewaterStatus status) {
    return status != null
        && status.getConditions() != null
        && status.getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Test
  void theWebExampleRunsOnEcsWithItsRoleTargetGroupAndRules() {
    // moto: the network the service runs in, and the "public" ALB the route attaches to. moto
    // wants an ACM certificate for an HTTPS listener, so the example's listener is HTTP:80 here.
    Ec2Client ec2 = aws.ec2(MOTO);
    ElasticLoadBalancingV2Client elb = aws.elbv2(MOTO);
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.40.0.0/16")).vpc().vpcId();
    String subnetA =
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.40.1.0/24").availabilityZone("us-east-1a"))
            .subnet()
            .subnetId();
    String subnetB =
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.40.2.0/24").availabilityZone("us-east-1b"))
            .subnet()
            .subnetId();
    String sg =
        ec2.createSecurityGroup(r -> r.groupName(ns).description("web").vpcId(vpc)).groupId();
    String lbName = ns.length() > 32 ? ns.substring(0, 32) : ns;
    var lb = elb.createLoadBalancer(r -> r.name(lbName).subnets(subnetA, subnetB)).loadBalancers();
    String listenerArn =
        elb.createListener(
                r ->
                    r.loadBalancerArn(lb.get(0).loadBalancerArn())
                        .port(80)
                        .protocol("HTTP")
                        .defaultActions(
                            a ->
                                a.type(ActionTypeEnum.FIXED_RESPONSE)
                                    .fixedResponseConfig(f -> f.statusCode("404"))))
            .listeners()
            .get(0)
            .listenerArn();

    apply("ecs/cluster", "spec.ecs.clusterName: " + ns);
    apply("taskrole", "");
    apply("taskdefinition", "");
    apply(
        "service",
        """
        spec.networkConfiguration.awsvpcConfiguration.subnets: [%s, %s]
        spec.networkConfiguration.awsvpcConfiguration.securityGroups: [%s]
        """
            .formatted(subnetA, subnetB, sg));
    apply(
        "loadbalancerroute",
        """
        spec.loadBalancer.name: %s
        spec.listener.port: 80
        spec.listener.protocol: HTTP
        spec.listener.certificateArn: null
        """
            .formatted(lbName));

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              assertThat(ready(get(TaskRole.class, "web").getStatus()))
                  .as("TaskRole Ready")
                  .isTrue();
              assertThat(ready(get(TaskDefinition.class, "web").getStatus()))
                  .as("TaskDefinition")
                  .isTrue();
              assertThat(ready(get(LoadBalancerRoute.class, "web").getStatus()))
                  .as("route Ready")
                  .isTrue();
              EcsService s = get(EcsService.class, "web");
              assertThat(s.getStatus()).isNotNull();
              assertThat(s.getStatus().serviceArn).as("service ARN").isNotNull();
            });

    TaskRole role = get(TaskRole.class, "web");
    TaskDefinition td = get(TaskDefinition.class, "web");
    LoadBalancerRoute route = get(LoadBalancerRoute.class, "web");
    EcsService service = get(EcsService.class, "web");

    // the IAM role: trusted by ECS tasks, with the example's inline policy
    String roleName =
        role.getStatus().roleArn.substring(role.getStatus().roleArn.lastIndexOf('/') + 1);
    var iam = aws.iam(MOTO);
    String trust =
        URLDecoder.decode(
            iam.getRole(r -> r.roleName(roleName)).role().assumeRolePolicyDocument(),
            StandardCharsets.UTF_8);
    assertThat(trust).contains("ecs-tasks.amazonaws.com").contains("sts:AssumeRole");
    assertThat(iam.listRolePolicies(r -> r.roleName(roleName)).policyNames())
        .containsExactly("read-assets");

    // the task definition revision runs under that role
    var registered =
        aws.ecs(MOTO)
            .describeTaskDefinition(r -> r.taskDefinition(td.getStatus().taskDefinitionArn))
            .taskDefinition();
    assertThat(registered.taskRoleArn()).isEqualTo(role.getStatus().roleArn);
    assertThat(registered.containerDefinitions())
        .extracting(c -> c.name())
        .contains("web", "metrics");

    // the target group and both rules at their exact priorities
    assertThat(route.getStatus().targetGroupArn).isNotNull();
    List<Rule> rules = elb.describeRules(r -> r.listenerArn(listenerArn)).rules();
    assertThat(rules)
        .filteredOn(r -> !r.isDefault())
        .extracting(Rule::priority)
        .containsExactlyInAnyOrder("10", "20");
    assertThat(
            elb.describeTargetGroups(r -> r.targetGroupArns(route.getStatus().targetGroupArn))
                .targetGroups()
                .get(0)
                .targetTypeAsString())
        .isEqualTo("ip");

    // the ECS service: that revision, wired to the target group on web:8080
    Service ecs =
        aws.ecs(MOTO)
            .describeServices(r -> r.cluster(ns).services(service.getStatus().serviceArn))
            .services()
            .get(0);
    assertThat(ecs.taskDefinition()).isEqualTo(td.getStatus().taskDefinitionArn);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Service now =
                  aws.ecs(MOTO)
                      .describeServices(r -> r.cluster(ns).services(service.getStatus().serviceArn))
                      .services()
                      .get(0);
              assertThat(now.loadBalancers())
                  .anySatisfy(
                      l -> {
                        assertThat(l.targetGroupArn()).isEqualTo(route.getStatus().targetGroupArn);
                        assertThat(l.containerName()).isEqualTo("web");
                        assertThat(l.containerPort()).isEqualTo(8080);
                      });
            });
  }
}
