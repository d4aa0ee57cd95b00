package dev.tidewater.backend.aws;

import static dev.tidewater.backend.aws.ElbRoutesCrashIT.applyRoute;
import static dev.tidewater.backend.aws.ElbRoutesCrashIT.asOperator;
import static dev.tidewater.backend.aws.ElbRoutesCrashIT.local;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.testing.Resources;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Target group names after the switch to the unambiguous scheme (docs/naming.md), against moto with
 * the operator's keys: a group an earlier version made under the old name with this route's owner
 * tags is kept (no second group), a new route gets a new name, and a route whose old name another
 * namespace's route holds ({@code a-b}/{@code web} against {@code a}/{@code b-web}) gets its own
 * group instead of a NameConflict.
 */
class TargetGroupNamingIT {

  private record Listener(String vpc, String lb, String arn) {}

  private static Listener listener(ElasticLoadBalancingV2Client plain, Ec2Client ec2, String id) {
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.41.0.0/16")).vpc().vpcId();
    String a =
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.41.1.0/24").availabilityZone("us-east-1a"))
            .subnet()
            .subnetId();
    String b =
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.41.2.0/24").availabilityZone("us-east-1b"))
            .subnet()
            .subnetId();
    var lb = plain.createLoadBalancer(r -> r.name("naming-" + id).subnets(a, b)).loadBalancers();
    String arn =
        plain
            .createListener(
                r ->
                    r.loadBalancerArn(lb.get(0).loadBalancerArn())
                        .port(80)
                        .protocol("HTTP")
                        .defaultActions(
                            x ->
                                x.type(ActionTypeEnum.FIXED_RESPONSE)
                                    .fixedResponseConfig(f -> f.statusCode("404"))))
            .listeners()
            .get(0)
            .listenerArn();
    return new Listener(vpc, lb.get(0).loadBalancerArn(), arn);
  }

  private static LoadBalancerRoute route(String ns, String name, Listener listener, int priority) {
    return Resources.fromYaml(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata: {name: %s, namespace: %s, uid: %s}
        spec:
          loadBalancer: {arn: "%s"}
          listener: {arn: "%s"}
          target: {serviceRef: {name: web}, containerPort: 8080}
          rules:
          - priority: %d
            conditions: {pathPatterns: ["/%s/*"]}
        """
            .formatted(name, ns, UUID.randomUUID(), listener.lb(), listener.arn(), priority, name),
        LoadBalancerRoute.class);
  }

  /** A target group as an earlier version made it: the old name, the owner tags of {@code of}. */
  private static String earlierGroup(
      ElasticLoadBalancingV2Client plain, String vpc, LoadBalancerRoute of, String name) {
    return plain
        .createTargetGroup(
            r ->
                r.name(name)
                    .protocol("HTTP")
                    .port(8080)
                    .targetType("ip")
                    .vpcId(vpc)
                    .tags(
                        Tag.builder()
                            .key(AwsOwnership.OWNER_TAG)
                            .value(AwsOwnership.owner(of))
                            .build(),
                        Tag.builder()
                            .key(AwsOwnership.UID_TAG)
                            .value(of.getMetadata().getUid())
                            .build()))
        .targetGroups()
        .get(0)
        .targetGroupArn();
  }

  private static List<String> groupNames(ElasticLoadBalancingV2Client plain, String vpc) {
    return plain.describeTargetGroups().targetGroups().stream()
        .filter(g -> vpc.equals(g.vpcId()))
        .map(TargetGroup::targetGroupName)
        .sorted()
        .toList();
  }

  @Test
  void anOldNamedGroupOfThisRouteIsKeptAndANewRouteGetsANewName() {
    String id = UUID.randomUUID().toString().substring(0, 6);
    String ns = "tgm-" + id;
    try (Ec2Client ec2 = local(Ec2Client.builder()).build();
        ElasticLoadBalancingV2Client plain = local(ElasticLoadBalancingV2Client.builder()).build();
        ElasticLoadBalancingV2Client elb =
            asOperator(ElasticLoadBalancingV2Client.builder()).build()) {
      Listener l = listener(plain, ec2, id);
      LoadBalancerRoute web = route(ns, "web", l, 5);
      String old = ElbRoutes.legacyTargetGroupName(web, "ip");
      String earlier = earlierGroup(plain, l.vpc(), web, old);

      assertThat(applyRoute(elb, web, List.of(5)).targetGroupArn()).as("kept").isEqualTo(earlier);
      LoadBalancerRoute api = route(ns, "api", l, 6);
      applyRoute(elb, api, List.of(6));

      assertThat(groupNames(plain, l.vpc()))
          .as("no second group for web; api under the new scheme")
          .containsExactlyInAnyOrder(old, ElbRoutes.targetGroupName(api));
      assertThat(ElbRoutes.targetGroupName(api)).matches("tgm-" + id + "-api-[0-9a-f]{16}");
    }
  }

  @Test
  void aRouteWhoseOldNameAnotherNamespacesRouteHoldsGetsItsOwnGroup() {
    String id = UUID.randomUUID().toString().substring(0, 6);
    String a = "tgj-" + id;
    try (Ec2Client ec2 = local(Ec2Client.builder()).build();
        ElasticLoadBalancingV2Client plain = local(ElasticLoadBalancingV2Client.builder()).build();
        ElasticLoadBalancingV2Client elb =
            asOperator(ElasticLoadBalancingV2Client.builder()).build()) {
      Listener l = listener(plain, ec2, id);
      // a/b-web's group as an earlier version named it: a-b-web, which a-b/web's old name was too
      LoadBalancerRoute first = route(a, "b-web", l, 5);
      String theirs =
          earlierGroup(plain, l.vpc(), first, ElbRoutes.legacyTargetGroupName(first, "ip"));
      LoadBalancerRoute second = route(a + "-b", "web", l, 6);
      assertThat(ElbRoutes.legacyTargetGroupName(second, "ip"))
          .isEqualTo(ElbRoutes.legacyTargetGroupName(first, "ip"));

      ElbRoutes.Applied applied = applyRoute(elb, second, List.of(6));
      assertThat(applied.problemReason()).as(applied.problemMessage()).isEmpty();
      assertThat(applied.targetGroupArn()).isNotEqualTo(theirs);
      assertThat(groupNames(plain, l.vpc()))
          .containsExactlyInAnyOrder(
              ElbRoutes.legacyTargetGroupName(first, "ip"), ElbRoutes.targetGroupName(second));
    }
  }
}
