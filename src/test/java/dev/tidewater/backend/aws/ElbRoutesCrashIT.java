package dev.tidewater.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RuleStatus;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;

/**
 * Crash safety of the ELBv2 side of a route against moto: the process "dies" right after the Nth
 * write took effect (an interceptor throws in afterExecution, before status could record it); a
 * fresh apply with the status as it was converges to exactly one target group and one rule per
 * rule, found again by name / priority and owner tags. Observe and apply run with the operator's
 * keys (deploy/iam-policy.json enforced); the admin's keys only set up and look.
 */
class ElbRoutesCrashIT {

  private static final TestGround ground = TestGround.get();
  private static final Set<String> WRITES =
      Set.of("CreateTargetGroup", "ModifyTargetGroupAttributes", "CreateRule");

  /** Throws after the Nth write call went through; counts the writes that took effect. */
  static final class CrashAfter implements ExecutionInterceptor {
    final AtomicInteger writes = new AtomicInteger();
    final Map<String, Integer> done = new HashMap<>();
    int crashAt;

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      if (!WRITES.contains(op)) return;
      done.merge(op, 1, Integer::sum);
      if (writes.incrementAndGet() == crashAt) {
        throw new IllegalStateException("crash after " + op);
      }
    }
  }

  /** {@code builder} on the strict layer with the admin's keys: the test's setup and look-ups. */
  static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>> B local(
      B builder) {
    return on(builder, TestGround.ADMIN_ACCESS_KEY_ID, TestGround.ADMIN_SECRET_ACCESS_KEY);
  }

  /**
   * {@code builder} on the strict layer with the operator's keys (deploy/iam-policy.json enforced,
   * unless {@code -Dtidewater.strict.operatorCredentials=admin}): the code under test.
   */
  static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>>
      B asOperator(B builder) {
    Map<String, String> keys = TestGround.operatorAwsKeys();
    return on(builder, keys.get("AWS_ACCESS_KEY_ID"), keys.get("AWS_SECRET_ACCESS_KEY"));
  }

  private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>>
      B on(B builder, String accessKeyId, String secretAccessKey) {
    return builder
        .endpointOverride(ground.motoEndpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
  }

  /** Observe, then apply, as the reconciler does (no other route on the listener). */
  static ElbRoutes.Applied applyRoute(
      ElasticLoadBalancingV2Client elb, LoadBalancerRoute route, List<Integer> priorities) {
    return applyRoute(elb, route, "ip", priorities, Set.copyOf(priorities));
  }

  static ElbRoutes.Applied applyRoute(
      ElasticLoadBalancingV2Client elb,
      LoadBalancerRoute route,
      String targetType,
      List<Integer> priorities,
      Set<Integer> reserved) {
    return applyRoute(elb, new ListenerRules.RuleTags(), route, targetType, priorities, reserved);
  }

  static ElbRoutes.Applied applyRoute(
      ElasticLoadBalancingV2Client elb,
      ListenerRules.RuleTags tags,
      LoadBalancerRoute route,
      String targetType,
      List<Integer> priorities,
      Set<Integer> reserved) {
    Set<String> arns = new java.util.HashSet<>();
    if (route.getStatus() != null && route.getStatus().rules != null) {
      route.getStatus().rules.forEach(r -> arns.add(r.ruleArn));
    }
    ElbRoutes.Observed observed = ElbRoutes.observe(elb, tags, route, arns, List.of(route));
    return ElbRoutes.apply(elb, route, observed, targetType, priorities, reserved);
  }

  @ParameterizedTest(name = "crash after write {0}")
  @ValueSource(ints = {1, 2, 3, 4})
  void convergesToOneOfEachAfterACrashAfterAnyWrite(int n) {
    CrashAfter crash = new CrashAfter();
    crash.crashAt = n;
    try (Ec2Client ec2 = local(Ec2Client.builder()).build();
        ElasticLoadBalancingV2Client plain = local(ElasticLoadBalancingV2Client.builder()).build();
        ElasticLoadBalancingV2Client elb =
            asOperator(ElasticLoadBalancingV2Client.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(crash))
                .build()) {
      String vpc = ec2.createVpc(r -> r.cidrBlock("10.40.0.0/16")).vpc().vpcId();
      String a =
          ec2.createSubnet(
                  r -> r.vpcId(vpc).cidrBlock("10.40.1.0/24").availabilityZone("us-east-1a"))
              .subnet()
              .subnetId();
      String b =
          ec2.createSubnet(
                  r -> r.vpcId(vpc).cidrBlock("10.40.2.0/24").availabilityZone("us-east-1b"))
              .subnet()
              .subnetId();
      String id = UUID.randomUUID().toString().substring(0, 6);
      var lb =
          plain.createLoadBalancer(r -> r.name("crash-" + id).subnets(a, b)).loadBalancers().get(0);
      String listener =
          plain
              .createListener(
                  r ->
                      r.loadBalancerArn(lb.loadBalancerArn())
                          .port(80)
                          .protocol("HTTP")
                          .defaultActions(
                              x ->
                                  x.type(ActionTypeEnum.FIXED_RESPONSE)
                                      .fixedResponseConfig(f -> f.statusCode("404"))))
              .listeners()
              .get(0)
              .listenerArn();
      LoadBalancerRoute route =
          Resources.fromYaml(
              """
              apiVersion: ecs.tidewater.dev/v1alpha1
              kind: LoadBalancerRoute
              metadata: {name: web, namespace: crash-%s, uid: %s}
              spec:
                loadBalancer: {arn: "%s"}
                listener: {arn: "%s"}
                target: {serviceRef: {name: web}, containerPort: 8080}
                deregistrationDelaySeconds: 12
                rules:
                - priority: 5
                  conditions: {pathPatterns: ["/a/*"]}
                - priority: 6
                  conditions: {hostHeaders: [b.example.com]}
              """
                  .formatted(id, UUID.randomUUID(), lb.loadBalancerArn(), listener),
              LoadBalancerRoute.class);

      assertThatThrownBy(() -> applyRoute(elb, route, List.of(5, 6)))
          .hasStackTraceContaining("crash after");
      // a restarted operator: status is what it was before the crash (nothing recorded)
      ElbRoutes.Applied applied = applyRoute(elb, route, List.of(5, 6));
      // and a resync with the status it then recorded writes nothing more
      LoadBalancerRouteStatus status = new LoadBalancerRouteStatus();
      status.targetGroupArn = applied.targetGroupArn();
      status.listenerArn = applied.listenerArn();
      status.rules = new ArrayList<>();
      for (String arn : applied.ruleArns()) {
        RuleStatus s = new RuleStatus();
        s.ruleArn = arn;
        status.rules.add(s);
      }
      route.setStatus(status);
      int before = crash.writes.get();
      applyRoute(elb, route, List.of(5, 6));
      assertThat(crash.writes.get()).isEqualTo(before);

      assertThat(crash.done)
          .containsEntry("CreateTargetGroup", 1)
          .containsEntry("CreateRule", 2)
          .containsEntry("ModifyTargetGroupAttributes", 1);
      var named =
          plain.describeTargetGroups().targetGroups().stream()
              .filter(g -> g.targetGroupName().equals(ElbRoutes.targetGroupName(route)))
              .toList();
      assertThat(named).hasSize(1);
      assertThat(
              plain
                  .describeTargetGroupAttributes(
                      r -> r.targetGroupArn(named.get(0).targetGroupArn()))
                  .attributes()
                  .stream()
                  .filter(x -> x.key().equals("deregistration_delay.timeout_seconds"))
                  .map(x -> x.value()))
          .containsExactly("12");
      var rules =
          plain.describeRules(r -> r.listenerArn(listener)).rules().stream()
              .filter(r -> !r.isDefault())
              .toList();
      assertThat(rules).extracting(r -> r.priority()).containsExactlyInAnyOrder("5", "6");
      assertThat(applied.ruleArns())
          .containsExactlyInAnyOrderElementsOf(rules.stream().map(r -> r.ruleArn()).toList());
    }
  }
}
