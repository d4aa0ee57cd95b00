package dev.tidewater.strictaws;

import static dev.tidewater.strictaws.StrictClients.ACCOUNT;
import static dev.tidewater.strictaws.StrictClients.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RulePriorityPair;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Proves the strict layer refuses what AWS refuses: one model constraint of each kind (length,
 * enum, range, required, list bound, pattern) with AWS's error code and wording, and each AWS
 * behaviour moto lacks (client-token idempotency, the capacity provider and deployment controller
 * update rules, batch and tag limits, target type vs network mode, PriorityInUse, throttling, IAM
 * propagation).
 */
class StrictAwsModelIT {

  private static final String TRUST_ECS_TASKS =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

  private StrictClients aws;
  private EcsClient ecs;
  private IamClient iam;
  private ElasticLoadBalancingV2Client elb;

  @BeforeEach
  void setUp() {
    aws = new StrictClients();
    aws.ground.resetMoto();
    ecs = aws.factory.ecs(aws.admin);
    iam = aws.factory.iam(aws.admin);
    elb = aws.factory.elbv2(aws.admin);
  }

  @AfterEach
  void tearDown() {
    aws.ground.resetMoto();
    aws.close();
  }

  private static void assertError(AwsServiceException e, String code, String message) {
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
  }

  // ---- the service models' constraints ---------------------------------------------------------

  @Test
  void aRoleNameOverSixtyFourCharactersIsRefusedWithAwsWording() {
    String name = "r".repeat(65);
    assertError(
        refusal(
            () -> iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(TRUST_ECS_TASKS))),
        "ValidationError",
        "1 validation error detected: Value '"
            + name
            + "' at 'roleName' failed to satisfy constraint: Member must have length less than or"
            + " equal to 64");
  }

  @Test
  void aRoleNameOutsideItsPatternIsRefused() {
    AwsServiceException e =
        refusal(
            () ->
                iam.createRole(
                    r -> r.roleName("no spaces!").assumeRolePolicyDocument(TRUST_ECS_TASKS)));
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
    assertThat(e.awsErrorDetails().errorMessage())
        .startsWith(
            "1 validation error detected: Value 'no spaces!' at 'roleName' failed to satisfy"
                + " constraint: Member must satisfy regular expression pattern: ");
  }

  @Test
  void aMissingRequiredMemberIsRefused() {
    assertError(
        refusal(() -> iam.createRole(r -> r.roleName("no-trust"))),
        "ValidationError",
        "1 validation error detected: Value null at 'assumeRolePolicyDocument' failed to satisfy"
            + " constraint: Member must not be null");
  }

  @Test
  void aNetworkModeOutsideTheEnumIsRefused() {
    assertError(
        refusal(
            () ->
                ecs.registerTaskDefinition(
                    r -> r.family("weird").networkMode("weird").containerDefinitions(container()))),
        "InvalidParameterException",
        "1 validation error detected: Value 'weird' at 'networkMode' failed to satisfy constraint:"
            + " Member must satisfy enum value set: [bridge, host, awsvpc, none]");
  }

  @Test
  void aPortOutOfRangeIsRefused() {
    String vpc = aws.network()[0];
    assertError(
        refusal(
            () ->
                elb.createTargetGroup(
                    r -> r.name("tg").protocol(ProtocolEnum.HTTP).port(70000).vpcId(vpc))),
        "ValidationError",
        "1 validation error detected: Value '70000' at 'port' failed to satisfy constraint: Member"
            + " must have value less than or equal to 65535");
  }

  @Test
  void fiftyOneTagsAndAnAwsPrefixedKeyAreRefused() {
    List<software.amazon.awssdk.services.ecs.model.Tag> tags = new ArrayList<>();
    IntStream.range(0, 51)
        .forEach(
            i ->
                tags.add(
                    software.amazon.awssdk.services.ecs.model.Tag.builder()
                        .key("k" + i)
                        .value("v")
                        .build()));
    AwsServiceException many =
        refusal(() -> ecs.createCluster(r -> r.clusterName("tagged").tags(tags)));
    assertThat(many.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");
    assertThat(many.awsErrorDetails().errorMessage())
        .contains(
            "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");

    AwsServiceException reserved =
        refusal(
            () ->
                ecs.createCluster(
                    r ->
                        r.clusterName("reserved")
                            .tags(
                                software.amazon.awssdk.services.ecs.model.Tag.builder()
                                    .key("aws:owner")
                                    .value("me")
                                    .build())));
    assertThat(reserved.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");
    assertThat(reserved.awsErrorDetails().errorMessage()).contains("aws:owner");

    iam.createRole(r -> r.roleName("tagged").assumeRolePolicyDocument(TRUST_ECS_TASKS));
    List<software.amazon.awssdk.services.iam.model.Tag> first = iamTags("a", 30);
    iam.tagRole(r -> r.roleName("tagged").tags(first));
    List<software.amazon.awssdk.services.iam.model.Tag> second = iamTags("b", 21);
    assertThat(
            refusal(() -> iam.tagRole(r -> r.roleName("tagged").tags(second)))
                .awsErrorDetails()
                .errorCode())
        .isEqualTo("LimitExceeded");
  }

  // ---- ECS behaviours --------------------------------------------------------------------------

  private static ContainerDefinition container() {
    return ContainerDefinition.builder().name("app").image("nginx").memory(128).build();
  }

  private void cluster() {
    ecs.createCluster(r -> r.clusterName("c"));
    ecs.registerTaskDefinition(r -> r.family("web").containerDefinitions(container()));
  }

  @Test
  void createServiceIsIdempotentByClientToken() {
    cluster();
    String first =
        ecs.createService(
                r ->
                    r.cluster("c")
                        .serviceName("web")
                        .taskDefinition("web")
                        .desiredCount(1)
                        .clientToken("token-1"))
            .service()
            .serviceArn();

    assertThat(
            ecs.createService(
                    r ->
                        r.cluster("c")
                            .serviceName("web")
                            .taskDefinition("web")
                            .desiredCount(1)
                            .clientToken("token-1"))
                .service()
                .serviceArn())
        .isEqualTo(first);
    assertError(
        refusal(
            () ->
                ecs.createService(
                    r ->
                        r.cluster("c")
                            .serviceName("web")
                            .taskDefinition("web")
                            .desiredCount(1)
                            .clientToken("token-2"))),
        "InvalidParameterException",
        "Creation of service was not idempotent.");
    assertError(
        refusal(
            () ->
                ecs.createService(
                    r ->
                        r.cluster("c")
                            .serviceName("web")
                            .taskDefinition("web")
                            .desiredCount(3)
                            .clientToken("token-1"))),
        "InvalidParameterException",
        "Creation of service was not idempotent.");

    ecs.deleteService(r -> r.cluster("c").service("web").force(true));
    var again =
        ecs.createService(
                r ->
                    r.cluster("c")
                        .serviceName("web")
                        .taskDefinition("web")
                        .desiredCount(1)
                        .clientToken("token-1"))
            .service();
    assertThat(again.serviceArn()).isEqualTo(first);
    assertThat(again.status()).isNotEqualTo("ACTIVE");
  }

  @Test
  void aCapacityProviderChangeNeedsForceNewDeployment() {
    cluster();
    ecs.createService(
        r ->
            r.cluster("c")
                .serviceName("web")
                .taskDefinition("web")
                .desiredCount(1)
                .capacityProviderStrategy(
                    CapacityProviderStrategyItem.builder()
                        .capacityProvider("FARGATE")
                        .weight(1)
                        .build()));
    var spot =
        CapacityProviderStrategyItem.builder().capacityProvider("FARGATE_SPOT").weight(1).build();

    AwsServiceException e =
        refusal(
            () ->
                ecs.updateService(
                    r -> r.cluster("c").service("web").capacityProviderStrategy(spot)));
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");
    assertThat(e.awsErrorDetails().errorMessage()).contains("you must force a new deployment");
    assertThatCode(
            () ->
                ecs.updateService(
                    r ->
                        r.cluster("c")
                            .service("web")
                            .capacityProviderStrategy(spot)
                            .forceNewDeployment(true)))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                ecs.updateService(
                    r -> r.cluster("c").service("web").capacityProviderStrategy(spot)))
        .as("the same strategy again is no change")
        .doesNotThrowAnyException();
  }

  @Test
  void aCodeDeployServiceTakesNoNewTaskDefinitionThroughUpdateService() {
    cluster();
    ecs.createService(
        r ->
            r.cluster("c")
                .serviceName("bg")
                .taskDefinition("web")
                .desiredCount(1)
                .deploymentController(c -> c.type(DeploymentControllerType.CODE_DEPLOY)));

    AwsServiceException e =
        refusal(() -> ecs.updateService(r -> r.cluster("c").service("bg").taskDefinition("web")));
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");
    assertThat(e.awsErrorDetails().errorMessage()).contains("CODE_DEPLOY");
    assertThatCode(() -> ecs.updateService(r -> r.cluster("c").service("bg").desiredCount(2)))
        .doesNotThrowAnyException();
  }

  @Test
  void listTasksTakesStartedByOnlyAsItsOneFilter() {
    cluster();
    AwsServiceException e =
        refusal(
            () ->
                ecs.listTasks(
                    r -> r.cluster("c").startedBy("tidewater/x").desiredStatus("STOPPED")));
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");
    assertThat(e.awsErrorDetails().errorMessage())
        .isEqualTo("cannot specify startedBy with other arguments");
    assertThat(refusal(() -> ecs.listTasks(r -> r.cluster("c").startedBy("x").family("web"))))
        .isNotNull();
    assertThatCode(() -> ecs.listTasks(r -> r.cluster("c").startedBy("tidewater/x")))
        .doesNotThrowAnyException();
    assertThatCode(() -> ecs.listTasks(r -> r.cluster("c").family("web").desiredStatus("STOPPED")))
        .doesNotThrowAnyException();
  }

  @Test
  void describeServicesTakesAtMostTenAndDescribeTagsAtMostTwenty() {
    cluster();
    List<String> eleven = IntStream.range(0, 11).mapToObj(i -> "s" + i).toList();
    assertThat(
            refusal(() -> ecs.describeServices(r -> r.cluster("c").services(eleven)))
                .awsErrorDetails()
                .errorCode())
        .isEqualTo("InvalidParameterException");
    assertThatCode(() -> ecs.describeServices(r -> r.cluster("c").services(eleven.subList(0, 10))))
        .doesNotThrowAnyException();

    List<String> arns =
        IntStream.range(0, 21)
            .mapToObj(
                i ->
                    "arn:aws:elasticloadbalancing:us-east-1:"
                        + ACCOUNT
                        + ":targetgroup/t"
                        + i
                        + "/1")
            .toList();
    AwsServiceException e = refusal(() -> elb.describeTags(r -> r.resourceArns(arns)));
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
    assertThat(e.awsErrorDetails().errorMessage())
        .endsWith("Member must have length less than or equal to 20");
  }

  @Test
  void anIpTargetGroupNeedsTheAwsvpcNetworkMode() {
    String vpc = aws.network()[0];
    cluster();
    String ip =
        elb.createTargetGroup(
                r ->
                    r.name("ip")
                        .protocol(ProtocolEnum.HTTP)
                        .port(80)
                        .vpcId(vpc)
                        .targetType(TargetTypeEnum.IP))
            .targetGroups()
            .get(0)
            .targetGroupArn();
    ecs.registerTaskDefinition(
        r -> r.family("bridged").networkMode(NetworkMode.BRIDGE).containerDefinitions(container()));

    AwsServiceException e =
        refusal(
            () ->
                ecs.createService(
                    r ->
                        r.cluster("c")
                            .serviceName("web")
                            .taskDefinition("bridged")
                            .desiredCount(1)
                            .loadBalancers(
                                lb ->
                                    lb.targetGroupArn(ip).containerName("app").containerPort(80))));
    assertError(
        e,
        "InvalidParameterException",
        "The provided target group "
            + ip
            + " has target type ip, which is incompatible with the bridge network mode specified in"
            + " the task definition.");
  }

  // ---- ELBv2 priorities ------------------------------------------------------------------------

  @Test
  void aPriorityAnotherRuleHoldsIsInUseAndASwapInOneCallIsFine() {
    String[] net = aws.network();
    String lb =
        elb.createLoadBalancer(r -> r.name("alb").subnets(net[1], net[2]))
            .loadBalancers()
            .get(0)
            .loadBalancerArn();
    String tg =
        elb.createTargetGroup(r -> r.name("tg").protocol(ProtocolEnum.HTTP).port(80).vpcId(net[0]))
            .targetGroups()
            .get(0)
            .targetGroupArn();
    Action forward = Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(tg).build();
    String listener =
        elb.createListener(
                r ->
                    r.loadBalancerArn(lb)
                        .protocol(ProtocolEnum.HTTP)
                        .port(80)
                        .defaultActions(forward))
            .listeners()
            .get(0)
            .listenerArn();
    String one = rule(listener, forward, 1, "/a");
    String two = rule(listener, forward, 2, "/b");

    AwsServiceException e = refusal(() -> rule(listener, forward, 1, "/c"));
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PriorityInUse");
    assertThatCode(
            () ->
                elb.setRulePriorities(
                    r ->
                        r.rulePriorities(
                            RulePriorityPair.builder().ruleArn(one).priority(2).build(),
                            RulePriorityPair.builder().ruleArn(two).priority(1).build())))
        .doesNotThrowAnyException();
    String three = rule(listener, forward, 3, "/d");
    assertThat(
            refusal(
                    () ->
                        elb.setRulePriorities(
                            r ->
                                r.rulePriorities(
                                    RulePriorityPair.builder().ruleArn(three).priority(1).build())))
                .awsErrorDetails()
                .errorCode())
        .isEqualTo("PriorityInUse");
  }

  private String rule(String listener, Action forward, int priority, String path) {
    return elb.createRule(
            r ->
                r.listenerArn(listener)
                    .priority(priority)
                    .actions(forward)
                    .conditions(RuleCondition.builder().field("path-pattern").values(path).build()))
        .rules()
        .get(0)
        .ruleArn();
  }

  // ---- switches --------------------------------------------------------------------------------

  @Test
  void throttleEveryAnswersEveryKthCallThrottled() {
    aws.ground.strictConfig(Map.of("throttleEvery", 3));
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      try {
        ecs.listClusters();
        codes.add("ok");
      } catch (AwsServiceException e) {
        codes.add(e.awsErrorDetails().errorCode());
      }
    }
    assertThat(codes)
        .containsExactly("ok", "ok", "ThrottlingException", "ok", "ok", "ThrottlingException");
  }

  @Test
  void aYoungRoleCannotBeAssumedUntilIamHasPropagatedIt() {
    aws.ground.strictConfig(Map.of("iamPropagationSeconds", 3600));
    String role =
        iam.createRole(r -> r.roleName("young").assumeRolePolicyDocument(TRUST_ECS_TASKS))
            .role()
            .arn();
    cluster();
    ecs.registerTaskDefinition(
        r -> r.family("with-role").taskRoleArn(role).containerDefinitions(container()));

    AwsServiceException e =
        refusal(
            () ->
                ecs.createService(
                    r ->
                        r.cluster("c")
                            .serviceName("web")
                            .taskDefinition("with-role")
                            .desiredCount(1)));
    assertError(
        e,
        "InvalidParameterException",
        "ECS was unable to assume the role '"
            + role
            + "' that was provided for this task. Please verify that the role being passed has the"
            + " proper trust relationship and permissions and that your IAM user has permissions"
            + " to pass this role.");

    aws.ground.strictConfig(Map.of("iamPropagationSeconds", 0));
    assertThatCode(
            () ->
                ecs.createService(
                    r ->
                        r.cluster("c")
                            .serviceName("web")
                            .taskDefinition("with-role")
                            .desiredCount(1)))
        .doesNotThrowAnyException();
  }

  /** {@code n} IAM tags {@code <prefix>0..} = v. */
  private static List<software.amazon.awssdk.services.iam.model.Tag> iamTags(String prefix, int n) {
    return IntStream.range(0, n)
        .mapToObj(
            i ->
                software.amazon.awssdk.services.iam.model.Tag.builder()
                    .key(prefix + i)
                    .value("v")
                    .build())
        .toList();
  }
}
