package dev.tidewater.backend.aws;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RuleStatus;
import dev.tidewater.model.ListenerRulePlanner;
import java.util.ArrayList;
import java.util.List;

/** How a route's status records what its backend made: ELBv2 identifiers and one entry per rule. */
public final class RouteStatuses {

  /** The Progressing reason of a route waiting for another route's rule to leave a priority. */
  public static final String MOVING_PRIORITIES = "MovingPriorities";

  private RouteStatuses() {}

  /** The listener, target group and retired groups {@code elb} landed on. */
  public static void recordElb(LoadBalancerRouteStatus next, ElbRoutes.Applied elb) {
    next.targetGroupArn = elb.targetGroupArn();
    next.listenerArn = elb.listenerArn();
    next.listenerSource = elb.listenerSource();
    next.retiredTargetGroupArns = nullIfEmpty(elb.retiredTargetGroupArns());
  }

  /** One status entry per planned rule: priority, group order, child name and rule ARN. */
  public static List<RuleStatus> rules(
      ListenerRulePlanner.Plan plan,
      List<Integer> orders,
      List<String> children,
      ElbRoutes.Applied elb) {
    List<RuleStatus> rules = new ArrayList<>();
    for (int i = 0; i < plan.priorities().size(); i++) {
      RuleStatus s = new RuleStatus();
      s.priority = plan.priorities().get(i);
      s.groupOrder = i < orders.size() ? orders.get(i) : null;
      s.childName = i < children.size() ? children.get(i) : null;
      s.ruleArn = elb != null && i < elb.ruleArns().size() ? elb.ruleArns().get(i) : null;
      rules.add(s);
    }
    return rules.isEmpty() ? null : rules;
  }

  /** A copy of {@code list}, or null when it is empty (status leaves the field out). */
  public static <T> List<T> nullIfEmpty(List<T> list) {
    return list == null || list.isEmpty() ? null : new ArrayList<>(list);
  }
}
