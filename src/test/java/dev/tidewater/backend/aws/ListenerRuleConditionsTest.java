package dev.tidewater.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.loadbalancerroute.HttpHeaderCondition;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RuleConditions;
import dev.tidewater.api.v1alpha1.loadbalancerroute.TargetHealthCheck;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/** Route conditions as ELBv2 conditions, and when an observed rule counts as unchanged. */
class ListenerRuleConditionsTest {

  private static final String TG = "arn:tg/a";

  private static RuleConditions conditions() {
    RuleConditions c = new RuleConditions();
    c.hostHeaders = List.of("a.example.com", "b.example.com");
    c.pathPatterns = List.of("/api/*");
    HttpHeaderCondition h = new HttpHeaderCondition();
    h.name = "X-Canary";
    h.values = List.of("yes");
    c.httpHeaders = List.of(h);
    c.httpRequestMethods = List.of("GET");
    c.sourceIps = List.of("10.0.0.0/8");
    return c;
  }

  @Test
  void everyConditionBecomesItsElbv2Field() {
    List<RuleCondition> out = ListenerRuleConditions.of(conditions());
    assertThat(out)
        .extracting(RuleCondition::field)
        .containsExactly(
            "host-header", "path-pattern", "http-header", "http-request-method", "source-ip");
    assertThat(out.get(0).hostHeaderConfig().values())
        .containsExactly("a.example.com", "b.example.com");
    assertThat(out.get(2).httpHeaderConfig().httpHeaderName()).isEqualTo("X-Canary");
  }

  private static Rule observed(List<RuleCondition> conditions, String tg) {
    return Rule.builder()
        .ruleArn("arn:rule/1")
        .priority("10")
        .conditions(conditions)
        .actions(Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(tg).build())
        .build();
  }

  @Test
  void anUnchangedRuleMatchesWhateverFormAndOrderElbv2ReturnsItIn() {
    List<RuleCondition> desired = ListenerRuleConditions.of(conditions());
    // ELBv2 may answer with the legacy Values list and another order of values and conditions
    List<RuleCondition> legacy =
        List.of(
            RuleCondition.builder().field("path-pattern").values("/api/*").build(),
            RuleCondition.builder()
                .field("host-header")
                .values("b.example.com", "a.example.com")
                .build(),
            desired.get(2),
            desired.get(3),
            desired.get(4));
    assertThat(ListenerRuleConditions.matches(observed(legacy, TG), desired, TG)).isTrue();
  }

  @Test
  void changedValuesOrTargetGroupDoNotMatch() {
    List<RuleCondition> desired = ListenerRuleConditions.of(conditions());
    RuleConditions other = conditions();
    other.pathPatterns = List.of("/v2/*");
    assertThat(
            ListenerRuleConditions.matches(
                observed(ListenerRuleConditions.of(other), TG), desired, TG))
        .isFalse();
    assertThat(ListenerRuleConditions.matches(observed(desired, "arn:tg/b"), desired, TG))
        .isFalse();
  }

  @Test
  void onlyTheHealthCheckFieldsTheSpecSetsCountAsDrift() {
    TargetGroup tg =
        TargetGroup.builder()
            .healthCheckPath("/healthz")
            .healthCheckIntervalSeconds(30)
            .healthCheckTimeoutSeconds(5)
            .build();
    TargetHealthCheck h = new TargetHealthCheck();
    h.path = "/healthz";
    assertThat(TargetGroups.healthCheckDiffers(tg, h)).isFalse();
    assertThat(TargetGroups.healthCheckDiffers(tg, null)).isFalse();
    h.intervalSeconds = 15;
    assertThat(TargetGroups.healthCheckDiffers(tg, h)).isTrue();
  }
}
