package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RuleStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a route is realised per backend and routing mode, as data: which routes share a listener (and
 * so can be in priority conflict) and which need a finalizer.
 */
class RouteRealisationTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final ListenerRulePlanner PLANNER = new ListenerRulePlanner();

  private static ClusterSpec cluster(String yaml) {
    return JSON.unmarshal(yaml, ClusterSpec.class);
  }

  private static final ClusterSpec INGRESS = cluster("{}");
  private static final ClusterSpec GATEWAY =
      cluster("routing: {mode: gateway, gatewayRef: {name: shared, namespace: infra}}");
  private static final ClusterSpec AWS = cluster("routing: {mode: aws}");
  private static final ClusterSpec ECS = cluster("backend: ecs");

  /** A route "ns/name" created at second {@code t}, with one rule of {@code priority}. */
  private static LoadBalancerRoute route(
      String id, int t, String loadBalancer, String listener, int priority) {
    String[] nsName = id.split("/");
    return JSON.unmarshal(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata:
          namespace: %s
          name: %s
          uid: uid-%s
          creationTimestamp: "2026-01-01T00:00:%02dZ"
        spec:
          loadBalancer: %s
          listener: %s
          target: {serviceRef: {name: web}, containerPort: 8080}
          rules:
          - priority: %d
            conditions: {pathPatterns: ["/%s/*"]}
        """
            .formatted(
                nsName[0], nsName[1], nsName[1], t, loadBalancer, listener, priority, nsName[1]),
        LoadBalancerRoute.class);
  }

  /** Per route "ns/name", its priorities or "conflict with <ns/name>". */
  private static Map<String, String> plan(Map<LoadBalancerRoute, ClusterSpec> routes) {
    var planned =
        routes.entrySet().stream()
            .map(e -> ListenerRulePlanner.route(e.getKey(), e.getValue()))
            .toList();
    var plans = PLANNER.plan(planned);
    var out = new java.util.TreeMap<String, String>();
    plans.forEach(
        (id, p) ->
            out.put(
                id,
                p.conflict()
                    .map(c -> "conflict with " + c.otherNamespace() + "/" + c.otherName())
                    .orElse(p.priorities().toString())));
    return out;
  }

  @Test
  void theBackendModeAndLoadBalancerTypeDecideTheRealisation() {
    var alb = route("a/web", 1, "{name: public}", "{port: 443}", 1).getSpec();
    var nlb = route("a/tcp", 1, "{name: public, type: network}", "{port: 9000}", 1).getSpec();
    nlb.rules = null;
    assertThat(RouteRealisation.of(null, alb)).isEqualTo(RouteRealisation.INGRESS);
    assertThat(RouteRealisation.of(INGRESS, alb)).isEqualTo(RouteRealisation.INGRESS);
    assertThat(RouteRealisation.of(GATEWAY, alb)).isEqualTo(RouteRealisation.GATEWAY);
    assertThat(RouteRealisation.of(AWS, alb)).isEqualTo(RouteRealisation.ELBV2);
    assertThat(RouteRealisation.of(ECS, alb)).isEqualTo(RouteRealisation.ELBV2);
    assertThat(RouteRealisation.of(INGRESS, nlb)).isEqualTo(RouteRealisation.NLB_SERVICE);
    assertThat(RouteRealisation.of(GATEWAY, nlb)).isEqualTo(RouteRealisation.NLB_SERVICE);
    assertThat(RouteRealisation.of(AWS, nlb)).isEqualTo(RouteRealisation.ELBV2);
    assertThat(RouteRealisation.of(ECS, nlb)).isEqualTo(RouteRealisation.ELBV2);
  }

  // ------------------------------------------------------------------ finalizer

  @Test
  void onlyRoutesWithElbv2ObjectsNeedAFinalizer() {
    LoadBalancerRouteStatus none = new LoadBalancerRouteStatus();
    RuleStatus ingressRule = new RuleStatus();
    ingressRule.priority = 1;
    ingressRule.childName = "web-0";
    none.rules = List.of(ingressRule);

    // everything of these is a Kubernetes object with an owner reference: garbage collection
    for (RouteRealisation r :
        List.of(RouteRealisation.INGRESS, RouteRealisation.GATEWAY, RouteRealisation.NLB_SERVICE)) {
      assertThat(r.needsFinalizer(null)).as(r.name()).isFalse();
      assertThat(r.needsFinalizer(none)).as(r.name()).isFalse();
    }
    // Tidewater writes target groups and rules through ELBv2: only it can delete them
    assertThat(RouteRealisation.ELBV2.needsFinalizer(null)).isTrue();

    // a route that left the aws mode is held until the rules and target group it made are gone
    LoadBalancerRouteStatus leftAws = new LoadBalancerRouteStatus();
    leftAws.targetGroupArn = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/x/1";
    assertThat(RouteRealisation.INGRESS.needsFinalizer(leftAws)).isTrue();
    LoadBalancerRouteStatus ruleOnly = new LoadBalancerRouteStatus();
    RuleStatus elbRule = new RuleStatus();
    elbRule.ruleArn = "arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/x/1/2/3";
    ruleOnly.rules = List.of(elbRule);
    assertThat(RouteRealisation.GATEWAY.needsFinalizer(ruleOnly)).isTrue();
  }

  // ------------------------------------------------------------------ which routes share a
  // listener

  @Test
  void aGatewayRouteAndAnIngressRouteNamingTheSameLoadBalancerDoNotConflict() {
    var ingress = route("shop/web", 1, "{name: public}", "{port: 443}", 10);
    var gateway = route("blog/web", 2, "{name: public}", "{port: 443}", 10);

    assertThat(plan(Map.of(ingress, INGRESS, gateway, GATEWAY)))
        .containsExactlyInAnyOrderEntriesOf(Map.of("shop/web", "[10]", "blog/web", "[10]"));
  }

  @Test
  void ingressRoutesOfOneIngressGroupAndListenerPortConflictAcrossNamespaces() {
    var early = route("shop/web", 1, "{name: Public}", "{port: 443}", 10);
    // the same group (the controller's group.name is the lower-cased name) and port (HTTPS: 443)
    var late = route("blog/web", 2, "{name: public}", "{certificateArn: arn:c}", 10);
    var otherPort = route("docs/web", 3, "{name: public}", "{port: 80}", 10);
    var otherGroup = route("wiki/web", 4, "{name: internal}", "{port: 443}", 10);

    assertThat(plan(Map.of(early, INGRESS, late, INGRESS, otherPort, INGRESS, otherGroup, INGRESS)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "shop/web", "[10]",
                "blog/web", "conflict with shop/web",
                "docs/web", "[10]",
                "wiki/web", "[10]"));
    // the ranks for group.order span every listener of the group
    assertThat(ListenerRulePlanner.route(early, INGRESS).group())
        .isEqualTo(ListenerRulePlanner.route(otherPort, INGRESS).group())
        .isNotEqualTo(ListenerRulePlanner.route(otherGroup, INGRESS).group());
  }

  @Test
  void awsModeAndEcsBackendRoutesOnOneListenerShareIt() {
    String listener = "{arn: 'arn:aws:elasticloadbalancing:us-east-1:1:listener/app/public/1/2'}";
    var onEcs = route("legacy/web", 1, "{name: public}", listener, 10);
    var onEks = route("shop/web", 2, "{name: public}", listener, 10);
    var ingress = route("blog/web", 3, "{name: public}", "{port: 443}", 10);

    assertThat(plan(Map.of(onEcs, ECS, onEks, AWS, ingress, INGRESS)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "legacy/web", "[10]",
                "shop/web", "conflict with legacy/web",
                "blog/web", "[10]"));
  }

  @Test
  void gatewayRoutesShareTheirGateway() {
    var early = route("shop/web", 1, "{name: a}", "{port: 80}", 10);
    var late = route("blog/web", 2, "{name: b}", "{port: 443}", 10);
    var elsewhere = route("docs/web", 3, "{name: a}", "{port: 80}", 10);
    ClusterSpec ownGateway = cluster("routing: {mode: gateway, gatewayRef: {name: docs}}");

    assertThat(plan(Map.of(early, GATEWAY, late, GATEWAY, elsewhere, ownGateway)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "shop/web", "[10]",
                "blog/web", "conflict with shop/web",
                "docs/web", "[10]"));
    assertThat(ListenerRulePlanner.route(elsewhere, ownGateway).listener())
        .as("a gatewayRef without namespace is in the route's namespace")
        .isEqualTo("gateway/docs/docs");
  }

  @Test
  void listenerKeysOfTheRealListener() {
    var byName = route("a/web", 1, "{name: public}", "{port: 443}", 1).getSpec();
    assertThat(RouteRealisation.ELBV2.listenerKey("a", "web", byName, AWS))
        .isEqualTo("elbv2/name/public:443");
    var byArn = route("a/web", 1, "{name: public}", "{arn: 'arn:l'}", 1).getSpec();
    assertThat(RouteRealisation.ELBV2.listenerKey("a", "web", byArn, AWS)).isEqualTo("elbv2/arn:l");
    var albArn =
        route(
                "a/web",
                1,
                "{arn: 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/Public/50dc6c'}",
                "{port: 80}",
                1)
            .getSpec();
    assertThat(RouteRealisation.INGRESS.listenerKey("a", "web", albArn, INGRESS))
        .as("ingress mode: the IngressGroup is the name in the ARN")
        .isEqualTo("ingress/public:80");
    assertThat(RouteRealisation.NLB_SERVICE.listenerKey("a", "tcp", albArn, INGRESS))
        .isEqualTo("service/a/tcp");
  }
}
