package dev.tidewater.backend.aws;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteSpec;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RouteRule;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RuleStatus;
import dev.tidewater.model.AwsNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The ELBv2 side of a LoadBalancerRoute, the same for the kubernetes backend's {@code aws} routing
 * mode and the ecs backend: resolve the listener (by ARN, else load balancer + port, remembered in
 * status), ensure the target group, converge the listener rules at their planned priorities, and
 * delete both on deletion. Reads per converged reconcile: one DescribeTargetGroups and one
 * DescribeRules.
 */
public final class ElbRoutes {

  /** Where the route landed. */
  public record Applied(
      String listenerArn,
      String targetGroupArn,
      List<String> ruleArns,
      Optional<String> problemReason,
      String problemMessage) {

    static Applied problem(String reason, String message) {
      return new Applied(null, null, List.of(), Optional.of(reason), message);
    }
  }

  private ElbRoutes() {}

  /** The target group name of a route: from {@code <namespace>-<name>}, at most 32 characters. */
  public static String targetGroupName(LoadBalancerRoute route) {
    return AwsNames.of(
        AwsNames.Kind.TARGET_GROUP,
        route.getMetadata().getNamespace(),
        route.getMetadata().getName());
  }

  /**
   * Converges target group and rules.
   *
   * @param targetType {@code ip} or {@code instance}; asked only when the group is created
   * @param priorities per rule, its planned priority
   */
  public static Applied apply(
      ElasticLoadBalancingV2Client elb,
      LoadBalancerRoute route,
      java.util.function.Supplier<String> targetType,
      List<Integer> priorities) {
    LoadBalancerRouteSpec spec = route.getSpec();
    LoadBalancerRouteStatus previous = route.getStatus();
    String listenerArn =
        spec.listener.arn != null
            ? spec.listener.arn
            : previous == null ? null : previous.listenerArn;
    ListenerRules.Listener[] resolved = new ListenerRules.Listener[1];
    if (listenerArn == null) {
      Optional<ListenerRules.Listener> l =
          ListenerRules.resolve(
              elb, null, spec.loadBalancer.name, spec.loadBalancer.arn, spec.listener.port);
      if (l.isEmpty()) {
        return Applied.problem(
            "ListenerNotFound",
            "spec.listener.port: load balancer "
                + (spec.loadBalancer.arn != null ? spec.loadBalancer.arn : spec.loadBalancer.name)
                + " has no listener on port "
                + spec.listener.port);
      }
      resolved[0] = l.get();
      listenerArn = l.get().listenerArn();
    }
    String listener = listenerArn;
    boolean network = "network".equals(spec.loadBalancer.type);
    String protocol = network ? ("UDP".equals(spec.listener.protocol) ? "UDP" : "TCP") : "HTTP";
    Map<String, String> userTags = AwsOwnership.userTags(spec.tags);
    TargetGroups.Result tg =
        TargetGroups.ensure(
            elb,
            route,
            new TargetGroups.Desired(
                targetGroupName(route),
                protocol,
                spec.target.containerPort,
                targetType,
                spec.healthCheck,
                spec.deregistrationDelaySeconds,
                AwsOwnership.tags(route, userTags)),
            previous == null ? null : previous.targetGroupArn,
            Boolean.TRUE.equals(spec.adopt),
            () -> {
              if (resolved[0] == null) {
                resolved[0] =
                    ListenerRules.resolve(elb, listener, null, null, null)
                        .orElseThrow(
                            () -> new IllegalStateException("listener " + listener + " not found"));
              }
              return resolved[0].vpcId();
            });
    if (tg.nameConflict().isPresent()) {
      return Applied.problem("NameConflict", tg.nameConflict().get());
    }
    List<ListenerRules.Desired> desired = new ArrayList<>();
    List<RouteRule> rules = network || spec.rules == null ? List.of() : spec.rules;
    for (int i = 0; i < rules.size(); i++) {
      desired.add(
          new ListenerRules.Desired(
              priorities.get(i), ListenerRuleConditions.of(rules.get(i).conditions), tg.arn()));
    }
    List<String> known = new ArrayList<>();
    if (previous != null && previous.rules != null) {
      previous.rules.forEach(r -> known.add(r == null ? null : r.ruleArn));
    }
    List<String> arns =
        network && known.stream().allMatch(a -> a == null)
            ? List.of()
            : ListenerRules.converge(elb, listener, route, desired, known, userTags);
    return new Applied(listener, tg.arn(), arns, Optional.empty(), null);
  }

  /** Deletes the route's rules, then its target group (status names them). */
  public static void delete(ElasticLoadBalancingV2Client elb, LoadBalancerRouteStatus status) {
    if (status == null) return;
    if (status.rules != null) {
      ListenerRules.deleteAll(elb, status.rules.stream().map((RuleStatus r) -> r.ruleArn).toList());
    }
    if (status.targetGroupArn != null) {
      TargetGroups.delete(elb, status.targetGroupArn);
    }
  }
}
