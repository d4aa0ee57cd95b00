package dev.tidewater.backend.aws;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeRulesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RulePriorityPair;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;

/**
 * The listener rules of one LoadBalancerRoute (aws routing mode and the ecs backend alike), with
 * their exact priorities: one DescribeRules of the listener is compared with the desired rules;
 * ModifyRule on changed conditions or target, SetRulePriorities on changed priorities, CreateRule
 * (tagged with the owner) for new ones, DeleteRule for removed ones; zero writes when they match. A
 * rule missing from status (a crash after CreateRule) is found again at its priority by its owner
 * tags.
 */
public final class ListenerRules {

  /** One rule to have. */
  public record Desired(int priority, List<RuleCondition> conditions, String targetGroupArn) {}

  private ListenerRules() {}

  /** Every rule of a listener (DescribeRules pages; one call for up to 400 rules). */
  public static List<Rule> describe(ElasticLoadBalancingV2Client elb, String listenerArn) {
    List<Rule> rules = new ArrayList<>();
    String marker = null;
    do {
      String m = marker;
      DescribeRulesResponse page =
          elb.describeRules(
              r -> {
                r.listenerArn(listenerArn).pageSize(400);
                if (m != null) r.marker(m);
              });
      rules.addAll(page.rules());
      marker = page.nextMarker();
    } while (marker != null);
    return rules;
  }

  /**
   * Brings the owner's rules on the listener to {@code desired}.
   *
   * @param known per desired rule, the ARN status recorded (may be shorter, hold nulls, or name
   *     rules no longer wanted: those are deleted)
   * @return per desired rule, its ARN
   */
  public static List<String> converge(
      ElasticLoadBalancingV2Client elb,
      String listenerArn,
      HasMetadata owner,
      List<Desired> desired,
      List<String> known,
      Map<String, String> userTags) {
    List<Rule> observed = describe(elb, listenerArn);
    Map<String, Rule> byArn = new HashMap<>();
    Map<String, Rule> byPriority = new HashMap<>();
    for (Rule r : observed) {
      byArn.put(r.ruleArn(), r);
      byPriority.put(r.priority(), r);
    }
    Set<String> knownArns = new HashSet<>();
    known.stream().filter(a -> a != null && byArn.containsKey(a)).forEach(knownArns::add);
    Rule[] matched = new Rule[desired.size()];
    Set<String> used = new HashSet<>();
    for (int i = 0; i < desired.size(); i++) {
      String arn = i < known.size() ? known.get(i) : null;
      if (arn != null && byArn.containsKey(arn) && used.add(arn)) matched[i] = byArn.get(arn);
    }
    // a rule at a wanted priority that status does not know: ours only by its tags
    List<String> unknownAtPriority = new ArrayList<>();
    for (int i = 0; i < desired.size(); i++) {
      if (matched[i] != null) continue;
      Rule at = byPriority.get(String.valueOf(desired.get(i).priority()));
      if (at != null && !used.contains(at.ruleArn())) unknownAtPriority.add(at.ruleArn());
    }
    Set<String> ours = new HashSet<>();
    if (!unknownAtPriority.isEmpty()) {
      for (TagDescription d :
          elb.describeTags(r -> r.resourceArns(unknownAtPriority)).tagDescriptions()) {
        Map<String, String> tags = new HashMap<>();
        d.tags().forEach(t -> tags.put(t.key(), t.value()));
        if (AwsOwnership.claim(owner, tags) != AwsOwnership.Claim.FOREIGN) {
          ours.add(d.resourceArn());
        }
      }
      for (int i = 0; i < desired.size(); i++) {
        if (matched[i] != null) continue;
        Rule at = byPriority.get(String.valueOf(desired.get(i).priority()));
        if (at != null && ours.contains(at.ruleArn()) && used.add(at.ruleArn())) matched[i] = at;
      }
    }
    // 1. rules no longer wanted go first, freeing their priorities
    for (String arn : knownArns) {
      if (!used.contains(arn)) deleteRule(elb, arn);
    }
    // 2. changed priorities in one call (AWS swaps them atomically)
    List<RulePriorityPair> moves = new ArrayList<>();
    for (int i = 0; i < desired.size(); i++) {
      if (matched[i] != null
          && !String.valueOf(desired.get(i).priority()).equals(matched[i].priority())) {
        int p = desired.get(i).priority();
        String arn = matched[i].ruleArn();
        moves.add(RulePriorityPair.builder().ruleArn(arn).priority(p).build());
      }
    }
    if (!moves.isEmpty()) elb.setRulePriorities(r -> r.rulePriorities(moves));
    // 3. changed conditions / target, and new rules
    List<String> arns = new ArrayList<>();
    for (int i = 0; i < desired.size(); i++) {
      Desired d = desired.get(i);
      Rule m = matched[i];
      if (m == null) {
        arns.add(
            elb.createRule(
                    r ->
                        r.listenerArn(listenerArn)
                            .priority(d.priority())
                            .conditions(d.conditions())
                            .actions(ListenerRuleConditions.forward(d.targetGroupArn()))
                            .tags(TargetGroups.sdkTags(AwsOwnership.tags(owner, userTags))))
                .rules()
                .get(0)
                .ruleArn());
      } else {
        if (!ListenerRuleConditions.matches(m, d.conditions(), d.targetGroupArn())) {
          elb.modifyRule(
              r ->
                  r.ruleArn(m.ruleArn())
                      .conditions(d.conditions())
                      .actions(ListenerRuleConditions.forward(d.targetGroupArn())));
        }
        arns.add(m.ruleArn());
      }
    }
    return arns;
  }

  /** Deletes rules; already gone (or their listener gone) is fine. */
  public static void deleteAll(ElasticLoadBalancingV2Client elb, List<String> ruleArns) {
    for (String arn : ruleArns) {
      if (arn != null) deleteRule(elb, arn);
    }
  }

  private static void deleteRule(ElasticLoadBalancingV2Client elb, String arn) {
    try {
      elb.deleteRule(r -> r.ruleArn(arn));
    } catch (RuleNotFoundException | ListenerNotFoundException gone) {
      // deleted before
    }
  }

  /** The listener of a load balancer by port, and the load balancer's VPC. */
  public record Listener(String listenerArn, String loadBalancerArn, String vpcId) {}

  /**
   * Resolves a listener named by ARN, or by load balancer (name or ARN) and port: DescribeListeners
   * and DescribeLoadBalancers.
   */
  public static Optional<Listener> resolve(
      ElasticLoadBalancingV2Client elb,
      String listenerArn,
      String loadBalancerName,
      String loadBalancerArn,
      Integer port) {
    if (listenerArn != null) {
      var l = elb.describeListeners(r -> r.listenerArns(listenerArn)).listeners();
      if (l.isEmpty()) return Optional.empty();
      String lbArn = l.get(0).loadBalancerArn();
      String vpc =
          elb.describeLoadBalancers(r -> r.loadBalancerArns(lbArn)).loadBalancers().get(0).vpcId();
      return Optional.of(new Listener(listenerArn, lbArn, vpc));
    }
    var lbs =
        loadBalancerArn != null
            ? elb.describeLoadBalancers(r -> r.loadBalancerArns(loadBalancerArn)).loadBalancers()
            : elb.describeLoadBalancers(r -> r.names(loadBalancerName)).loadBalancers();
    if (lbs.isEmpty()) return Optional.empty();
    var lb = lbs.get(0);
    return elb.describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners().stream()
        .filter(l -> port != null && port.equals(l.port()))
        .findFirst()
        .map(l -> new Listener(l.listenerArn(), lb.loadBalancerArn(), lb.vpcId()));
  }
}
