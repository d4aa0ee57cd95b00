package dev.tidewater.strictaws;

import static dev.tidewater.strictaws.StrictClients.ACCOUNT;
import static dev.tidewater.strictaws.StrictClients.allow;
import static dev.tidewater.strictaws.StrictClients.policy;
import static dev.tidewater.strictaws.StrictClients.q;
import static dev.tidewater.strictaws.StrictClients.refusal;
import static dev.tidewater.strictaws.StrictClients.st;
import static dev.tidewater.strictaws.StrictClients.statement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tidewater.aws.AwsContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Proves the strict layer's IAM policy evaluator on allow and deny cases of each condition operator
 * and request context key the operator's calls carry, through real SDK calls by principals
 * registered with small policies; and that the operator's own credentials get no more than {@code
 * deploy/iam-policy.json}.
 */
class StrictAwsPolicyIT {

  private static final String TRUST_ECS_TASKS =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
          + "{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

  private StrictClients aws;
  private IamClient adminIam;
  private String boundary;
  private String otherBoundary;

  @BeforeEach
  void setUp() {
    aws = new StrictClients();
    aws.ground.resetMoto();
    adminIam = aws.factory.iam(aws.admin);
    boundary = managedPolicy("tidewater-boundary");
    otherBoundary = managedPolicy("other-boundary");
  }

  @AfterEach
  void tearDown() {
    aws.close();
  }

  private String managedPolicy(String name) {
    return adminIam
        .createPolicy(r -> r.policyName(name).policyDocument(allow(q("s3:GetObject"), q("*"))))
        .policy()
        .arn();
  }

  private void adminRole(String name, String path, String permissionsBoundary) {
    adminIam.createRole(
        r -> {
          r.roleName(name).path(path).assumeRolePolicyDocument(TRUST_ECS_TASKS);
          if (permissionsBoundary != null) r.permissionsBoundary(permissionsBoundary);
        });
  }

  private static void assertDenied(AwsServiceException e, String action, String resource) {
    assertThat(e.awsErrorDetails().errorCode()).isIn("AccessDenied", "AccessDeniedException");
    assertThat(e.awsErrorDetails().errorMessage())
        .contains("is not authorized to perform: " + action + " on resource: " + resource);
  }

  // ---- iam:PermissionsBoundary: StringEquals, StringNotEquals, StringEqualsIfExists, Null ------

  @Test
  void createRoleNeedsTheBoundaryAStringEqualsConditionNames() {
    AwsContext p =
        aws.principal(
            "boundary-required",
            statement(
                "Allow",
                q("iam:CreateRole"),
                q("arn:aws:iam::*:role/tidewater/*"),
                "{\"StringEquals\":{\"iam:PermissionsBoundary\":" + q(boundary) + "}}"));
    IamClient iam = aws.factory.iam(p);

    assertThatCode(
            () ->
                iam.createRole(
                    r ->
                        r.roleName("with-boundary")
                            .path("/tidewater/")
                            .assumeRolePolicyDocument(TRUST_ECS_TASKS)
                            .permissionsBoundary(boundary)))
        .doesNotThrowAnyException();
    AwsServiceException none =
        refusal(
            () ->
                iam.createRole(
                    r ->
                        r.roleName("without-boundary")
                            .path("/tidewater/")
                            .assumeRolePolicyDocument(TRUST_ECS_TASKS)));
    assertDenied(
        none, "iam:CreateRole", "arn:aws:iam::" + ACCOUNT + ":role/tidewater/without-boundary");
    assertThat(none.awsErrorDetails().errorMessage())
        .endsWith("because no identity-based policy allows the iam:CreateRole action");
    assertThat(none.statusCode()).isEqualTo(403);
    AwsServiceException other =
        refusal(
            () ->
                iam.createRole(
                    r ->
                        r.roleName("other-boundary")
                            .path("/tidewater/")
                            .assumeRolePolicyDocument(TRUST_ECS_TASKS)
                            .permissionsBoundary(otherBoundary)));
    assertDenied(
        other, "iam:CreateRole", "arn:aws:iam::" + ACCOUNT + ":role/tidewater/other-boundary");
    assertThat(aws.ground.refusals())
        .anySatisfy(r -> assertThat(r.message()).contains("role/tidewater/without-boundary"));
  }

  @Test
  void anIfExistsConditionPassesWhenTheKeyIsMissingAndChecksItWhenPresent() {
    IamClient iam =
        aws.factory.iam(
            aws.principal(
                "if-exists",
                statement(
                    "Allow",
                    q("iam:CreateRole"),
                    q("*"),
                    "{\"StringEqualsIfExists\":{\"iam:PermissionsBoundary\":"
                        + q(boundary)
                        + "}}")));

    assertThatCode(
            () ->
                iam.createRole(r -> r.roleName("plain").assumeRolePolicyDocument(TRUST_ECS_TASKS)))
        .doesNotThrowAnyException();
    assertDenied(
        refusal(
            () ->
                iam.createRole(
                    r ->
                        r.roleName("wrong")
                            .assumeRolePolicyDocument(TRUST_ECS_TASKS)
                            .permissionsBoundary(otherBoundary))),
        "iam:CreateRole",
        "arn:aws:iam::" + ACCOUNT + ":role/wrong");
  }

  @Test
  void aDenyWithStringNotEqualsOnTheRolesCurrentBoundaryBeatsTheAllow() {
    adminRole("bounded", "/tidewater/", boundary);
    adminRole("unbounded", "/tidewater/", null);
    String inline = allow(q("s3:GetObject"), q("*"));
    IamClient iam =
        aws.factory.iam(
            aws.principal(
                "deny-without-boundary",
                policy(
                    st("Allow", q("iam:*"), q("*"), null),
                    st(
                        "Deny",
                        "[\"iam:PutRolePolicy\",\"iam:AttachRolePolicy\"]",
                        q("*"),
                        "{\"StringNotEquals\":{\"iam:PermissionsBoundary\":"
                            + q(boundary)
                            + "}}"))));

    assertThatCode(
            () ->
                iam.putRolePolicy(
                    r -> r.roleName("bounded").policyName("p").policyDocument(inline)))
        .doesNotThrowAnyException();
    AwsServiceException e =
        refusal(
            () ->
                iam.putRolePolicy(
                    r -> r.roleName("unbounded").policyName("p").policyDocument(inline)));
    assertDenied(e, "iam:PutRolePolicy", "arn:aws:iam::" + ACCOUNT + ":role/tidewater/unbounded");
    assertThat(e.awsErrorDetails().errorMessage())
        .endsWith("with an explicit deny in an identity-based policy");
  }

  @Test
  void theNullOperatorTellsAMissingKeyFromAPresentOne() {
    IamClient iam =
        aws.factory.iam(
            aws.principal(
                "null-check",
                policy(
                    st("Allow", q("iam:CreateRole"), q("*"), null),
                    st(
                        "Deny",
                        q("iam:CreateRole"),
                        q("*"),
                        "{\"Null\":{\"iam:PermissionsBoundary\":\"true\"}}"))));

    assertThatCode(
            () ->
                iam.createRole(
                    r ->
                        r.roleName("bounded")
                            .assumeRolePolicyDocument(TRUST_ECS_TASKS)
                            .permissionsBoundary(boundary)))
        .doesNotThrowAnyException();
    assertDenied(
        refusal(
            () ->
                iam.createRole(r -> r.roleName("bare").assumeRolePolicyDocument(TRUST_ECS_TASKS))),
        "iam:CreateRole",
        "arn:aws:iam::" + ACCOUNT + ":role/bare");
  }

  @Test
  void deleteRolePermissionsBoundaryIsDeniedByAnExplicitDeny() {
    adminRole("keep", "/tidewater/", boundary);
    IamClient iam =
        aws.factory.iam(
            aws.principal(
                "no-boundary-removal",
                policy(
                    st("Allow", q("iam:*"), q("arn:aws:iam::*:role/tidewater/*"), null),
                    st("Deny", q("iam:DeleteRolePermissionsBoundary"), q("*"), null))));

    assertDenied(
        refusal(() -> iam.deleteRolePermissionsBoundary(r -> r.roleName("keep"))),
        "iam:DeleteRolePermissionsBoundary",
        "arn:aws:iam::" + ACCOUNT + ":role/tidewater/keep");
    assertThat(adminIam.getRole(r -> r.roleName("keep")).role().permissionsBoundary()).isNotNull();
  }

  // ---- iam:PolicyARN: ArnEquals, ArnLike, ArnNotLike -----------------------------------------

  @Test
  void attachRolePolicyIsAllowedForThePolicyArnsTheConditionLists() {
    adminRole("attach", "/tidewater/", null);
    String listed = managedPolicy("listed");
    String wildcarded = managedPolicy("team-readonly");
    String unlisted = managedPolicy("admin-ish");
    IamClient iam =
        aws.factory.iam(
            aws.principal(
                "policy-arns",
                policy(
                    st(
                        "Allow",
                        q("iam:AttachRolePolicy"),
                        q("*"),
                        "{\"ArnEquals\":{\"iam:PolicyARN\":" + q(listed) + "}}"),
                    st(
                        "Allow",
                        q("iam:AttachRolePolicy"),
                        q("*"),
                        "{\"ArnLike\":{\"iam:PolicyARN\":\"arn:aws:iam::*:policy/team-*\"}}"),
                    st(
                        "Deny",
                        q("iam:AttachRolePolicy"),
                        q("*"),
                        "{\"ArnNotLike\":{\"iam:PolicyARN\":[\"arn:aws:iam::*:policy/listed\","
                            + "\"arn:aws:iam::*:policy/team-*\",\"arn:aws:iam::*:policy/admin-*\"]}}"))));

    assertThatCode(() -> iam.attachRolePolicy(r -> r.roleName("attach").policyArn(listed)))
        .doesNotThrowAnyException();
    assertThatCode(() -> iam.attachRolePolicy(r -> r.roleName("attach").policyArn(wildcarded)))
        .doesNotThrowAnyException();
    AwsServiceException outside =
        refusal(() -> iam.attachRolePolicy(r -> r.roleName("attach").policyArn(unlisted)));
    assertDenied(
        outside, "iam:AttachRolePolicy", "arn:aws:iam::" + ACCOUNT + ":role/tidewater/attach");
    assertThat(outside.awsErrorDetails().errorMessage())
        .contains("no identity-based policy allows");
    AwsServiceException awsManaged =
        refusal(
            () ->
                iam.attachRolePolicy(
                    r ->
                        r.roleName("attach")
                            .policyArn("arn:aws:iam::aws:policy/AdministratorAccess")));
    assertThat(awsManaged.awsErrorDetails().errorMessage())
        .endsWith("with an explicit deny in an identity-based policy");
  }

  // ---- iam:PassedToService: PassRole implied by RegisterTaskDefinition ------------------------

  @Test
  void passingARoleToEcsTasksNeedsPassRoleForThatService() {
    adminRole("task", "/tidewater/", null);
    String roleArn = "arn:aws:iam::" + ACCOUNT + ":role/tidewater/task";
    String ecsAll = st("Allow", q("ecs:RegisterTaskDefinition"), q("*"), null);
    AwsContext toTasks =
        aws.principal(
            "pass-to-tasks",
            policy(
                ecsAll,
                st(
                    "Allow",
                    q("iam:PassRole"),
                    q("arn:aws:iam::*:role/tidewater/*"),
                    "{\"StringEquals\":{\"iam:PassedToService\":\"ecs-tasks.amazonaws.com\"}}")));
    AwsContext toPods =
        aws.principal(
            "pass-to-pods",
            policy(
                ecsAll,
                st(
                    "Allow",
                    q("iam:PassRole"),
                    q("arn:aws:iam::*:role/tidewater/*"),
                    "{\"StringLike\":{\"iam:PassedToService\":\"pods.eks.*\"}}")));

    assertThatCode(() -> registerWithTaskRole(toTasks, roleArn)).doesNotThrowAnyException();
    AwsServiceException e = refusal(() -> registerWithTaskRole(toPods, roleArn));
    assertDenied(e, "iam:PassRole", roleArn);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
  }

  private void registerWithTaskRole(AwsContext ctx, String roleArn) {
    aws.factory
        .ecs(ctx)
        .registerTaskDefinition(
            r ->
                r.family("with-role")
                    .taskRoleArn(roleArn)
                    .containerDefinitions(
                        ContainerDefinition.builder()
                            .name("app")
                            .image("nginx")
                            .memory(128)
                            .build()));
  }

  // ---- aws:ResourceTag, aws:RequestTag, aws:TagKeys (ForAllValues / ForAnyValue) ---------------

  @Test
  void anElbWriteScopedByResourceTagReachesOnlyTheTaggedTargetGroup() {
    String vpc = aws.network()[0];
    var adminElb = aws.factory.elbv2(aws.admin);
    String tagged =
        adminElb
            .createTargetGroup(
                r ->
                    r.name("tagged")
                        .protocol(ProtocolEnum.HTTP)
                        .port(80)
                        .vpcId(vpc)
                        .targetType(TargetTypeEnum.IP)
                        .tags(Tag.builder().key("tidewater.dev/owner").value("me").build()))
            .targetGroups()
            .get(0)
            .targetGroupArn();
    String untagged =
        adminElb
            .createTargetGroup(
                r ->
                    r.name("untagged")
                        .protocol(ProtocolEnum.HTTP)
                        .port(80)
                        .vpcId(vpc)
                        .targetType(TargetTypeEnum.IP))
            .targetGroups()
            .get(0)
            .targetGroupArn();
    var elb =
        aws.factory.elbv2(
            aws.principal(
                "resource-tag",
                statement(
                    "Allow",
                    q("elasticloadbalancing:ModifyTargetGroup"),
                    q("*"),
                    "{\"StringEquals\":{\"aws:ResourceTag/tidewater.dev/owner\":\"me\"}}")));

    assertThatCode(() -> elb.modifyTargetGroup(r -> r.targetGroupArn(tagged).healthCheckPath("/h")))
        .doesNotThrowAnyException();
    assertDenied(
        refusal(() -> elb.modifyTargetGroup(r -> r.targetGroupArn(untagged).healthCheckPath("/h"))),
        "elasticloadbalancing:ModifyTargetGroup",
        untagged);
  }

  @Test
  void requestTagsAndTagKeysAreCheckedWithSetQualifiers() {
    String vpc = aws.network()[0];
    var elb =
        aws.factory.elbv2(
            aws.principal(
                "request-tags",
                statement(
                    "Allow",
                    // tag on create: ELBv2 also authorises AddTags for the tags of a create call
                    "["
                        + q("elasticloadbalancing:CreateTargetGroup")
                        + ","
                        + q("elasticloadbalancing:AddTags")
                        + "]",
                    q("*"),
                    "{\"ForAllValues:StringLike\":{\"aws:TagKeys\":\"tidewater.dev/*\"},"
                        + "\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":\"tidewater.dev/owner\"},"
                        + "\"StringEquals\":{\"aws:RequestTag/tidewater.dev/owner\":\"me\"}}")));

    assertThatCode(() -> createTargetGroup(elb, vpc, "ours", "tidewater.dev/owner", "me"))
        .doesNotThrowAnyException();
    assertDenied(
        refusal(() -> createTargetGroup(elb, vpc, "theirs", "tidewater.dev/owner", "you")),
        "elasticloadbalancing:CreateTargetGroup",
        "arn:aws:elasticloadbalancing:us-east-1:" + ACCOUNT + ":targetgroup/theirs/*");
    assertDenied(
        refusal(() -> createTargetGroup(elb, vpc, "foreign-key", "team", "me")),
        "elasticloadbalancing:CreateTargetGroup",
        "arn:aws:elasticloadbalancing:us-east-1:" + ACCOUNT + ":targetgroup/foreign-key/*");

    // without AddTags, a create with tags is denied (tag on create), one without tags is not
    var createOnly =
        aws.factory.elbv2(
            aws.principal(
                "create-only",
                statement("Allow", q("elasticloadbalancing:CreateTargetGroup"), q("*"), null)));
    assertDenied(
        refusal(() -> createTargetGroup(createOnly, vpc, "tagged", "tidewater.dev/owner", "me")),
        "elasticloadbalancing:AddTags",
        "arn:aws:elasticloadbalancing:us-east-1:" + ACCOUNT + ":targetgroup/tagged/*");
  }

  private static void createTargetGroup(
      software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client elb,
      String vpc,
      String name,
      String key,
      String value) {
    elb.createTargetGroup(
        r ->
            r.name(name)
                .protocol(ProtocolEnum.HTTP)
                .port(80)
                .vpcId(vpc)
                .targetType(TargetTypeEnum.IP)
                .tags(Tag.builder().key(key).value(value).build()));
  }

  // ---- ecs:cluster, Bool, NotAction / NotResource, case-insensitive actions -------------------

  @Test
  void ecsClusterScopesServiceWritesToOneCluster() {
    var adminEcs = aws.factory.ecs(aws.admin);
    adminEcs.createCluster(r -> r.clusterName("allowed"));
    adminEcs.createCluster(r -> r.clusterName("other"));
    adminEcs.registerTaskDefinition(
        r ->
            r.family("web")
                .containerDefinitions(
                    ContainerDefinition.builder().name("app").image("nginx").memory(128).build()));
    var ecs =
        aws.factory.ecs(
            aws.principal(
                "one-cluster",
                statement(
                    "Allow",
                    q("ECS:createservice"),
                    q("*"),
                    "{\"ArnEquals\":{\"ecs:cluster\":\"arn:aws:ecs:us-east-1:"
                        + ACCOUNT
                        + ":cluster/allowed\"},\"Bool\":{\"aws:SecureTransport\":\"false\"}}")));

    assertThatCode(
            () ->
                ecs.createService(
                    r ->
                        r.cluster("allowed")
                            .serviceName("web")
                            .taskDefinition("web")
                            .desiredCount(1)))
        .doesNotThrowAnyException();
    assertDenied(
        refusal(
            () ->
                ecs.createService(
                    r ->
                        r.cluster("other")
                            .serviceName("web")
                            .taskDefinition("web")
                            .desiredCount(1))),
        "ecs:CreateService",
        "arn:aws:ecs:us-east-1:" + ACCOUNT + ":service/other/web");
  }

  @Test
  void notActionAndNotResourceExcludeWhatTheyName() {
    AwsContext notIam =
        aws.principal(
            "not-iam",
            "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Action\":\"iam:GetRole\","
                + "\"NotResource\":\"arn:aws:iam::*:role/secret/*\"}]}");
    IamClient iam = aws.factory.iam(notIam);
    adminRole("open", "/", null);
    adminRole("hidden", "/secret/", null);

    assertThatCode(() -> aws.factory.ecs(notIam).describeClusters()).doesNotThrowAnyException();
    assertThatCode(() -> iam.getRole(r -> r.roleName("open"))).doesNotThrowAnyException();
    assertDenied(
        refusal(() -> iam.getRole(r -> r.roleName("hidden"))),
        "iam:GetRole",
        "arn:aws:iam::" + ACCOUNT + ":role/secret/hidden");
    assertDenied(refusal(() -> iam.listRoles()), "iam:ListRoles", "*");
  }

  // ---- sts:AssumeRole: the identity policy and the role's trust policy (sts:ExternalId) --------

  @Test
  void assumeRoleNeedsTheTrustPolicyAndItsExternalId() {
    String me = "arn:aws:iam::" + ACCOUNT + ":user/deployer";
    String trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
            + q(me)
            + "},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"ns-a\"}}}]}";
    adminIam.createRole(r -> r.roleName("deploy").assumeRolePolicyDocument(trust));
    adminIam.createRole(r -> r.roleName("untrusting").assumeRolePolicyDocument(TRUST_ECS_TASKS));
    var sts = aws.factory.sts(aws.principal("deployer", allow(q("sts:AssumeRole"), q("*"))));
    String deploy = "arn:aws:iam::" + ACCOUNT + ":role/deploy";

    assertThatCode(
            () ->
                sts.assumeRole(
                    r -> r.roleArn(deploy).roleSessionName("session-a").externalId("ns-a")))
        .doesNotThrowAnyException();
    assertDenied(
        refusal(
            () ->
                sts.assumeRole(
                    r -> r.roleArn(deploy).roleSessionName("session-b").externalId("ns-b"))),
        "sts:AssumeRole",
        deploy);
    assertDenied(
        refusal(
            () ->
                sts.assumeRole(
                    r ->
                        r.roleArn("arn:aws:iam::" + ACCOUNT + ":role/untrusting")
                            .roleSessionName("session-c"))),
        "sts:AssumeRole",
        "arn:aws:iam::" + ACCOUNT + ":role/untrusting");
  }

  @Test
  void anAssumedRoleSessionGetsTheRolesPolicies() {
    String trust =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
            + "\"arn:aws:iam::"
            + ACCOUNT
            + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
    adminIam.createRole(r -> r.roleName("reader").assumeRolePolicyDocument(trust));
    adminIam.putRolePolicy(
        r ->
            r.roleName("reader")
                .policyName("describe")
                .policyDocument(allow(q("ecs:DescribeClusters"), q("*"))));
    var creds =
        aws.factory
            .sts(aws.principal("assumer", allow(q("sts:AssumeRole"), q("*"))))
            .assumeRole(
                r ->
                    r.roleArn("arn:aws:iam::" + ACCOUNT + ":role/reader")
                        .roleSessionName("session"))
            .credentials();
    AwsContext session =
        new AwsContext(
            "us-east-1",
            java.util.Optional.of(aws.ground.motoEndpoint()),
            new dev.tidewater.aws.AwsCredentialsSource.Static(
                creds.accessKeyId(),
                creds.secretAccessKey(),
                java.util.Optional.of(creds.sessionToken())),
            java.util.Optional.empty(),
            java.util.Optional.empty());
    var ecs = aws.factory.ecs(session);

    assertThatCode(ecs::describeClusters).doesNotThrowAnyException();
    AwsServiceException e = refusal(() -> ecs.createCluster(r -> r.clusterName("nope")));
    assertThat(e.awsErrorDetails().errorMessage())
        .contains("assumed-role/reader/session is not authorized to perform: ecs:CreateCluster");
  }

  // ---- fail closed, and the operator's own policy ---------------------------------------------

  @Test
  void anOperationTheLayerDoesNotMapIsDeniedEvenUnderAStar() {
    var ec2 = aws.factory.ec2(aws.principal("everything", allow(q("*"), q("*"))));

    AwsServiceException e = refusal(() -> ec2.createVpc(r -> r.cidrBlock("10.9.0.0/16")));
    assertThat(e.awsErrorDetails().errorMessage())
        .contains("ec2:CreateVpc")
        .contains("does not know this operation");
    assertThat(aws.ground.refusals())
        .anySatisfy(r -> assertThat(r.operation()).isEqualTo("CreateVpc"));
  }

  @Test
  void theOperatorsCredentialsGetNothingOutsideItsPolicy() throws Exception {
    assertThat(Files.readString(Path.of("deploy/iam-policy.json")))
        .doesNotContain("iam:CreateUser")
        .doesNotContain("ecs:DeleteCluster");
    IamClient iam = aws.factory.iam(aws.operator);
    var ecs = aws.factory.ecs(aws.operator);

    assertDenied(
        refusal(() -> iam.createUser(r -> r.userName("backdoor"))),
        "iam:CreateUser",
        "arn:aws:iam::" + ACCOUNT + ":user/backdoor");
    assertDenied(
        refusal(() -> ecs.deleteCluster(r -> r.cluster("default"))),
        "ecs:DeleteCluster",
        "arn:aws:ecs:us-east-1:" + ACCOUNT + ":cluster/default");
    assertDenied(
        refusal(
            () ->
                iam.createRole(
                    r ->
                        r.roleName("outside").path("/").assumeRolePolicyDocument(TRUST_ECS_TASKS))),
        "iam:CreateRole",
        "arn:aws:iam::" + ACCOUNT + ":role/outside");
    assertThatCode(ecs::describeClusters).doesNotThrowAnyException();
    assertThat(aws.ground.refusals()).extracting(r -> r.principal()).containsOnly("operator");
  }

  @Test
  void theOperatorsPolicyKeepsTheRoleGuardrailsInIamItself() {
    IamClient iam = aws.factory.iam(aws.operator);
    String roles = "arn:aws:iam::" + ACCOUNT + ":role/tidewater/";
    String boundary = "arn:aws:iam::" + ACCOUNT + ":policy/tidewater/boundaries/tasks";

    // a role without a boundary, or with one outside policy/tidewater/boundaries/
    assertDenied(
        refusal(
            () ->
                iam.createRole(
                    r ->
                        r.roleName("unbounded")
                            .path("/tidewater/")
                            .assumeRolePolicyDocument(TRUST_ECS_TASKS))),
        "iam:CreateRole",
        roles + "unbounded");
    assertDenied(
        refusal(
            () ->
                iam.createRole(
                    r ->
                        r.roleName("self-bounded")
                            .path("/tidewater/")
                            .assumeRolePolicyDocument(TRUST_ECS_TASKS)
                            .permissionsBoundary("arn:aws:iam::aws:policy/AdministratorAccess"))),
        "iam:CreateRole",
        roles + "self-bounded");
    assertThatCode(
            () ->
                iam.createRole(
                    r ->
                        r.roleName("bounded")
                            .path("/tidewater/")
                            .assumeRolePolicyDocument(TRUST_ECS_TASKS)
                            .permissionsBoundary(boundary)))
        .doesNotThrowAnyException();

    // a managed policy outside the allowed list; one inside it
    assertDenied(
        refusal(
            () ->
                iam.attachRolePolicy(
                    r ->
                        r.roleName("bounded")
                            .policyArn("arn:aws:iam::aws:policy/AdministratorAccess"))),
        "iam:AttachRolePolicy",
        roles + "bounded");
    assertThatCode(
            () ->
                iam.attachRolePolicy(
                    r -> r.roleName("bounded").policyArn("arn:aws:iam::aws:policy/ReadOnlyAccess")))
        .doesNotThrowAnyException();

    // removing the boundary
    assertDenied(
        refusal(() -> iam.deleteRolePermissionsBoundary(r -> r.roleName("bounded"))),
        "iam:DeleteRolePermissionsBoundary",
        roles + "bounded");

    // a role someone made under the path without a boundary gets no permissions from the operator
    adminRole("legacy", "/tidewater/", null);
    assertDenied(
        refusal(
            () ->
                iam.putRolePolicy(
                    r ->
                        r.roleName("legacy")
                            .policyName("everything")
                            .policyDocument(
                                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                    + "\"Action\":\"*\",\"Resource\":\"*\"}]}"))),
        "iam:PutRolePolicy",
        roles + "legacy");
  }
}
