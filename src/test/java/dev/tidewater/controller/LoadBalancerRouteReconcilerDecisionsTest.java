package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteSpec;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RuleStatus;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.BackendKind;
import dev.tidewater.backend.Backends;
import dev.tidewater.backend.RouteBackend;
import dev.tidewater.backend.fake.FakeContext;
import dev.tidewater.backend.fake.FakeRouteBackend;
import dev.tidewater.model.ListenerRulePlanner;
import dev.tidewater.model.RouteRealisation;
import dev.tidewater.model.TenancyCeiling;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LoadBalancerRouteReconciler's decisions as data, against fake route backends for both places:
 * priorities are planned before any write (a conflict writes nothing), the listener is read only
 * where ELBv2 objects are written, a route realised on one backend is left by the other, and the
 * backend's waits and failures set the requeue.
 */
class LoadBalancerRouteReconcilerDecisionsTest {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String SPEC =
      """
      loadBalancer: {name: public, type: application}
      listener: {port: 443, protocol: HTTPS}
      target: {serviceRef: {name: web}, containerPort: 8080}
      rules:
        - priority: 10
          conditions: {hostHeaders: [api.example.com]}
        - priority: 20
          conditions: {pathPatterns: ["/api/*"]}
      """;

  /**
   * One reconcile.
   *
   * @param inputs changes to the defaults (a route on a kubernetes Cluster in ingress mode)
   * @param condition the True condition's type, {@code reason} its reason
   * @param applied the priorities of each apply, across both backends
   * @param reads how often a listener was read
   * @param leaves how often a backend was told the route runs elsewhere
   * @param requeue the requeue asked for, null for none
   */
  record Row(
      String name,
      Consumer<Inputs> inputs,
      String condition,
      String reason,
      List<List<Integer>> applied,
      int reads,
      int leaves,
      Duration requeue) {

    @Override
    public String toString() {
      return name;
    }
  }

  static final class Inputs {
    LoadBalancerRoute route = route("web", "2026-01-02T00:00:00Z");
    Cluster cluster = cluster();
    List<LoadBalancerRoute> peers = new ArrayList<>();
    FakeRouteBackend kubernetes = new FakeRouteBackend();
    FakeRouteBackend ecs = new FakeRouteBackend();
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row(
            "an ingress-mode route is applied with its priorities, no listener read",
            in -> {},
            "Ready",
            "RulesInPlace",
            List.of(List.of(10, 20)),
            0,
            1,
            null),
        new Row(
            "an ecs route reads its listener first and is left by kubernetes",
            in -> in.cluster.getSpec().backend = "ecs",
            "Ready",
            "RulesInPlace",
            List.of(List.of(10, 20)),
            1,
            1,
            null),
        new Row(
            "the later of two routes with one priority writes nothing",
            in -> in.peers.add(route("older", "2026-01-01T00:00:00Z")),
            "Degraded",
            ListenerRulePlanner.PRIORITY_CONFLICT,
            List.of(),
            0,
            0,
            null),
        new Row(
            "a rule outside Tidewater at the priority writes nothing and is looked at again",
            in -> {
              in.cluster.getSpec().backend = "ecs";
              in.ecs.withForeignRules(Map.of(10, "arn:aws:elasticloadbalancing:rule/theirs"));
            },
            "Degraded",
            ListenerRulePlanner.PRIORITY_CONFLICT,
            List.of(),
            1,
            0,
            LoadBalancerRouteReconciler.FOREIGN_RECHECK),
        new Row(
            "a ready ecs route looks again when the routes on its listener do",
            in -> {
              in.cluster.getSpec().backend = "ecs";
              in.ecs.onApply(
                  r ->
                      RouteBackend.Result.ready("RulesInPlace", "in place", List.of())
                          .recheckingAfter(Duration.ofSeconds(42)));
            },
            "Ready",
            "RulesInPlace",
            List.of(List.of(10, 20)),
            1,
            1,
            Duration.ofSeconds(42)),
        new Row(
            "a route that must write after a shared read reads its own and plans again",
            in -> {
              in.cluster.getSpec().backend = "ecs";
              in.ecs.withSharedReads().onApply(FakeRouteBackend::writesOnOwnReadOnly);
            },
            "Ready",
            "RulesInPlace",
            List.of(List.of(10, 20)),
            2,
            1,
            null),
        new Row(
            "a rule outside Tidewater only a read of its own shows is a conflict, nothing written",
            in -> {
              in.cluster.getSpec().backend = "ecs";
              in.ecs
                  .withSharedReads()
                  .withForeignRulesOnOwnRead(
                      Map.of(20, "arn:aws:elasticloadbalancing:rule/made-since"))
                  .onApply(FakeRouteBackend::writesOnOwnReadOnly);
            },
            "Degraded",
            ListenerRulePlanner.PRIORITY_CONFLICT,
            List.of(),
            2,
            0,
            LoadBalancerRouteReconciler.FOREIGN_RECHECK),
        new Row(
            "a route whose Cluster does not exist writes nothing",
            in -> {
              in.route.getSpec().clusterRef = new ObjectRef();
              in.route.getSpec().clusterRef.name = "gone";
            },
            "Degraded",
            "ClusterNotFound",
            List.of(),
            0,
            0,
            null),
        new Row(
            "a wait for another route's rule to move is rechecked",
            in ->
                in.kubernetes.onApply(
                    r ->
                        RouteBackend.Result.progressing(
                            LoadBalancerRouteReconciler.MOVING_PRIORITIES, "priority 10 is held")),
            "Progressing",
            LoadBalancerRouteReconciler.MOVING_PRIORITIES,
            List.of(List.of(10, 20)),
            0,
            1,
            LoadBalancerRouteReconciler.MOVING_FIRST_RECHECK),
        new Row(
            "a failure of the backend is Degraded and leaves the other side alone",
            in ->
                in.kubernetes.onApply(
                    r -> {
                      throw BackendFailure.degraded("CrdNotInstalled", "no TargetGroupBinding");
                    }),
            "Degraded",
            "CrdNotInstalled",
            List.of(List.of(10, 20)),
            0,
            0,
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    Inputs in = new Inputs();
    row.inputs().accept(in);

    UpdateControl<LoadBalancerRoute> update = reconcile(in);

    LoadBalancerRouteStatus status = update.getResource().orElseThrow().getStatus();
    assertThat(
            status.getConditions().stream()
                .filter(c -> "True".equals(c.getStatus()) && c.getType().equals(row.condition()))
                .map(c -> c.getReason()))
        .as("conditions %s", status.getConditions())
        .containsExactly(row.reason());
    List<List<Integer>> applied = new ArrayList<>(in.kubernetes.applied());
    applied.addAll(in.ecs.applied());
    assertThat(applied).as("priorities applied").isEqualTo(row.applied());
    assertThat(in.kubernetes.observed() + in.ecs.observed())
        .as("listener reads")
        .isEqualTo(row.reads());
    // a shared read first; a second look only to decide a write on a read of the route's own
    List<RouteBackend.ListenerRead> kinds = new ArrayList<>(in.kubernetes.reads());
    kinds.addAll(in.ecs.reads());
    assertThat(kinds)
        .as("reads asked for")
        .isEqualTo(
            List.of(RouteBackend.ListenerRead.SHARED, RouteBackend.ListenerRead.OWN)
                .subList(0, row.reads()));
    assertThat(in.kubernetes.left() + in.ecs.left()).as("left").isEqualTo(row.leaves());
    assertThat(update.getScheduleDelay())
        .as("requeue")
        .isEqualTo(
            row.requeue() == null ? Optional.empty() : Optional.of(row.requeue().toMillis()));
  }

  /**
   * A route with rules on an ecs listener that an older route of another namespace now overlaps
   * (same host) loses its rules once: they would take that route's traffic.
   */
  @Test
  void withdrawsTheRulesOfARouteThatCameToOverlapAnOlderOne() {
    Inputs in = new Inputs();
    in.cluster.getSpec().backend = "ecs";
    LoadBalancerRoute older = route("older", "2026-01-01T00:00:00Z");
    older.getMetadata().setNamespace("payments");
    older.getSpec().rules.forEach(r -> r.priority += 100);
    onOneListener(in, older);

    LoadBalancerRouteStatus status = reconcile(in).getResource().orElseThrow().getStatus();

    assertThat(in.ecs.withdrawn())
        .containsExactly(
            "arn:aws:elasticloadbalancing:rule/mine-10",
            "arn:aws:elasticloadbalancing:rule/mine-20");
    assertThat(status.rules).as("status lets go of the withdrawn rules").isNull();
    assertThat(in.ecs.applied()).as("a conflict writes nothing").isEmpty();
    assertThat(
            status.getConditions().stream()
                .filter(c -> "True".equals(c.getStatus()) && c.getType().equals("Degraded"))
                .map(c -> c.getReason()))
        .containsExactly(ListenerRulePlanner.ROUTE_CONFLICT);
  }

  /**
   * A route that lost a priority to an older route while its own rule holds that priority (it wrote
   * the rule before it saw the older route, or the older route was edited to it) deletes that rule
   * and only that one: else the older route would wait for it to move for ever.
   */
  @Test
  void aPriorityConflictLoserLetsGoOfTheContestedRuleOnly() {
    Inputs in = new Inputs();
    in.cluster.getSpec().backend = "ecs";
    LoadBalancerRoute older = route("older", "2026-01-01T00:00:00Z");
    older.getSpec().rules.get(1).priority = 120;
    onOneListener(in, older);

    LoadBalancerRouteStatus status = reconcile(in).getResource().orElseThrow().getStatus();

    assertThat(in.ecs.withdrawn()).containsExactly("arn:aws:elasticloadbalancing:rule/mine-10");
    assertThat(status.rules.stream().map(r -> r.ruleArn))
        .containsExactly(null, "arn:aws:elasticloadbalancing:rule/mine-20");
    assertThat(status.rules.stream().map(r -> r.priority)).containsExactly(null, 20);
    assertThat(in.ecs.applied()).as("a conflict writes nothing").isEmpty();
    assertThat(
            status.getConditions().stream()
                .filter(c -> "True".equals(c.getStatus()) && c.getType().equals("Degraded"))
                .map(c -> c.getReason()))
        .containsExactly(ListenerRulePlanner.PRIORITY_CONFLICT);
  }

  /**
   * {@code older} on the ecs listener of {@code in}'s route, whose status has rules at 10 and 20
   * ({@code rule/mine-10}, {@code rule/mine-20}).
   */
  private static void onOneListener(Inputs in, LoadBalancerRoute older) {
    older.setStatus(new LoadBalancerRouteStatus());
    older.getStatus().listenerArn = FakeRouteBackend.LISTENER_ARN;
    older.getStatus().listenerSource = RouteRealisation.listenerSource(older.getSpec());
    in.peers.add(older);
    in.route.setStatus(new LoadBalancerRouteStatus());
    in.route.getStatus().rules = new ArrayList<>();
    for (int p : List.of(10, 20)) {
      RuleStatus rule = new RuleStatus();
      rule.priority = p;
      rule.ruleArn = "arn:aws:elasticloadbalancing:rule/mine-" + p;
      in.route.getStatus().rules.add(rule);
    }
  }

  private static UpdateControl<LoadBalancerRoute> reconcile(Inputs in) {
    LoadBalancerRouteReconciler reconciler =
        new LoadBalancerRouteReconciler(
            new ReconcileMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
            new BackendFactory(
                Map.of(
                    BackendKind.KUBERNETES,
                    new Backends(null, null, null, null, in.kubernetes, null, null),
                    BackendKind.ECS,
                    new Backends(null, null, null, null, in.ecs, null, null))),
            new TenancyPolicies() {
              @Override
              public TenancyCeiling ceilingFor(String namespace) {
                return TenancyCeiling.builtIn(namespace);
              }
            },
            new SharedInformers(null)) {
          @Override
          EventRecorder events(Context<LoadBalancerRoute> context) {
            return Recording.into(new ArrayList<>());
          }

          @Override
          Optional<Cluster> cachedCluster(ResourceID id) {
            return id.getName().equals("default") ? Optional.of(in.cluster) : Optional.empty();
          }
        };
    List<LoadBalancerRoute> primaries = new ArrayList<>(in.peers);
    primaries.add(in.route);
    List<HasMetadata> secondaries =
        in.route.getSpec().clusterRef == null ? List.of(in.cluster) : List.of();
    return reconciler.converge(in.route, FakeContext.of(in.route, secondaries, primaries));
  }

  private static LoadBalancerRoute route(String name, String created) {
    LoadBalancerRoute r = new LoadBalancerRoute();
    r.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName(name)
            .withUid("uid-" + name)
            .withGeneration(1L)
            .withCreationTimestamp(created)
            .build());
    try {
      r.setSpec(YAML.readValue(SPEC, LoadBalancerRouteSpec.class));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return r;
  }

  private static Cluster cluster() {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("default").build());
    c.setSpec(new ClusterSpec());
    return c;
  }
}
