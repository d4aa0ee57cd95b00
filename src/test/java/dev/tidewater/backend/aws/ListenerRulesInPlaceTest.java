package dev.tidewater.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RuleConditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateRuleResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeleteRuleResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyRuleResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SetRulePrioritiesResponse;

/**
 * {@link ListenerRules#inPlace} — the check a route on another route's read of the listener makes
 * before it writes — against what {@link ListenerRules#converge} does with the same inputs: in
 * place exactly when converge makes no write and waits for nothing, over a table of listeners.
 */
class ListenerRulesInPlaceTest {

  private static final String LISTENER =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/public/1/2";
  private static final String TG = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/1";
  private static final LoadBalancerRoute OWNER = route("web", "uid-web");
  private static final LoadBalancerRoute OTHER = route("api", "uid-api");

  private static LoadBalancerRoute route(String name, String uid) {
    LoadBalancerRoute r = new LoadBalancerRoute();
    r.setMetadata(
        new ObjectMetaBuilder().withNamespace("shop").withName(name).withUid(uid).build());
    return r;
  }

  private static String arn(String id) {
    return LISTENER.replace(":listener/", ":listener-rule/") + "/" + id;
  }

  private static RuleConditions paths(String... paths) {
    RuleConditions c = new RuleConditions();
    c.pathPatterns = List.of(paths);
    return c;
  }

  private static Rule rule(String id, int priority, String path, String tg) {
    return Rule.builder()
        .ruleArn(arn(id))
        .priority(String.valueOf(priority))
        .isDefault(false)
        .conditions(ListenerRuleConditions.of(paths(path)))
        .actions(ListenerRuleConditions.forward(tg))
        .build();
  }

  private static final Rule DEFAULT =
      Rule.builder().ruleArn(arn("default")).priority("default").isDefault(true).build();

  private static ListenerRules.Desired desired(int priority, String path) {
    return desired(priority, path, TG);
  }

  private static ListenerRules.Desired desired(int priority, String path, String tg) {
    return new ListenerRules.Desired(priority, ListenerRuleConditions.of(paths(path)), tg);
  }

  /**
   * One listener and one route's wish.
   *
   * @param unplanned the tags of the rules no route names in its status
   * @param known the rule ARNs the route's status names, per rule
   * @param inPlace what the check answers
   */
  record Row(
      String name,
      List<Rule> observed,
      Map<String, Map<String, String>> unplanned,
      List<ListenerRules.Desired> desired,
      List<String> known,
      boolean inPlace) {

    @Override
    public String toString() {
      return name;
    }
  }

  private static Map<String, String> tagsOf(LoadBalancerRoute r) {
    return AwsOwnership.tags(r, Map.of());
  }

  static Stream<Row> rows() {
    List<Rule> both = List.of(DEFAULT, rule("a", 10, "/a/*", TG), rule("b", 20, "/b/*", TG));
    List<String> knownBoth = List.of(arn("a"), arn("b"));
    return Stream.of(
        new Row(
            "every rule at its priority with its conditions and target",
            both,
            Map.of(),
            List.of(desired(10, "/a/*"), desired(20, "/b/*")),
            knownBoth,
            true),
        new Row(
            "a changed priority",
            both,
            Map.of(),
            List.of(desired(11, "/a/*"), desired(20, "/b/*")),
            knownBoth,
            false),
        new Row(
            "two rules swapping priorities",
            both,
            Map.of(),
            List.of(desired(20, "/a/*"), desired(10, "/b/*")),
            knownBoth,
            false),
        new Row(
            "a changed condition",
            both,
            Map.of(),
            List.of(desired(10, "/c/*"), desired(20, "/b/*")),
            knownBoth,
            false),
        new Row(
            "another target group",
            both,
            Map.of(),
            List.of(desired(10, "/a/*", TG + "-inst"), desired(20, "/b/*", TG + "-inst")),
            knownBoth,
            false),
        new Row(
            "a rule deleted out of band",
            List.of(DEFAULT, rule("a", 10, "/a/*", TG)),
            Map.of(),
            List.of(desired(10, "/a/*"), desired(20, "/b/*")),
            knownBoth,
            false),
        new Row(
            "a new rule",
            both,
            Map.of(),
            List.of(desired(10, "/a/*"), desired(20, "/b/*"), desired(30, "/c/*")),
            knownBoth,
            false),
        new Row(
            "a rule no longer wanted",
            both,
            Map.of(),
            List.of(desired(10, "/a/*")),
            knownBoth,
            false),
        new Row(
            "a rule of ours status lost, found at its priority by its tags, unchanged",
            both,
            Map.of(arn("a"), tagsOf(OWNER), arn("b"), tagsOf(OWNER)),
            List.of(desired(10, "/a/*"), desired(20, "/b/*")),
            List.of(),
            true),
        new Row(
            "a rule of ours status lost, at a priority no longer wanted",
            both,
            Map.of(arn("a"), tagsOf(OWNER), arn("b"), tagsOf(OWNER)),
            List.of(desired(10, "/a/*")),
            List.of(),
            false),
        new Row(
            "another route's rule beside ours is none of our business",
            List.of(DEFAULT, rule("a", 10, "/a/*", TG), rule("x", 30, "/x/*", "arn:tg/other")),
            Map.of(arn("x"), tagsOf(OTHER)),
            List.of(desired(10, "/a/*")),
            List.of(arn("a")),
            true),
        new Row(
            "our rule's priority held by another route's rule: a wait, no write",
            List.of(DEFAULT, rule("x", 10, "/x/*", "arn:tg/other")),
            Map.of(arn("x"), tagsOf(OTHER)),
            List.of(desired(10, "/a/*")),
            Arrays.asList((String) null),
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void inPlaceExactlyWhenConvergeWritesNothingAndWaitsForNothing(Row row) {
    assertThat(
            ListenerRules.inPlace(
                row.observed(), row.unplanned(), OWNER, row.desired(), row.known()))
        .as("in place")
        .isEqualTo(row.inPlace());

    List<String> writes = new ArrayList<>();
    ListenerRules.Converged converged =
        ListenerRules.converge(
            recording(writes),
            LISTENER,
            row.observed(),
            row.unplanned(),
            OWNER,
            row.desired(),
            row.known(),
            Map.of(),
            Set.of(10, 20, 30));
    assertThat(converged.writes()).as("writes counted").isEqualTo(writes.size());
    assertThat(writes.isEmpty() && converged.waiting().isEmpty())
        .as("converge wrote %s, waiting %s", writes, converged.waiting())
        .isEqualTo(row.inPlace());
  }

  /** An ELBv2 client that takes rule writes and records them; any other call fails the test. */
  private static ElasticLoadBalancingV2Client recording(List<String> writes) {
    Map<String, Integer> created = new HashMap<>();
    return (ElasticLoadBalancingV2Client)
        Proxy.newProxyInstance(
            ListenerRulesInPlaceTest.class.getClassLoader(),
            new Class<?>[] {ElasticLoadBalancingV2Client.class},
            (proxy, method, args) -> {
              String name = method.getName();
              boolean builder = args != null && args.length == 1 && args[0] instanceof Consumer;
              switch (name) {
                case "createRule" -> {
                  writes.add("CreateRule");
                  int n = created.merge("n", 1, Integer::sum);
                  return CreateRuleResponse.builder()
                      .rules(Rule.builder().ruleArn(arn("new-" + n)).build())
                      .build();
                }
                case "modifyRule" -> {
                  writes.add("ModifyRule");
                  return ModifyRuleResponse.builder().build();
                }
                case "setRulePriorities" -> {
                  writes.add("SetRulePriorities");
                  return SetRulePrioritiesResponse.builder().build();
                }
                case "deleteRule" -> {
                  writes.add("DeleteRule");
                  return DeleteRuleResponse.builder().build();
                }
                default ->
                    throw new UnsupportedOperationException(
                        name + (builder ? "(builder)" : "") + " is not a rule write");
              }
            });
  }
}
