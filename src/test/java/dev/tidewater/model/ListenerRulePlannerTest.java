package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.model.ListenerRulePlanner.Plan;
import dev.tidewater.model.ListenerRulePlanner.RankedRule;
import dev.tidewater.model.ListenerRulePlanner.Route;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The listener-wide priority plan, as data: routes in, priorities or conflicts out. */
class ListenerRulePlannerTest {

  private static final String L = "arn:listener/1";

  /** A route "ns/name" created at second {@code t}, with explicit and previous priorities. */
  private static Route route(
      String id, int t, String listener, Integer[] explicit, Integer... previous) {
    String[] nsName = id.split("/");
    return new Route(
        nsName[0],
        nsName[1],
        "uid-" + nsName[1],
        String.format("2026-01-01T00:00:%02dZ", t),
        listener,
        "lb",
        Arrays.asList(explicit),
        Arrays.asList(previous));
  }

  private static Integer[] p(Integer... priorities) {
    return priorities;
  }

  // p(null) would pass a null array
  private static Integer[] unset() {
    return new Integer[] {null};
  }

  /** One case: routes, and per route either its priorities or "conflict:<other>:<priority>". */
  record Case(
      String what,
      List<Route> routes,
      Map<String, Map<Integer, String>> foreign,
      Map<String, String> expected) {
    Case(String what, List<Route> routes, Map<String, String> expected) {
      this(what, routes, Map.of(), expected);
    }

    @Override
    public String toString() {
      return what;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "distinct explicit priorities are kept",
            List.of(route("a/one", 1, L, p(10, 20)), route("b/two", 2, L, p(30))),
            Map.of("a/one", "[10, 20]", "b/two", "[30]")),
        new Case(
            "the later route of a clash is in conflict, naming the earlier and the priority",
            List.of(
                route("b/late", 5, L, p(10)),
                route("a/early", 1, L, p(10, 11)),
                route("c/other", 3, L, p(12))),
            Map.of(
                "a/early", "[10, 11]",
                "b/late", "conflict:a/early:10:0",
                "c/other", "[12]")),
        new Case(
            "same creation time: the smaller uid wins",
            List.of(
                new Route(
                    "n", "y", "uid-2", "2026-01-01T00:00:00Z", L, "lb", List.of(7), List.of()),
                new Route(
                    "n", "x", "uid-1", "2026-01-01T00:00:00Z", L, "lb", List.of(7), List.of())),
            Map.of("n/x", "[7]", "n/y", "conflict:n/x:7:0")),
        new Case(
            "other listeners do not conflict",
            List.of(route("a/one", 1, L, p(10)), route("b/two", 2, "arn:listener/2", p(10))),
            Map.of("a/one", "[10]", "b/two", "[10]")),
        new Case(
            "without a priority: the lowest free after the rule before it",
            List.of(route("a/one", 1, L, p(10, null, null)), route("b/two", 2, L, p(11))),
            Map.of("a/one", "[10, 12, 13]", "b/two", "[11]")),
        new Case(
            "a first rule without a priority starts at 1",
            List.of(route("a/one", 1, L, p(null, 5)), route("b/two", 2, L, p(1))),
            Map.of("a/one", "[2, 5]", "b/two", "[1]")),
        new Case(
            "an assigned priority is kept from status, even below its neighbours",
            List.of(route("a/one", 1, L, p(10, null), 10, 4)),
            Map.of("a/one", "[10, 4]")),
        new Case(
            "a kept priority is not taken by an older route's new rule",
            List.of(route("a/old", 1, L, p(10, null)), route("b/new", 2, L, unset(), 11)),
            Map.of("a/old", "[10, 12]", "b/new", "[11]")),
        new Case(
            "an explicit priority takes a previously assigned one, which moves",
            List.of(route("a/old", 1, L, unset(), 3), route("b/new", 2, L, p(3))),
            Map.of("a/old", "[1]", "b/new", "[3]")),
        new Case(
            "a conflicted route assigns nothing",
            List.of(route("a/one", 1, L, p(1)), route("b/two", 2, L, p(1, null))),
            Map.of("a/one", "[1]", "b/two", "conflict:a/one:1:0")),
        new Case(
            "a priority a foreign rule holds is taken, even for the oldest route",
            List.of(route("a/one", 1, L, p(5, 1)), route("b/two", 2, L, p(7))),
            Map.of(L, Map.of(1, "arn:rule/console")),
            Map.of("a/one", "conflict:arn:rule/console:1:1", "b/two", "[7]")),
        new Case(
            "a newer route does not win a priority a foreign rule holds from an older route",
            List.of(route("a/one", 1, L, p(1)), route("b/two", 2, L, p(1))),
            Map.of(L, Map.of(1, "arn:rule/console")),
            Map.of(
                "a/one", "conflict:arn:rule/console:1:0",
                "b/two", "conflict:arn:rule/console:1:0")),
        new Case(
            "assigned priorities skip foreign ones, also one kept in status",
            List.of(route("a/one", 1, L, p(null, null), 2, 3)),
            Map.of(L, Map.of(1, "arn:rule/x", 3, "arn:rule/y")),
            Map.of("a/one", "[2, 4]")),
        new Case(
            "foreign rules of another listener do not matter",
            List.of(route("a/one", 1, L, p(1))),
            Map.of("arn:listener/2", Map.of(1, "arn:rule/x")),
            Map.of("a/one", "[1]")),
        new Case(
            "two routes swapping explicit priorities are both planned",
            List.of(route("a/one", 1, L, p(2), 1), route("b/two", 2, L, p(1), 2)),
            Map.of("a/one", "[2]", "b/two", "[1]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(Case c) {
    Map<String, Plan> plans = new ListenerRulePlanner().plan(c.routes(), c.foreign());
    c.expected()
        .forEach(
            (id, want) -> {
              Plan plan = plans.get(id);
              String got =
                  plan.conflict()
                      .map(
                          x ->
                              "conflict:"
                                  + (x.foreignRuleArn() != null
                                      ? x.foreignRuleArn()
                                      : x.otherNamespace() + "/" + x.otherName())
                                  + ":"
                                  + x.priority()
                                  + ":"
                                  + x.ruleIndex())
                      .orElse(plan.priorities().toString());
              assertThat(got).as(id).isEqualTo(want);
            });
  }

  @Test
  void conflictMessageNamesTheRuleTheOtherRouteAndThePriority() {
    Plan plan =
        new ListenerRulePlanner()
            .planOf(
                List.of(route("a/early", 1, L, p(10)), route("b/late", 2, L, p(5, 10))),
                "b",
                "late");
    assertThat(plan.conflict().orElseThrow().message())
        .isEqualTo(
            "spec.rules[1].priority 10 is already used on this listener by LoadBalancerRoute"
                + " a/early, which is older; choose another priority");
  }

  @Test
  void foreignConflictMessageNamesTheForeignRule() {
    Plan plan =
        new ListenerRulePlanner()
            .plan(
                List.of(route("a/web", 1, L, p(10))),
                Map.of(L, Map.of(10, "arn:aws:elasticloadbalancing:r:1:listener-rule/app/x/1/2/3")))
            .get("a/web");
    assertThat(plan.conflict().orElseThrow().message())
        .startsWith(
            "spec.rules[0].priority 10 is already used on this listener by rule"
                + " arn:aws:elasticloadbalancing:r:1:listener-rule/app/x/1/2/3, which Tidewater"
                + " does not manage");
  }

  @Test
  void plansAreStableAcrossReconciles() {
    List<Route> first = List.of(route("a/one", 1, L, p(null, null)), route("b/two", 2, L, unset()));
    Map<String, Plan> once = new ListenerRulePlanner().plan(first);
    // the next reconcile reads the assigned priorities back from status, in any order
    List<Route> again = new ArrayList<>();
    again.add(
        route("b/two", 2, L, unset(), once.get("b/two").priorities().toArray(Integer[]::new)));
    again.add(
        route(
            "a/one", 1, L, p(null, null), once.get("a/one").priorities().toArray(Integer[]::new)));
    Map<String, Plan> twice = new ListenerRulePlanner().plan(again);
    assertThat(twice.get("a/one").priorities()).isEqualTo(once.get("a/one").priorities());
    assertThat(twice.get("b/two").priorities()).isEqualTo(once.get("b/two").priorities());
    assertThat(once.get("a/one").priorities()).containsExactly(1, 2);
    assertThat(once.get("b/two").priorities()).containsExactly(3);
  }

  /**
   * A route in conflict writes nothing, so the rules it had stay where they are: their priorities
   * are given to no route that merely needs one (only an explicit claim takes one).
   */
  @Test
  void theRulesOfARouteInConflictKeepTheirPrioritiesFromAssignment() {
    // b/two asks for 5, which the older a/one holds; its second rule sits at 1 from before
    List<Route> routes =
        List.of(
            route("a/one", 1, L, p(5)),
            route("b/two", 2, L, p(5, null), null, 1),
            route("c/three", 3, L, unset()));
    Map<String, Plan> plans = new ListenerRulePlanner().plan(routes);
    assertThat(plans.get("b/two").conflict()).isPresent();
    assertThat(plans.get("c/three").priorities()).containsExactly(2);
  }

  @Test
  void groupOrdersAreRanksFromMinus1000() {
    Map<RankedRule, Integer> orders =
        ListenerRulePlanner.groupOrders(
            List.of(
                new RankedRule("b", "x", 0, 20),
                new RankedRule("a", "y", 0, 5),
                new RankedRule("a", "y", 1, 30000)));
    assertThat(orders)
        .containsEntry(new RankedRule("a", "y", 0, 5), -1000)
        .containsEntry(new RankedRule("b", "x", 0, 20), -999)
        .containsEntry(new RankedRule("a", "y", 1, 30000), -998);
  }

  /** A route "ns/name" created at second {@code t} with one rule matching hosts and paths. */
  private static Route matching(
      String id, int t, Integer priority, List<String> hosts, List<String> paths) {
    String[] nsName = id.split("/");
    return new Route(
        nsName[0],
        nsName[1],
        "uid-" + nsName[1],
        String.format("2026-01-01T00:00:%02dZ", t),
        L,
        "lb",
        Arrays.asList(priority),
        List.of(),
        List.of(new ListenerRulePlanner.RuleMatch(hosts, paths)));
  }

  /**
   * Issue 19: a route of another namespace that matches a host and path an older route already
   * routes on the listener is refused (RouteConflict naming the owner), even at a lower priority
   * number; it claims no priority, and recovers when the older route goes. The same namespace
   * orders its own rules by priority as before.
   */
  @Test
  void anotherNamespacesHostOnTheListenerIsRefusedNamingItsRoute() {
    Route shop = matching("shop/web", 1, 10, List.of("shop.example.com"), List.of());
    Route thief = matching("evil/grab", 2, 1, List.of("shop.example.com"), List.of("/*"));
    Route own = matching("shop/api", 3, 5, List.of("shop.example.com"), List.of("/api/*"));
    Route elsewhere = matching("blog/web", 4, 1, List.of("blog.example.com"), List.of());
    Map<String, Plan> plans = new ListenerRulePlanner().plan(List.of(shop, thief, own, elsewhere));

    var conflict = plans.get("evil/grab").conflict().orElseThrow();
    assertThat(conflict.reason()).isEqualTo("RouteConflict");
    assertThat(conflict.message())
        .contains("spec.rules[0]")
        .contains("LoadBalancerRoute shop/web")
        .contains("shop.example.com");
    assertThat(plans.get("shop/web").priorities()).containsExactly(10);
    assertThat(plans.get("shop/api").priorities()).containsExactly(5);
    assertThat(plans.get("blog/web").priorities())
        .as("priority 1 is free: the refused route claimed none")
        .containsExactly(1);

    // no host on either side matches any host: a path in common is taking traffic too
    Route anyHost = matching("evil/paths", 5, 2, List.of(), List.of("/api/*"));
    assertThat(
            new ListenerRulePlanner()
                .plan(List.of(own, anyHost))
                .get("evil/paths")
                .conflict()
                .map(ListenerRulePlanner.Conflict::reason))
        .contains("RouteConflict");

    // the older route gone, the other recovers
    assertThat(
            new ListenerRulePlanner().plan(List.of(thief, elsewhere)).get("evil/grab").conflict())
        .isEmpty();
  }
}
