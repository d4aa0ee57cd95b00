package dev.tidewater.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * deploy/iam-policy.json: the guardrails IAM itself must enforce (permissions boundary, allowed
 * policy ARNs, PassRole per service, owner tags), and exactly the actions the code calls — every
 * SDK call in src/main is allowed (with the actions AWS checks on the side, {@link #IMPLIED}) and
 * every allowed action is called.
 */
public class IamPolicyTest {

  private static final String TIDEWATER_ROLES = "arn:aws:iam::*:role/tidewater/*";
  private static final String BOUNDARIES = "arn:aws:iam::*:policy/tidewater/boundaries/*";
  private static final String OWNER_TAG = "tidewater.dev/owner";

  /** SDK clients and the IAM service prefix of their actions. */
  private static final Map<Class<?>, String> CLIENTS =
      Map.of(
          EcsClient.class, "ecs",
          ElasticLoadBalancingV2Client.class, "elasticloadbalancing",
          IamClient.class, "iam",
          ApplicationAutoScalingClient.class, "application-autoscaling",
          Ec2Client.class, "ec2",
          EksClient.class, "eks",
          StsClient.class, "sts",
          SchedulerClient.class, "scheduler");

  /** The AwsClientFactory method that hands out each client. */
  private static final Map<Class<?>, String> FACTORY_METHODS =
      Map.of(
          EcsClient.class, "ecs",
          ElasticLoadBalancingV2Client.class, "elbv2",
          IamClient.class, "iam",
          ApplicationAutoScalingClient.class, "autoScaling",
          Ec2Client.class, "ec2",
          EksClient.class, "eks",
          StsClient.class, "sts",
          SchedulerClient.class, "scheduler");

  /**
   * Actions AWS authorises on the side of a call (documented in each service's guide): tag-on-
   * create, roles passed, service-linked roles made on first use, target tracking's alarms.
   */
  static final Map<String, List<String>> IMPLIED =
      Map.ofEntries(
          Map.entry("ecs:CreateCluster", List.of("ecs:TagResource", "iam:CreateServiceLinkedRole")),
          Map.entry(
              "ecs:CreateService",
              List.of("ecs:TagResource", "iam:CreateServiceLinkedRole", "iam:PassRole")),
          Map.entry("ecs:UpdateService", List.of("iam:PassRole")),
          Map.entry("ecs:RegisterTaskDefinition", List.of("ecs:TagResource", "iam:PassRole")),
          Map.entry(
              "elasticloadbalancing:CreateTargetGroup", List.of("elasticloadbalancing:AddTags")),
          Map.entry("elasticloadbalancing:CreateRule", List.of("elasticloadbalancing:AddTags")),
          Map.entry(
              "application-autoscaling:RegisterScalableTarget",
              List.of("iam:CreateServiceLinkedRole")),
          Map.entry(
              "application-autoscaling:PutScalingPolicy",
              List.of("cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms")),
          Map.entry(
              "application-autoscaling:DeleteScalingPolicy",
              List.of("cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms")),
          Map.entry(
              "application-autoscaling:DeregisterScalableTarget",
              List.of("cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms")),
          Map.entry("eks:CreatePodIdentityAssociation", List.of("iam:PassRole")),
          Map.entry("eks:UpdatePodIdentityAssociation", List.of("iam:PassRole")),
          Map.entry("scheduler:CreateSchedule", List.of("iam:PassRole")),
          Map.entry("scheduler:UpdateSchedule", List.of("iam:PassRole")));

  /** Calls IAM authorises for everyone. */
  static final Set<String> NO_PERMISSION_NEEDED = Set.of("sts:GetCallerIdentity");

  private static JsonNode policy;

  @BeforeAll
  static void read() throws IOException {
    policy = new ObjectMapper().readTree(Path.of("deploy", "iam-policy.json").toFile());
  }

  private static List<JsonNode> statementsWith(String action) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode s : policy.get("Statement")) {
      for (String a : strings(s.get("Action"))) {
        if (a.equals(action)) out.add(s);
      }
    }
    return out;
  }

  private static Set<String> policyActions() {
    Set<String> out = new TreeSet<>();
    policy.get("Statement").forEach(s -> out.addAll(strings(s.get("Action"))));
    return out;
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null || node.isMissingNode()) return out;
    if (node.isArray()) node.forEach(n -> out.add(n.asText()));
    else out.add(node.asText());
    return out;
  }

  /** Every AWS action the code in src/main calls, directly or through an SDK credentials class. */
  public static Set<String> calledActions() throws IOException {
    Set<String> called = new TreeSet<>();
    List<Path> sources;
    try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
      sources = files.filter(p -> p.toString().endsWith(".java")).toList();
    }
    Map<Class<?>, Map<String, String>> opsByClient = new LinkedHashMap<>();
    for (Class<?> type : CLIENTS.keySet()) {
      Map<String, String> ops = new LinkedHashMap<>(); // method name → action
      for (Method m : type.getMethods()) {
        Class<?> param = m.getParameterCount() == 1 ? m.getParameterTypes()[0] : null;
        if (param != null
            && (param.getSimpleName().endsWith("Request")
                || param.getName().equals("java.util.function.Consumer"))) {
          String op = m.getName().replaceFirst("Paginator$", "");
          ops.put(
              m.getName(),
              CLIENTS.get(type) + ":" + Character.toUpperCase(op.charAt(0)) + op.substring(1));
        }
      }
      opsByClient.put(type, ops);
    }
    Pattern invoked = Pattern.compile("(?:\\.|::)\\s*([a-z]\\w*)");
    for (Path file : sources) {
      String text = Files.readString(file);
      if (text.contains("StsAssumeRoleCredentialsProvider")) {
        called.add("sts:AssumeRole"); // the provider calls it for a Cluster's assumeRoleArn
      }
      if (file.endsWith("AwsClientFactory.java")) {
        continue; // builds the clients (its method names are the factory's, not calls)
      }
      Set<String> names = new TreeSet<>();
      Matcher m = invoked.matcher(text);
      while (m.find()) names.add(m.group(1));
      List<Class<?>> used = new ArrayList<>();
      for (Class<?> type : CLIENTS.keySet()) {
        if (text.contains(type.getSimpleName())
            || Pattern.compile("\\.\\s*" + FACTORY_METHODS.get(type) + "\\(")
                .matcher(text)
                .find()) {
          used.add(type);
        }
      }
      for (Class<?> type : used) {
        for (var op : opsByClient.get(type).entrySet()) {
          if (!names.contains(op.getKey())) continue;
          boolean shared =
              used.stream().anyMatch(o -> o != type && opsByClient.get(o).containsKey(op.getKey()));
          if (!shared || calledOn(text, type, op.getKey())) {
            called.add(op.getValue());
          }
        }
      }
    }
    return called;
  }

  /**
   * Whether {@code method} is called on a client of {@code type} in {@code text}: on a variable
   * declared with the type, or on the factory call that hands it out.
   */
  private static boolean calledOn(String text, Class<?> type, String method) {
    List<String> receivers = new ArrayList<>();
    Matcher declared = Pattern.compile("\\b" + type.getSimpleName() + "\\s+(\\w+)").matcher(text);
    while (declared.find()) receivers.add("\\b" + Pattern.quote(declared.group(1)));
    receivers.add("\\." + FACTORY_METHODS.get(type) + "\\([^()]*\\)");
    return Pattern.compile(
            "(?:" + String.join("|", receivers) + ")\\s*(?:\\.|::)\\s*" + method + "\\b")
        .matcher(text)
        .find();
  }

  @Test
  void everyCallTheCodeMakesIsAllowed() throws IOException {
    Set<String> needed = new TreeSet<>();
    for (String action : calledActions()) {
      if (!NO_PERMISSION_NEEDED.contains(action)) needed.add(action);
      needed.addAll(IMPLIED.getOrDefault(action, List.of()));
    }
    assertThat(policyActions()).containsAll(needed);
  }

  @Test
  void everyAllowedActionIsUsed() throws IOException {
    Set<String> needed = new TreeSet<>();
    for (String action : calledActions()) {
      needed.add(action);
      needed.addAll(IMPLIED.getOrDefault(action, List.of()));
    }
    assertThat(needed).containsAll(policyActions());
  }

  @Test
  void isAnAllowOnlyPolicyWithoutWildcardActions() {
    assertThat(policy.get("Version").asText()).isEqualTo("2012-10-17");
    for (JsonNode s : policy.get("Statement")) {
      assertThat(s.get("Effect").asText()).as(s.get("Sid").asText()).isEqualTo("Allow");
      assertThat(strings(s.get("Action")))
          .as(s.get("Sid").asText())
          .noneMatch(a -> a.contains("*"));
    }
  }

  @Test
  void everyPassRoleNamesTheServiceItPassesTo() {
    List<JsonNode> passRole = statementsWith("iam:PassRole");
    assertThat(passRole).hasSize(4);
    Map<String, List<String>> servicesByResource = new LinkedHashMap<>();
    for (JsonNode s : passRole) {
      List<String> services = strings(s.at("/Condition/StringEquals/iam:PassedToService"));
      assertThat(services).as(s.get("Sid").asText()).isNotEmpty();
      strings(s.get("Resource"))
          .forEach(
              r -> servicesByResource.computeIfAbsent(r, k -> new ArrayList<>()).addAll(services));
    }
    assertThat(servicesByResource)
        .containsEntry(
            TIDEWATER_ROLES, List.of("ecs-tasks.amazonaws.com", "pods.eks.amazonaws.com"))
        // to EventBridge Scheduler: only the managed scheduler roles, and the path documented for
        // a given spec.schedulerRoleArn (not every role Tidewater manages)
        .containsEntry(
            "arn:aws:iam::*:role/tidewater/*_scheduler", List.of("scheduler.amazonaws.com"))
        .containsEntry("arn:aws:iam::*:role/ecs-scheduler/*", List.of("scheduler.amazonaws.com"))
        .containsEntry(
            "arn:aws:iam::*:role/ecsTaskExecutionRole", List.of("ecs-tasks.amazonaws.com"))
        .containsEntry("arn:aws:iam::*:role/ecsInfrastructureRole", List.of("ecs.amazonaws.com"))
        .doesNotContainKey("*")
        .doesNotContainKey("arn:aws:iam::*:role/*");
  }

  @Test
  void roleWritesAreScopedToTheTidewaterPath() {
    for (String action :
        List.of(
            "iam:CreateRole",
            "iam:DeleteRole",
            "iam:PutRolePolicy",
            "iam:AttachRolePolicy",
            "iam:UpdateAssumeRolePolicy",
            "iam:PutRolePermissionsBoundary")) {
      assertThat(statementsWith(action))
          .as(action)
          .singleElement()
          .satisfies(s -> assertThat(strings(s.get("Resource"))).containsExactly(TIDEWATER_ROLES));
    }
  }

  @Test
  void rolePermissionWritesNeedATidewaterBoundary() {
    for (String action :
        List.of(
            "iam:CreateRole",
            "iam:PutRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:AttachRolePolicy",
            "iam:DetachRolePolicy",
            "iam:PutRolePermissionsBoundary")) {
      assertThat(statementsWith(action))
          .as(action)
          .singleElement()
          .satisfies(
              s ->
                  assertThat(strings(s.at("/Condition/ArnLike/iam:PermissionsBoundary")))
                      .containsExactly(BOUNDARIES));
    }
    assertThat(statementsWith("iam:DeleteRolePermissionsBoundary")).isEmpty();
  }

  @Test
  void attachRolePolicyOnlyForAllowedPolicies() {
    JsonNode s = statementsWith("iam:AttachRolePolicy").get(0);
    assertThat(strings(s.at("/Condition/ArnLike/iam:PolicyARN")))
        .containsExactlyInAnyOrder(
            "arn:aws:iam::*:policy/tidewater/*", "arn:aws:iam::aws:policy/*");
    assertThat(strings(s.at("/Condition/ArnNotLike/iam:PolicyARN")))
        .contains(
            BOUNDARIES,
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "arn:aws:iam::aws:policy/PowerUserAccess",
            "arn:aws:iam::aws:policy/IAMFullAccess");
  }

  @Test
  void ecsAndLoadBalancingWritesNeedTheOwnerTag() {
    for (String action :
        List.of(
            "ecs:CreateCluster",
            "ecs:CreateService",
            "ecs:RegisterTaskDefinition",
            "elasticloadbalancing:CreateTargetGroup",
            "elasticloadbalancing:CreateRule")) {
      assertThat(statementsWith(action))
          .as(action)
          .singleElement()
          .satisfies(
              s ->
                  assertThat(
                          s.at(
                                  "/Condition/Null/"
                                      + ("aws:RequestTag/" + OWNER_TAG).replace("/", "~1"))
                              .asText())
                      .isEqualTo("false"));
    }
    for (String action :
        List.of(
            "ecs:UpdateService",
            "ecs:DeleteService",
            "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:ModifyTargetGroupAttributes",
            "elasticloadbalancing:DeleteRule",
            "elasticloadbalancing:ModifyRule",
            "elasticloadbalancing:SetRulePriorities")) {
      assertThat(statementsWith(action))
          .as(action)
          .singleElement()
          .satisfies(
              s ->
                  assertThat(
                          s.at(
                                  "/Condition/Null/"
                                      + ("aws:ResourceTag/" + OWNER_TAG).replace("/", "~1"))
                              .asText())
                      .isEqualTo("false"));
    }
    // tagging: on create, on what is ours, or a claim that sets the owner tag (adopt: true)
    for (String action : List.of("ecs:TagResource", "elasticloadbalancing:AddTags")) {
      assertThat(statementsWith(action))
          .as(action)
          .hasSize(3)
          .allSatisfy(s -> assertThat(s.get("Condition")).isNotNull());
    }
  }

  /**
   * A claim (adopt: true) tags only an object without an owner tag, and only with Tidewater's own
   * keys: another cluster's or another resource's object cannot be tagged over and then changed.
   */
  @Test
  void aClaimTagsOnlyUnownedObjectsWithOnlyTidewatersKeys() {
    for (String action : List.of("ecs:TagResource", "elasticloadbalancing:AddTags")) {
      List<JsonNode> claims =
          statementsWith(action).stream()
              .filter(s -> !s.at("/Condition/Null").isMissingNode())
              .filter(s -> s.at("/Condition/Null").has("aws:RequestTag/" + OWNER_TAG))
              .toList();
      assertThat(claims)
          .as(action)
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.at("/Condition/Null").get("aws:RequestTag/" + OWNER_TAG).asText())
                    .isEqualTo("false");
                assertThat(s.at("/Condition/Null").path("aws:ResourceTag/" + OWNER_TAG).asText())
                    .as("only an object without an owner tag can be claimed")
                    .isEqualTo("true");
                assertThat(strings(s.at("/Condition/ForAllValues:StringLike/aws:TagKeys")))
                    .containsExactly("tidewater.dev/*");
              });
    }
  }

  @Test
  void serviceLinkedRolesOnlyForEcs() {
    assertThat(statementsWith("iam:CreateServiceLinkedRole"))
        .singleElement()
        .satisfies(
            s ->
                assertThat(strings(s.at("/Condition/StringEquals/iam:AWSServiceName")))
                    .allMatch(n -> n.startsWith("ecs.")));
  }
}
