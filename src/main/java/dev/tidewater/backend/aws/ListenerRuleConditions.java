package dev.tidewater.backend.aws;

import dev.tidewater.api.v1alpha1.loadbalancerroute.HttpHeaderCondition;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RuleConditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

/**
 * A route rule's conditions as ELBv2 {@link RuleCondition}s, and the canonical form both desired
 * and observed rules are compared in (order-free values; the legacy {@code Values} list and the
 * per-field configs read the same), so an unchanged rule is never modified. Pure.
 */
public final class ListenerRuleConditions {

  private ListenerRuleConditions() {}

  /** The ELBv2 conditions of a rule. */
  public static List<RuleCondition> of(RuleConditions c) {
    List<RuleCondition> out = new ArrayList<>();
    if (c == null) return out;
    if (c.hostHeaders != null) {
      out.add(
          RuleCondition.builder()
              .field("host-header")
              .hostHeaderConfig(h -> h.values(c.hostHeaders))
              .build());
    }
    if (c.pathPatterns != null) {
      out.add(
          RuleCondition.builder()
              .field("path-pattern")
              .pathPatternConfig(p -> p.values(c.pathPatterns))
              .build());
    }
    if (c.httpHeaders != null) {
      for (HttpHeaderCondition h : c.httpHeaders) {
        out.add(
            RuleCondition.builder()
                .field("http-header")
                .httpHeaderConfig(x -> x.httpHeaderName(h.name).values(h.values))
                .build());
      }
    }
    if (c.httpRequestMethods != null) {
      out.add(
          RuleCondition.builder()
              .field("http-request-method")
              .httpRequestMethodConfig(m -> m.values(c.httpRequestMethods))
              .build());
    }
    if (c.sourceIps != null) {
      out.add(
          RuleCondition.builder()
              .field("source-ip")
              .sourceIpConfig(s -> s.values(c.sourceIps))
              .build());
    }
    return out;
  }

  /** The forward action to a target group. */
  public static Action forward(String targetGroupArn) {
    return Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn).build();
  }

  /**
   * Conditions in a comparable form: field (with the header name for http-header, lower-cased as
   * ALB compares header names) → sorted values.
   */
  public static Map<String, TreeSet<String>> canonical(List<RuleCondition> conditions) {
    Map<String, TreeSet<String>> out = new TreeMap<>();
    for (RuleCondition c : conditions) {
      String field = c.field();
      List<String> values;
      if (c.hostHeaderConfig() != null && c.hostHeaderConfig().hasValues()) {
        values = c.hostHeaderConfig().values();
      } else if (c.pathPatternConfig() != null && c.pathPatternConfig().hasValues()) {
        values = c.pathPatternConfig().values();
      } else if (c.httpHeaderConfig() != null) {
        field = field + ":" + c.httpHeaderConfig().httpHeaderName().toLowerCase();
        values = c.httpHeaderConfig().values();
      } else if (c.httpRequestMethodConfig() != null) {
        values = c.httpRequestMethodConfig().values();
      } else if (c.sourceIpConfig() != null) {
        values = c.sourceIpConfig().values();
      } else {
        values = c.values();
      }
      out.computeIfAbsent(field, k -> new TreeSet<>()).addAll(values == null ? List.of() : values);
    }
    return out;
  }

  /** The target group an observed rule forwards to (plain or weighted-forward form). */
  public static String targetGroupOf(Rule rule) {
    for (Action a : rule.actions()) {
      if (a.type() != ActionTypeEnum.FORWARD) continue;
      if (a.targetGroupArn() != null) return a.targetGroupArn();
      if (a.forwardConfig() != null
          && a.forwardConfig().hasTargetGroups()
          && a.forwardConfig().targetGroups().size() == 1) {
        return a.forwardConfig().targetGroups().get(0).targetGroupArn();
      }
    }
    return null;
  }

  /** Whether an observed rule already has these conditions and forwards to this target group. */
  public static boolean matches(Rule observed, List<RuleCondition> desired, String targetGroupArn) {
    return canonical(observed.conditions()).equals(canonical(desired))
        && targetGroupArn.equals(targetGroupOf(observed));
  }
}
