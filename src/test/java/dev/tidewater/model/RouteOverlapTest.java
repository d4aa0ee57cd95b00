package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: a route of another namespace is refused ({@code RouteConflict}, naming the older route)
 * when some request could match a rule of each — overlaps computed as ALB matches, not compared as
 * written — and only then: conditions that no request can meet together keep the routes apart.
 */
class RouteOverlapTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final ClusterSpec ECS = JSON.unmarshal("backend: ecs", ClusterSpec.class);
  private static final ClusterSpec INGRESS = JSON.unmarshal("{}", ClusterSpec.class);
  private static final String LISTENER =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared/50dc6c495c0c9188/f2f7dc8efc522ab2";
  private static final String BY_ARN =
      "loadBalancer: {name: shared}\n  listener: {arn: " + LISTENER + "}";
  private static final String BY_PORT = "loadBalancer: {name: shared}\n  listener: {port: 443}";

  /** A route "ns/name" created at second {@code t}, on {@code where}, with one rule. */
  private static LoadBalancerRoute route(String id, int t, String where, String conditions) {
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
          %s
          target: {serviceRef: {name: web}, containerPort: 8080}
          rules:
          - priority: %d
            conditions: %s
        """
            .formatted(nsName[0], nsName[1], nsName[1], t, where, 100 - t, conditions),
        LoadBalancerRoute.class);
  }

  /** The conflict of the newer route {@code late} with the older {@code early}, if any. */
  private static Optional<ListenerRulePlanner.Conflict> conflict(
      LoadBalancerRoute early, LoadBalancerRoute late, ClusterSpec cluster) {
    var planned =
        List.of(
            ListenerRulePlanner.route(early, cluster), ListenerRulePlanner.route(late, cluster));
    return new ListenerRulePlanner()
        .planOf(planned, late.getMetadata().getNamespace(), late.getMetadata().getName())
        .conflict();
  }

  private static Optional<ListenerRulePlanner.Conflict> conflict(String early, String late) {
    return conflict(route("shop/web", 1, BY_ARN, early), route("evil/grab", 2, BY_ARN, late), ECS);
  }

  private static void assertRouteConflict(Optional<ListenerRulePlanner.Conflict> c) {
    assertThat(c).isPresent();
    assertThat(c.get().reason()).isEqualTo(ListenerRulePlanner.ROUTE_CONFLICT);
    assertThat(c.get().message())
        .contains("spec.rules[0]")
        .contains("LoadBalancerRoute shop/web")
        .contains("of namespace shop");
  }

  @Test
  void aHostDifferingOnlyInCaseIsTheSameHost() {
    var c = conflict("{hostHeaders: [shop.example.com]}", "{hostHeaders: [SHOP.Example.COM]}");
    assertRouteConflict(c);
    assertThat(c.get().message()).contains("shop.example.com");
  }

  @Test
  void aWildcardHostTakesTheHostsItMatches() {
    assertRouteConflict(
        conflict("{hostHeaders: [shop.example.com]}", "{hostHeaders: [\"*.example.com\"]}"));
    assertRouteConflict(
        conflict("{hostHeaders: [shop.example.com]}", "{hostHeaders: [\"sho?.example.*\"]}"));
    // and a wildcard owner keeps the hosts it matches
    assertRouteConflict(
        conflict("{hostHeaders: [\"*.example.com\"]}", "{hostHeaders: [api.example.com]}"));
    assertThat(conflict("{hostHeaders: [\"*.example.com\"]}", "{hostHeaders: [example.com]}"))
        .as("*.example.com needs a dot before example.com")
        .isEmpty();
  }

  @Test
  void aBroaderPathTakesTheNarrowerOne() {
    assertRouteConflict(
        conflict(
            "{hostHeaders: [shop.example.com], pathPatterns: [\"/api/*\"]}",
            "{hostHeaders: [shop.example.com], pathPatterns: [\"/*\"]}"));
    assertRouteConflict(
        conflict("{pathPatterns: [\"/api/v1/orders\"]}", "{pathPatterns: [\"/api/v?/*\"]}"));
    assertThat(
            conflict(
                "{hostHeaders: [shop.example.com], pathPatterns: [\"/api/*\"]}",
                "{hostHeaders: [shop.example.com], pathPatterns: [\"/API/*\"]}"))
        .as("paths are case-sensitive on ALB")
        .isEmpty();
  }

  @Test
  void aRuleWithoutHostConditionMatchesEveryHost() {
    assertRouteConflict(
        conflict(
            "{hostHeaders: [shop.example.com], pathPatterns: [\"/api/*\"]}",
            "{pathPatterns: [\"/a*\"]}"));
  }

  @Test
  void methodsOrSourceAddressesNoRequestHasTogetherKeepRoutesApart() {
    String host = "hostHeaders: [shop.example.com]";
    assertThat(
            conflict(
                "{" + host + ", httpRequestMethods: [GET, HEAD]}",
                "{" + host + ", httpRequestMethods: [POST]}"))
        .as("a request has one method")
        .isEmpty();
    assertRouteConflict(
        conflict(
            "{" + host + ", httpRequestMethods: [GET, HEAD]}",
            "{" + host + ", httpRequestMethods: [POST, HEAD]}"));
    assertRouteConflict(conflict("{" + host + "}", "{" + host + ", httpRequestMethods: [POST]}"));
    assertThat(
            conflict(
                "{" + host + ", sourceIps: [10.1.0.0/16]}",
                "{" + host + ", sourceIps: [10.2.0.0/16, \"2001:db8::/32\"]}"))
        .as("a request has one source address")
        .isEmpty();
    assertRouteConflict(
        conflict(
            "{" + host + ", sourceIps: [10.1.0.0/16]}", "{" + host + ", sourceIps: [10.0.0.0/8]}"));
  }

  @Test
  void headerConditionsNeverProveRoutesApart() {
    String host = "hostHeaders: [shop.example.com]";
    assertRouteConflict(
        conflict(
            "{" + host + ", httpHeaders: [{name: X-Team, values: [shop]}]}",
            "{" + host + ", httpHeaders: [{name: X-Team, values: [evil]}]}"));
  }

  /** One listener named by its ARN and by load balancer and port is one listener, once resolved. */
  @Test
  void oneListenerNamedTwoWaysIsOneListenerOnceResolved() {
    String host = "{hostHeaders: [shop.example.com]}";
    LoadBalancerRoute owner = route("shop/web", 1, BY_ARN, host);
    LoadBalancerRoute byPort = route("evil/grab", 2, BY_PORT, host);
    byPort.setStatus(
        JSON.unmarshal(
            "listenerArn: " + LISTENER + "\nlistenerSource: load balancer shared port 443",
            dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus.class));
    assertRouteConflict(conflict(owner, byPort, ECS));

    // the other way round: the owner named by port, the newer route by ARN
    LoadBalancerRoute ownerByPort = route("shop/web", 1, BY_PORT, host);
    ownerByPort.setStatus(byPort.getStatus());
    assertRouteConflict(conflict(ownerByPort, route("evil/grab", 2, BY_ARN, host), ECS));

    // a status resolved from what the spec named before is not trusted
    LoadBalancerRoute moved = route("evil/grab", 2, BY_PORT.replace("443", "8443"), host);
    moved.setStatus(byPort.getStatus());
    assertThat(conflict(owner, moved, ECS)).isEmpty();
  }

  /**
   * In ingress mode {@code /api/*} becomes the prefix {@code /api/}, which the AWS Load Balancer
   * Controller also matches on {@code /api}: the route takes {@code /api} too.
   */
  @Test
  void anIngressPrefixAlsoTakesThePathWithoutItsSlash() {
    String lb = "loadBalancer: {name: shared}\n  listener: {port: 80}";
    assertRouteConflict(
        conflict(
            route("shop/web", 1, lb, "{pathPatterns: [/api]}"),
            route("evil/grab", 2, lb, "{pathPatterns: [\"/api/*\"]}"),
            INGRESS));
    assertThat(
            conflict(
                route("shop/web", 1, BY_ARN, "{pathPatterns: [/api]}"),
                route("evil/grab", 2, BY_ARN, "{pathPatterns: [\"/api/*\"]}"),
                ECS))
        .as("ALB's own /api/* does not match /api")
        .isEmpty();
  }
}
