package dev.tidewater.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.tenancy.RoutingGrants;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicySpec;
import dev.tidewater.model.AwsNames;
import dev.tidewater.testing.AuditLog;
import dev.tidewater.testing.Command;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;

/**
 * LoadBalancerRoutes on the real control plane and moto, with the packaged operator: ingress,
 * gateway and aws routing modes, listener-wide priority conflicts, and zero writes on resyncs.
 */
class LoadBalancerRouteIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final List<String> ELB_WRITES =
      List.of(
          "CreateTargetGroup",
          "ModifyTargetGroup",
          "ModifyTargetGroupAttributes",
          "DeleteTargetGroup",
          "CreateRule",
          "ModifyRule",
          "SetRulePriorities",
          "DeleteRule",
          "AddTags");
  private static OperatorProcess operator;
  private final List<String> namespaces = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Crds.apply(admin);
    // Gateway API and TargetGroupBinding CRDs, from their Go modules (cached by the script); the
    // directory is its last line (on a cold cache it logs the download on stderr before it)
    String out = Command.ok(List.of("hack/external-crds.sh")).strip();
    Path dir = Path.of(out.substring(out.lastIndexOf('\n') + 1));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        Command.ok(ground.kubectlArgv("apply", "--server-side", "-f", f.toString()));
      }
    }
    operator = OperatorProcess.start(ground, Map.of(), List.of("-Dtidewater.resync-period=3s"));
  }

  @AfterAll
  static void stop() {
    if (operator != null) operator.close();
  }

  @AfterEach
  void cleanUp() {
    namespaces.forEach(ground::deleteNamespace);
  }

  private String namespace() {
    String ns = ground.createNamespace("lbr");
    namespaces.add(ns);
    return ns;
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  /** A TaskDefinition and a Service of one task, whose pod becomes Running and Ready. */
  private static void workload(String ns, String name) {
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: %s
        spec:
          requiresCompatibilities: [EC2]
          networkMode: awsvpc
          cpu: "256"
          memory: "512"
          containerDefinitions:
          - name: web
            image: nginx:1.27
            portMappings:
            - containerPort: 8080
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: %s
        spec:
          taskDefinitionRef: {name: %s}
          desiredCount: 1
        """
            .formatted(name, name, name),
        ns);
  }

  private static LoadBalancerRoute route(String ns, String name) {
    return admin.resources(LoadBalancerRoute.class).inNamespace(ns).withName(name).get();
  }

  private static final String FINALIZER = "loadbalancerroutes.ecs.tidewater.dev/finalizer";
  private static final String CLEANUP_LABEL = "tidewater.dev/cleanup";

  /** Held for cleanup outside Kubernetes: the finalizer and the label that selects the route. */
  private static boolean held(LoadBalancerRoute r) {
    return r.getMetadata().getFinalizers().contains(FINALIZER)
        && r.getMetadata().getLabels() != null
        && "true".equals(r.getMetadata().getLabels().get(CLEANUP_LABEL));
  }

  /** Neither the finalizer nor the label: garbage collection alone removes what it made. */
  private static void assertNotHeld(LoadBalancerRoute r) {
    assertThat(r.getMetadata().getFinalizers()).isEmpty();
    assertThat(r.getMetadata().getLabels() == null ? Map.of() : r.getMetadata().getLabels())
        .doesNotContainKey(CLEANUP_LABEL);
  }

  private static Condition condition(LoadBalancerRoute r, String type) {
    return r.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private static void awaitReady(String ns, String name) {
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              LoadBalancerRoute r = route(ns, name);
              Condition ready = condition(r, "Ready");
              assertThat(ready.getStatus())
                  .as(ready.getReason() + ": " + ready.getMessage())
                  .isEqualTo("True");
              assertThat(r.getStatus().getObservedGeneration())
                  .isEqualTo(r.getMetadata().getGeneration());
            });
  }

  private static double reconciles() {
    return operator.counter("tidewater_reconciles_total", "kind=\"LoadBalancerRoute\"");
  }

  /** Waits until every live route was reconciled at least twice more (two resyncs). */
  private static void awaitTwoResyncs(int routes) {
    double before = reconciles();
    await().atMost(Duration.ofSeconds(60)).until(() -> reconciles() >= before + 2.0 * routes);
  }

  private static double elbWrites() {
    return ELB_WRITES.stream()
        .mapToDouble(op -> operator.counter("tidewater_aws_calls_total", ":" + op + "\""))
        .sum();
  }

  private static int liveRoutes() {
    return admin.resources(LoadBalancerRoute.class).inAnyNamespace().list().getItems().size();
  }

  // ------------------------------------------------------------------ ingress mode

  @Test
  void ingressModeMakesAServiceAndOneIngressPerRuleAndThenWritesNothing() {
    String ns = namespace();
    String lb = unique("shop");
    workload(ns, "web");
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata:
          name: web
        spec:
          loadBalancer: {name: %s, scheme: internet-facing}
          listener:
            port: 443
            protocol: HTTPS
            certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc
          target: {serviceRef: {name: web}, containerPort: 8080}
          rules:
          - priority: 10
            conditions: {pathPatterns: ["/api/*", "/health"]}
          - priority: 20
            conditions: {pathPatterns: ["/img/*.png"]}
          - conditions: {hostHeaders: [shop.example.com]}
          healthCheck: {path: /healthz, matcher: "200-399", intervalSeconds: 15}
        """
            .formatted(lb),
        ns);
    awaitReady(ns, "web");
    LoadBalancerRoute r = route(ns, "web");
    assertThat(r.getStatus().serviceName).isEqualTo("web");
    assertThat(r.getStatus().rules).extracting(s -> s.priority).containsExactly(10, 20, 21);
    assertThat(r.getStatus().rules)
        .extracting(s -> s.groupOrder)
        .containsExactly(-1000, -999, -998);
    assertThat(r.getStatus().rules)
        .extracting(s -> s.childName)
        .containsExactly("web-0", "web-1", "web-2");
    assertThat(condition(r, "Ready").getReason()).isEqualTo("EndpointsReady");
    // every child has an owner reference: nothing for the operator to do at deletion
    assertNotHeld(r);

    Service svc = admin.services().inNamespace(ns).withName("web").get();
    assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(svc.getSpec().getSelector()).isEqualTo(Map.of("tidewater.dev/service", "web"));
    assertThat(svc.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(8080);
              assertThat(p.getTargetPort().getIntVal()).isEqualTo(8080);
            });
    assertThat(svc.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(r.getMetadata().getUid()));

    for (int i = 0; i < 3; i++) {
      Ingress ing = admin.network().v1().ingresses().inNamespace(ns).withName("web-" + i).get();
      Map<String, String> a = ing.getMetadata().getAnnotations();
      assertThat(ing.getSpec().getIngressClassName()).isEqualTo("alb");
      assertThat(a)
          .containsEntry("alb.ingress.kubernetes.io/group.name", lb)
          .containsEntry("alb.ingress.kubernetes.io/group.order", String.valueOf(-1000 + i))
          .containsEntry("alb.ingress.kubernetes.io/target-type", "ip")
          .containsEntry("alb.ingress.kubernetes.io/scheme", "internet-facing")
          .containsEntry("alb.ingress.kubernetes.io/listen-ports", "[{\"HTTPS\":443}]")
          .containsEntry(
              "alb.ingress.kubernetes.io/certificate-arn",
              "arn:aws:acm:us-east-1:123456789012:certificate/abc")
          .containsEntry("alb.ingress.kubernetes.io/healthcheck-path", "/healthz")
          .containsEntry("alb.ingress.kubernetes.io/success-codes", "200-399")
          .containsEntry("alb.ingress.kubernetes.io/healthcheck-interval-seconds", "15");
      assertThat(ing.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(r.getMetadata().getUid()));
    }
    List<HTTPIngressPath> paths0 =
        admin
            .network()
            .v1()
            .ingresses()
            .inNamespace(ns)
            .withName("web-0")
            .get()
            .getSpec()
            .getRules()
            .get(0)
            .getHttp()
            .getPaths();
    assertThat(paths0).extracting(HTTPIngressPath::getPath).containsExactly("/api/", "/health");
    assertThat(paths0).extracting(HTTPIngressPath::getPathType).containsExactly("Prefix", "Exact");
    assertThat(paths0)
        .allSatisfy(
            p -> {
              assertThat(p.getBackend().getService().getName()).isEqualTo("web");
              assertThat(p.getBackend().getService().getPort().getNumber()).isEqualTo(8080);
            });
    HTTPIngressPath img =
        admin
            .network()
            .v1()
            .ingresses()
            .inNamespace(ns)
            .withName("web-1")
            .get()
            .getSpec()
            .getRules()
            .get(0)
            .getHttp()
            .getPaths()
            .get(0);
    assertThat(img.getPathType()).isEqualTo("ImplementationSpecific");
    assertThat(img.getPath()).isEqualTo("/img/*.png");
    var hostRule =
        admin
            .network()
            .v1()
            .ingresses()
            .inNamespace(ns)
            .withName("web-2")
            .get()
            .getSpec()
            .getRules();
    assertThat(hostRule)
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getHost()).isEqualTo("shop.example.com");
              assertThat(rule.getHttp().getPaths())
                  .singleElement()
                  .satisfies(
                      p -> {
                        assertThat(p.getPath()).isEqualTo("/");
                        assertThat(p.getPathType()).isEqualTo("Prefix");
                      });
            });

    // converged: two resyncs write nothing in this namespace
    AuditLog audit = ground.auditLog();
    AuditLog.Mark mark = audit.mark();
    awaitTwoResyncs(liveRoutes());
    assertThat(
            audit.writesSince(mark, ground.operatorUser()).stream()
                .filter(w -> ns.equals(w.namespace()))
                .toList())
        .isEmpty();
  }

  @Test
  void aNetworkLoadBalancerRouteIsAServiceOfTypeLoadBalancerForTheNlb() {
    String ns = namespace();
    workload(ns, "web");
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata:
          name: tcp
        spec:
          loadBalancer: {name: %s, type: network, scheme: internal}
          listener: {port: 9000, protocol: TCP}
          target: {serviceRef: {name: web}, containerPort: 8080}
          healthCheck: {protocol: TCP, intervalSeconds: 10}
        """
            .formatted(unique("nlb")),
        ns);
    awaitReady(ns, "tcp");
    Service svc = admin.services().inNamespace(ns).withName("tcp").get();
    assertThat(svc.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(svc.getSpec().getLoadBalancerClass()).isEqualTo("service.k8s.aws/nlb");
    assertThat(svc.getSpec().getSelector()).isEqualTo(Map.of("tidewater.dev/service", "web"));
    assertThat(svc.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(9000);
              assertThat(p.getProtocol()).isEqualTo("TCP");
              assertThat(p.getTargetPort().getIntVal()).isEqualTo(8080);
            });
    assertThat(svc.getMetadata().getAnnotations())
        .containsEntry("service.beta.kubernetes.io/aws-load-balancer-type", "external")
        .containsEntry("service.beta.kubernetes.io/aws-load-balancer-nlb-target-type", "ip")
        .containsEntry("service.beta.kubernetes.io/aws-load-balancer-scheme", "internal")
        .containsEntry("service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol", "TCP")
        .containsEntry("service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval", "10");
    assertThat(admin.network().v1().ingresses().inNamespace(ns).list().getItems()).isEmpty();
  }

  @Test
  void theFinalizerEarlierVersionsPutOnEveryRouteIsReleasedSoDeletionNeverWaits() {
    String ns = namespace();
    workload(ns, "web");
    // earlier versions put the finalizer on every route, whatever its mode
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata:
          name: web
          finalizers: [%s]
        spec:
          loadBalancer: {name: %s}
          listener: {port: 80}
          target: {serviceRef: {name: web}, containerPort: 8080}
          rules:
          - conditions: {pathPatterns: ["/*"]}
        """
            .formatted(FINALIZER, unique("old")),
        ns);
    awaitReady(ns, "web");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertNotHeld(route(ns, "web")));

    admin.resources(LoadBalancerRoute.class).inNamespace(ns).withName("web").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> route(ns, "web") == null);
  }

  // ------------------------------------------------------------------ conflicts

  private static String simpleRoute(String name, String lb, int priority, String path) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata:
          name: %s
        spec:
          loadBalancer: {name: %s}
          listener: {port: 80}
          target: {serviceRef: {name: web}, containerPort: 8080}
          rules:
          - priority: %d
            conditions: {pathPatterns: ["%s"]}
        """
        .formatted(name, lb, priority, path);
  }

  @Test
  void theLaterOfTwoRoutesWithOnePriorityIsInConflictUntilTheEarlierGoes() {
    String ns1 = namespace();
    String ns2 = namespace();
    String lb = unique("conflict");
    workload(ns1, "web");
    workload(ns2, "web");
    Resources.apply(admin, simpleRoute("early", lb, 100, "/a/*"), ns1);
    awaitReady(ns1, "early");
    // creationTimestamps have a resolution of one second and a tie goes by uid: "late" must be
    // created in a later second to be the later route
    Instant early = Instant.parse(route(ns1, "early").getMetadata().getCreationTimestamp());
    await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(early.plusSeconds(1)));
    Resources.apply(admin, simpleRoute("late", lb, 100, "/b/*"), ns2);
    Resources.apply(admin, simpleRoute("other", lb, 200, "/c/*"), ns1);

    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Condition degraded = condition(route(ns2, "late"), "Degraded");
              assertThat(degraded.getStatus()).isEqualTo("True");
              assertThat(degraded.getReason()).isEqualTo("PriorityConflict");
              assertThat(degraded.getMessage())
                  .contains("spec.rules[0].priority 100")
                  .contains("LoadBalancerRoute " + ns1 + "/early");
            });
    awaitReady(ns1, "other");
    awaitReady(ns1, "early");
    // the loser wrote nothing for its rule
    assertThat(admin.network().v1().ingresses().inNamespace(ns2).withName("late-0").get()).isNull();
    assertThat(
            admin.v1().events().inNamespace(ns2).list().getItems().stream()
                .filter(e -> "late".equals(e.getInvolvedObject().getName()))
                .map(e -> e.getReason()))
        .contains("PriorityConflict");

    admin.resources(LoadBalancerRoute.class).inNamespace(ns1).withName("early").delete();
    awaitReady(ns2, "late");
    assertThat(admin.network().v1().ingresses().inNamespace(ns2).withName("late-0").get())
        .isNotNull();
    awaitReady(ns1, "other");
  }

  /**
   * Issue 19: a route of another namespace asking for a host an older route already routes on the
   * listener — at a lower priority number, to take its traffic — is refused naming the owner, gets
   * no Ingress, and recovers once the older route goes. A host written in other case, or a wildcard
   * that matches it, is the same host to ALB and refused alike; once the owner goes, the wildcard
   * route is refused naming the next older route it overlaps.
   */
  @Test
  void anotherNamespacesHostOnTheListenerIsARouteConflictUntilItsOwnerGoes() {
    String ns1 = namespace();
    String ns2 = namespace();
    String ns3 = namespace();
    String lb = unique("steal");
    workload(ns1, "web");
    workload(ns2, "web");
    String hostRoute =
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata:
          name: %s
        spec:
          loadBalancer: {name: %s}
          listener: {port: 80}
          target: {serviceRef: {name: web}, containerPort: 8080}
          rules:
          - priority: %d
            conditions: {hostHeaders: [shop.example.com]%s}
        """;
    Resources.apply(admin, hostRoute.formatted("shop", lb, 10, ""), ns1);
    awaitReady(ns1, "shop");
    Instant shop = Instant.parse(route(ns1, "shop").getMetadata().getCreationTimestamp());
    await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(shop.plusSeconds(1)));
    Resources.apply(admin, hostRoute.formatted("grab", lb, 1, ", pathPatterns: [\"/*\"]"), ns2);

    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Condition degraded = condition(route(ns2, "grab"), "Degraded");
              assertThat(degraded.getStatus()).isEqualTo("True");
              assertThat(degraded.getReason()).isEqualTo("RouteConflict");
              assertThat(degraded.getMessage())
                  .contains("spec.rules[0]")
                  .contains("LoadBalancerRoute " + ns1 + "/shop")
                  .contains("shop.example.com");
            });
    assertThat(admin.network().v1().ingresses().inNamespace(ns2).withName("grab-0").get()).isNull();
    awaitReady(ns1, "shop");

    // the same host in other case, and a wildcard over it, written by a third namespace
    workload(ns3, "web");
    Instant grab = Instant.parse(route(ns2, "grab").getMetadata().getCreationTimestamp());
    await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(grab.plusSeconds(1)));
    Resources.apply(
        admin,
        hostRoute
            .formatted("wild", lb, 2, "")
            .replace("[shop.example.com]", "[\"*.EXAMPLE.com\", SHOP.example.COM]"),
        ns3);
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Condition degraded = condition(route(ns3, "wild"), "Degraded");
              assertThat(degraded.getStatus()).isEqualTo("True");
              assertThat(degraded.getReason()).isEqualTo("RouteConflict");
              assertThat(degraded.getMessage())
                  .contains("spec.rules[0]")
                  .contains("LoadBalancerRoute " + ns1 + "/shop")
                  .contains("*.EXAMPLE.com overlaps shop.example.com");
            });
    assertThat(admin.network().v1().ingresses().inNamespace(ns3).withName("wild-0").get()).isNull();

    admin.resources(LoadBalancerRoute.class).inNamespace(ns1).withName("shop").delete();
    awaitReady(ns2, "grab");
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(condition(route(ns3, "wild"), "Degraded").getMessage())
                    .contains("LoadBalancerRoute " + ns2 + "/grab"));
    assertThat(admin.network().v1().ingresses().inNamespace(ns3).withName("wild-0").get()).isNull();
  }

  /** An ecs Cluster and a route of one host rule: name, load balancer, listener, priority, host. */
  private static final String ECS_HOST_ROUTE =
      """
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: Cluster
      metadata:
        name: default
      spec:
        backend: ecs
      ---
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: LoadBalancerRoute
      metadata:
        name: %s
      spec:
        loadBalancer: {name: %s}
        listener: %s
        target: {serviceRef: {name: web}, containerPort: 8080}
        rules:
        - priority: %d
          conditions: {hostHeaders: ["%s"]}
      """;

  /**
   * Deletes routes ({@code namespace/name}) while their Cluster is here and waits until they and
   * their rules are gone, so no deletion of theirs lands in a later test's count of ELBv2 writes
   * (left to the namespace deletion, they would go with their Cluster, and take longer).
   */
  private static void deleteRoutes(
      ElasticLoadBalancingV2Client elb, Alb alb, String... namespacedNames) {
    for (String n : namespacedNames) {
      String[] parts = n.split("/");
      admin.resources(LoadBalancerRoute.class).inNamespace(parts[0]).withName(parts[1]).delete();
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                java.util.Arrays.stream(namespacedNames)
                        .allMatch(n -> route(n.split("/")[0], n.split("/")[1]) == null)
                    && elb.describeRules(x -> x.listenerArn(alb.listenerArn())).rules().stream()
                        .allMatch(Rule::isDefault));
  }

  /**
   * Issue 19: a route whose rules were on the listener before an older route of another namespace
   * came to overlap it (here by an edit of the older route; an upgrade that computes overlaps the
   * exact comparison missed is the same) has them withdrawn, not left taking that route's traffic.
   */
  @Test
  void aRouteThatComesToOverlapAnOlderOneHasItsRulesWithdrawn() {
    String ns1 = namespace();
    String ns2 = namespace();
    try (ElasticLoadBalancingV2Client elb = elb();
        Ec2Client ec2 = ec2()) {
      Alb alb = alb(ec2, elb, "10.35");
      String lbName = alb.loadBalancer().loadBalancerName();
      Resources.apply(
          admin,
          ECS_HOST_ROUTE.formatted("older", lbName, "{port: 80}", 10, "www.example.com"),
          ns1);
      awaitReady(ns1, "older");
      Instant older = Instant.parse(route(ns1, "older").getMetadata().getCreationTimestamp());
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> Instant.now().isAfter(older.plusSeconds(1)));
      Resources.apply(
          admin,
          ECS_HOST_ROUTE.formatted("newer", lbName, "{port: 80}", 1, "*.shop.example.com"),
          ns2);
      awaitReady(ns2, "newer");
      String newerRule = route(ns2, "newer").getStatus().rules.get(0).ruleArn;

      // the older route now routes a host the newer one's wildcard matches
      Resources.apply(
          admin,
          ECS_HOST_ROUTE.formatted("older", lbName, "{port: 80}", 10, "api.shop.example.com"),
          ns1);
      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Condition degraded = condition(route(ns2, "newer"), "Degraded");
                assertThat(degraded.getReason()).isEqualTo("RouteConflict");
                assertThat(degraded.getMessage()).contains("LoadBalancerRoute " + ns1 + "/older");
                assertThat(
                        elb.describeRules(x -> x.listenerArn(alb.listenerArn())).rules().stream()
                            .filter(x -> !x.isDefault())
                            .map(Rule::ruleArn))
                    .as("the newer route's rule at priority 1 no longer takes the older's traffic")
                    .doesNotContain(newerRule)
                    .containsExactly(route(ns1, "older").getStatus().rules.get(0).ruleArn);
              });
      assertThat(route(ns2, "newer").getStatus().rules).isNullOrEmpty();

      deleteRoutes(elb, alb, ns2 + "/newer", ns1 + "/older");
    }
  }

  /**
   * Issue 19: on the ecs backend, one listener named by its ARN in one namespace and by load
   * balancer and port in another is one listener: the newer route's host, in other case, is refused
   * naming the owner, and nothing of it reaches the listener.
   */
  @Test
  void oneListenerNamedByArnAndByPortIsOneListenerAcrossNamespaces() {
    String ns1 = namespace();
    String ns2 = namespace();
    try (ElasticLoadBalancingV2Client elb = elb();
        Ec2Client ec2 = ec2()) {
      Alb alb = alb(ec2, elb, "10.34");
      String lbName = alb.loadBalancer().loadBalancerName();
      Resources.apply(
          admin,
          ECS_HOST_ROUTE.formatted(
              "web", lbName, "{arn: \"" + alb.listenerArn() + "\"}", 10, "shop.example.com"),
          ns1);
      awaitReady(ns1, "web");
      Instant web = Instant.parse(route(ns1, "web").getMetadata().getCreationTimestamp());
      await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(web.plusSeconds(1)));
      Resources.apply(
          admin,
          ECS_HOST_ROUTE.formatted("grab", lbName, "{port: 80}", 1, "Shop.Example.com"),
          ns2);
      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Condition degraded = condition(route(ns2, "grab"), "Degraded");
                assertThat(degraded.getStatus()).isEqualTo("True");
                assertThat(degraded.getReason()).isEqualTo("RouteConflict");
                assertThat(degraded.getMessage())
                    .contains("spec.rules[0]")
                    .contains("LoadBalancerRoute " + ns1 + "/web");
              });
      // only the owner's rule is on the listener
      assertThat(
              elb.describeRules(x -> x.listenerArn(alb.listenerArn())).rules().stream()
                  .filter(x -> !x.isDefault())
                  .map(Rule::ruleArn))
          .containsExactly(route(ns1, "web").getStatus().rules.get(0).ruleArn);

      deleteRoutes(elb, alb, ns2 + "/grab", ns1 + "/web");
    }
  }

  /** Issue 19: a load balancer the namespace's TenancyPolicy does not grant is refused. */
  @Test
  void aLoadBalancerThePolicyDoesNotGrantIsRefusedNamingTheFieldAndPolicy() {
    String ns = namespace();
    workload(ns, "web");
    String policyName = ns + "-routing";
    TenancyPolicy policy = new TenancyPolicy();
    policy.setMetadata(new ObjectMetaBuilder().withName(policyName).build());
    policy.setSpec(new TenancyPolicySpec());
    policy.getSpec().namespaces = List.of(ns);
    policy.getSpec().routing = new RoutingGrants();
    policy.getSpec().routing.allowedLoadBalancers = List.of("{namespace}-*");
    admin.resource(policy).create();
    try {
      Resources.apply(admin, simpleRoute("web", unique("shared"), 10, "/*"), ns);
      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Condition degraded = condition(route(ns, "web"), "Degraded");
                assertThat(degraded.getReason()).isEqualTo("ForbiddenByTenancyPolicy");
                assertThat(degraded.getMessage())
                    .contains("spec.loadBalancer.name")
                    .contains("TenancyPolicy " + policyName);
              });
      assertThat(admin.network().v1().ingresses().inNamespace(ns).list().getItems()).isEmpty();

      Resources.apply(admin, simpleRoute("web", ns + "-lb", 10, "/*"), ns);
      awaitReady(ns, "web");
      assertThat(admin.network().v1().ingresses().inNamespace(ns).list().getItems()).isNotEmpty();

      // the policy tightened after the route was realised: its Ingress goes with the refusal
      admin
          .resources(TenancyPolicy.class)
          .withName(policyName)
          .edit(
              p -> {
                p.getSpec().routing.allowedLoadBalancers = List.of("elsewhere-*");
                return p;
              });
      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(condition(route(ns, "web"), "Degraded").getReason())
                    .isEqualTo("ForbiddenByTenancyPolicy");
                assertThat(admin.network().v1().ingresses().inNamespace(ns).list().getItems())
                    .isEmpty();
              });
    } finally {
      admin.resource(policy).delete();
    }
  }

  @Test
  void gatewayAndIngressRoutesNamingOneLoadBalancerDoNotConflict() {
    String ingressNs = namespace();
    String gatewayNs = namespace();
    String lb = unique("public");
    workload(ingressNs, "web");
    workload(gatewayNs, "web");
    String route =
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata:
          name: web
        spec:
          loadBalancer: {name: %s}
          listener: {port: 443, protocol: HTTPS}
          target: {serviceRef: {name: web}, containerPort: 8080}
          rules:
          - priority: 10
            conditions: {pathPatterns: ["/*"]}
        """
            .formatted(lb);
    Resources.apply(admin, route, ingressNs);
    awaitReady(ingressNs, "web");
    // HTTPRoutes on a Gateway never become rules of the ALB the Ingresses of group lb form
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          routing:
            mode: gateway
            gatewayRef: {name: public, namespace: infra}
        ---
        """
            + route,
        gatewayNs);
    awaitReady(gatewayNs, "web");
    awaitReady(ingressNs, "web");
    assertThat(condition(route(gatewayNs, "web"), "Degraded").getStatus()).isEqualTo("False");
    assertThat(route(gatewayNs, "web").getStatus().rules)
        .extracting(x -> x.priority)
        .containsExactly(10);
    assertNotHeld(route(gatewayNs, "web"));
  }

  // ------------------------------------------------------------------ gateway mode

  @Test
  void gatewayModeMakesAnHttpRouteTheApiServerAccepts() {
    String ns = namespace();
    workload(ns, "web");
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          routing:
            mode: gateway
            gatewayRef: {name: public, namespace: infra, sectionName: http}
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata:
          name: web
        spec:
          loadBalancer: {name: %s}
          listener: {port: 80}
          target: {serviceRef: {name: web}, containerPort: 8080}
          rules:
          - priority: 1
            conditions: {pathPatterns: ["/api/*", "/health", "/v?/x"], hostHeaders: [shop.example.com]}
        """
            .formatted(unique("gw")),
        ns);
    awaitReady(ns, "web");
    GenericKubernetesResource httpRoute =
        admin
            .genericKubernetesResources(
                new ResourceDefinitionContext.Builder()
                    .withGroup("gateway.networking.k8s.io")
                    .withVersion("v1")
                    .withKind("HTTPRoute")
                    .withPlural("httproutes")
                    .withNamespaced(true)
                    .build())
            .inNamespace(ns)
            .withName("web")
            .get();
    assertThat(httpRoute).isNotNull();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        (Map<String, Object>) httpRoute.getAdditionalProperties().get("spec");
    assertThat(spec.get("hostnames")).isEqualTo(List.of("shop.example.com"));
    assertThat(spec.get("parentRefs").toString())
        .contains("name=public")
        .contains("namespace=infra")
        .contains("sectionName=http");
    String rules = spec.get("rules").toString();
    assertThat(rules)
        .contains("type=PathPrefix, value=/api/")
        .contains("type=Exact, value=/health")
        .contains("type=RegularExpression, value=/v./x")
        .contains("name=web")
        .contains("port=8080");
    assertThat(route(ns, "web").getStatus().rules)
        .singleElement()
        .satisfies(s -> assertThat(s.childName).isEqualTo("web"));
  }

  // ------------------------------------------------------------------ aws mode

  private static ElasticLoadBalancingV2Client elb() {
    return ElasticLoadBalancingV2Client.builder()
        .endpointOverride(ground.motoEndpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .build();
  }

  private static Ec2Client ec2() {
    return Ec2Client.builder()
        .endpointOverride(ground.motoEndpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .build();
  }

  private static Alb alb(Ec2Client ec2, ElasticLoadBalancingV2Client elb, String net) {
    return Alb.create(ec2, elb, net, unique("alb"));
  }

  private static double elbCalls(String operation) {
    return operator.counter("tidewater_aws_calls_total", ":" + operation + "\"");
  }

  @Test
  void awsModeMakesTheTargetGroupAndRulesWithExactPrioritiesThroughElbv2() {
    String ns = namespace();
    workload(ns, "web");
    try (ElasticLoadBalancingV2Client elb = elb();
        Ec2Client ec2 = ec2()) {
      Alb alb = alb(ec2, elb, "10.20");
      String vpc = alb.vpc();
      var lb = alb.loadBalancer();
      String listenerArn = alb.listenerArn();
      Resources.apply(
          admin,
          """
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: Cluster
          metadata:
            name: default
          spec:
            routing: {mode: aws}
          ---
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: LoadBalancerRoute
          metadata:
            name: web
          spec:
            loadBalancer: {arn: "%s"}
            listener: {arn: "%s"}
            target: {serviceRef: {name: web}, containerPort: 8080}
            rules:
            - priority: 7
              conditions: {pathPatterns: ["/api/*"]}
            - priority: 3
              conditions: {hostHeaders: [api.example.com]}
            healthCheck: {path: /healthz, intervalSeconds: 15}
          """
              .formatted(lb.loadBalancerArn(), listenerArn),
          ns);
      awaitReady(ns, "web");
      LoadBalancerRoute r = route(ns, "web");
      String tgArn = r.getStatus().targetGroupArn;
      assertThat(tgArn).isNotNull();
      // its target group and rules live outside Kubernetes: only the operator can delete them
      assertThat(held(r)).as("finalizer and cleanup label").isTrue();
      TargetGroup tg =
          elb.describeTargetGroups(x -> x.targetGroupArns(tgArn)).targetGroups().get(0);
      assertThat(tg.targetGroupName())
          .isEqualTo(AwsNames.unambiguous(AwsNames.Kind.TARGET_GROUP, ns, "web"));
      assertThat(tg.targetTypeAsString()).isEqualTo("ip");
      assertThat(tg.port()).isEqualTo(8080);
      assertThat(tg.healthCheckPath()).isEqualTo("/healthz");
      assertThat(tg.vpcId()).isEqualTo(vpc);

      List<Rule> rules =
          elb.describeRules(x -> x.listenerArn(listenerArn)).rules().stream()
              .filter(x -> !x.isDefault())
              .toList();
      assertThat(rules).extracting(Rule::priority).containsExactlyInAnyOrder("7", "3");
      Rule api = rules.stream().filter(x -> x.priority().equals("7")).findFirst().orElseThrow();
      assertThat(api.conditions())
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.field()).isEqualTo("path-pattern");
                assertThat(
                        c.pathPatternConfig() != null && c.pathPatternConfig().hasValues()
                            ? c.pathPatternConfig().values()
                            : c.values())
                    .containsExactly("/api/*");
              });
      assertThat(api.actions())
          .singleElement()
          .satisfies(a -> assertThat(a.targetGroupArn()).isEqualTo(tgArn));
      Rule host = rules.stream().filter(x -> x.priority().equals("3")).findFirst().orElseThrow();
      assertThat(host.conditions())
          .singleElement()
          .satisfies(c -> assertThat(c.field()).isEqualTo("host-header"));
      assertThat(r.getStatus().rules)
          .extracting(s -> s.ruleArn)
          .containsExactly(api.ruleArn(), host.ruleArn());

      GenericKubernetesResource tgb =
          admin
              .genericKubernetesResources("elbv2.k8s.aws/v1beta1", "TargetGroupBinding")
              .inNamespace(ns)
              .withName("web")
              .get();
      assertThat(tgb).isNotNull();
      @SuppressWarnings("unchecked")
      Map<String, Object> tgbSpec = (Map<String, Object>) tgb.getAdditionalProperties().get("spec");
      assertThat(tgbSpec).containsEntry("targetGroupARN", tgArn).containsEntry("targetType", "ip");
      assertThat(tgbSpec.get("serviceRef")).isEqualTo(Map.of("name", "web", "port", 8080));

      // converged: two resyncs make no ELBv2 write and no API-server write, and read only the
      // target group (by ARN) and the listener's rules: no tag, listener or load balancer reads
      double writes = elbWrites();
      double describeRules = elbCalls("DescribeRules");
      double describeGroups = elbCalls("DescribeTargetGroups");
      double otherReads =
          elbCalls("DescribeTags")
              + elbCalls("DescribeListeners")
              + elbCalls("DescribeLoadBalancers");
      AuditLog audit = ground.auditLog();
      AuditLog.Mark mark = audit.mark();
      // two resyncs of this route, seen as its two rule reads (a count of all reconciles would
      // also count routes other tests left terminating in their namespaces)
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> elbCalls("DescribeRules") - describeRules >= 2);
      assertThat(elbWrites()).isEqualTo(writes);
      // one target group read per rules read (a reconcile in flight may have read its group only)
      double rulesRead = elbCalls("DescribeRules") - describeRules;
      assertThat(elbCalls("DescribeTargetGroups") - describeGroups)
          .isBetween(rulesRead, rulesRead + 1);
      assertThat(
              elbCalls("DescribeTags")
                  + elbCalls("DescribeListeners")
                  + elbCalls("DescribeLoadBalancers"))
          .isEqualTo(otherReads);
      assertThat(
              audit.writesSince(mark, ground.operatorUser()).stream()
                  .filter(w -> ns.equals(w.namespace()))
                  .toList())
          .isEmpty();

      // a changed condition is one ModifyRule, a changed priority one SetRulePriorities
      double modify = elbCalls("ModifyRule");
      double move = elbCalls("SetRulePriorities");
      double create = elbCalls("CreateRule");
      double delete = elbCalls("DeleteRule");
      admin
          .resources(LoadBalancerRoute.class)
          .inNamespace(ns)
          .withName("web")
          .edit(
              x -> {
                x.getSpec().rules.get(0).priority = 9;
                x.getSpec().rules.get(0).conditions.pathPatterns = List.of("/v2/*");
                return x;
              });
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Rule moved =
                    elb.describeRules(x -> x.listenerArn(listenerArn)).rules().stream()
                        .filter(x -> x.ruleArn().equals(api.ruleArn()))
                        .findFirst()
                        .orElseThrow();
                assertThat(moved.priority()).isEqualTo("9");
                assertThat(ListenerRuleConditionsView.values(moved.conditions().get(0)))
                    .containsExactly("/v2/*");
              });
      awaitReady(ns, "web");
      assertThat(elbCalls("ModifyRule")).isEqualTo(modify + 1);
      assertThat(elbCalls("SetRulePriorities")).isEqualTo(move + 1);
      assertThat(elbCalls("CreateRule")).isEqualTo(create);
      assertThat(elbCalls("DeleteRule")).isEqualTo(delete);
      assertThat(route(ns, "web").getStatus().rules)
          .extracting(x -> x.priority)
          .containsExactly(9, 3);

      // deletion: the rules and the target group go (deletionPolicy Delete, the default)
      admin.resources(LoadBalancerRoute.class).inNamespace(ns).withName("web").delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(
                        elb.describeRules(x -> x.listenerArn(listenerArn)).rules().stream()
                            .filter(x -> !x.isDefault()))
                    .isEmpty();
                assertThat(route(ns, "web")).isNull();
              });
      assertThatThrownBy(() -> elb.describeTargetGroups(x -> x.targetGroupArns(tgArn)))
          .isInstanceOf(TargetGroupNotFoundException.class);
    }
  }

  @Test
  void leavingTheAwsModeDeletesTheRulesTargetGroupAndBinding() {
    String ns = namespace();
    workload(ns, "web");
    try (ElasticLoadBalancingV2Client elb = elb();
        Ec2Client ec2 = ec2()) {
      Alb alb = alb(ec2, elb, "10.50");
      String cluster =
          """
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: Cluster
          metadata:
            name: default
          spec:
            routing: {mode: %s}
          """;
      Resources.apply(admin, cluster.formatted("aws"), ns);
      Resources.apply(
          admin,
          """
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: LoadBalancerRoute
          metadata:
            name: web
          spec:
            loadBalancer: {name: %s}
            listener: {arn: "%s"}
            target: {serviceRef: {name: web}, containerPort: 8080}
            rules:
            - priority: 4
              conditions: {pathPatterns: ["/x/*"]}
          """
              .formatted(alb.loadBalancer().loadBalancerName(), alb.listenerArn()),
          ns);
      awaitReady(ns, "web");
      String tgArn = route(ns, "web").getStatus().targetGroupArn;
      assertThat(tgArn).isNotNull();
      assertThat(held(route(ns, "web"))).isTrue();

      Resources.apply(admin, cluster.formatted("ingress"), ns);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(admin.network().v1().ingresses().inNamespace(ns).withName("web-0").get())
                    .isNotNull();
                assertThat(
                        admin
                            .genericKubernetesResources(
                                "elbv2.k8s.aws/v1beta1", "TargetGroupBinding")
                            .inNamespace(ns)
                            .withName("web")
                            .get())
                    .isNull();
                assertThat(
                        elb.describeRules(x -> x.listenerArn(alb.listenerArn())).rules().stream()
                            .filter(x -> !x.isDefault()))
                    .isEmpty();
                assertThat(route(ns, "web").getStatus().targetGroupArn).isNull();
                // nothing outside Kubernetes left: the hold goes
                assertNotHeld(route(ns, "web"));
              });
      assertThatThrownBy(() -> elb.describeTargetGroups(x -> x.targetGroupArns(tgArn)))
          .isInstanceOf(TargetGroupNotFoundException.class);
      awaitReady(ns, "web");
    }
  }

  /** The values of a path-pattern condition, whichever form moto answers with. */
  static final class ListenerRuleConditionsView {
    static List<String> values(
        software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition c) {
      return c.pathPatternConfig() != null && c.pathPatternConfig().hasValues()
          ? c.pathPatternConfig().values()
          : c.values();
    }
  }

  // ------------------------------------------------------------------ ecs backend

  @Test
  void ecsBackendMakesAnInstanceTargetGroupForBridgeTasksAndRetainKeepsIt() {
    String ns = namespace();
    try (ElasticLoadBalancingV2Client elb = elb();
        Ec2Client ec2 = ec2()) {
      Alb alb = alb(ec2, elb, "10.30");
      Resources.apply(
          admin,
          """
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: Cluster
          metadata:
            name: default
          spec:
            backend: ecs
          ---
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: TaskDefinition
          metadata:
            name: legacy
          spec:
            requiresCompatibilities: [EC2]
            networkMode: bridge
            memory: "512"
            containerDefinitions:
            - name: app
              image: nginx:1.27
              portMappings:
              - containerPort: 80
          ---
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: Service
          metadata:
            name: legacy
          spec:
            taskDefinitionRef: {name: legacy}
            desiredCount: 1
          ---
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: LoadBalancerRoute
          metadata:
            name: legacy
          spec:
            loadBalancer: {name: %s}
            listener: {port: 80}
            target: {serviceRef: {name: legacy}, containerName: app, containerPort: 80}
            deletionPolicy: Retain
            rules:
            - conditions: {pathPatterns: ["/legacy/*"]}
          """
              .formatted(alb.loadBalancer().loadBalancerName()),
          ns);
      awaitReady(ns, "legacy");
      LoadBalancerRoute r = route(ns, "legacy");
      assertThat(condition(r, "Ready").getReason()).isEqualTo("RulesInPlace");
      assertThat(held(r)).as("finalizer and cleanup label").isTrue();
      assertThat(r.getStatus().listenerArn).isEqualTo(alb.listenerArn());
      assertThat(r.getStatus().rules).extracting(x -> x.priority).containsExactly(1);
      TargetGroup tg =
          elb.describeTargetGroups(x -> x.targetGroupArns(r.getStatus().targetGroupArn))
              .targetGroups()
              .get(0);
      assertThat(tg.targetTypeAsString()).isEqualTo("instance");
      assertThat(tg.vpcId()).isEqualTo(alb.vpc());
      Rule rule =
          elb.describeRules(x -> x.listenerArn(alb.listenerArn())).rules().stream()
              .filter(x -> !x.isDefault())
              .findFirst()
              .orElseThrow();
      assertThat(rule.priority()).isEqualTo("1");
      assertThat(rule.ruleArn()).isEqualTo(r.getStatus().rules.get(0).ruleArn);

      admin.resources(LoadBalancerRoute.class).inNamespace(ns).withName("legacy").delete();
      await().atMost(Duration.ofSeconds(60)).until(() -> route(ns, "legacy") == null);
      assertThat(elb.describeRules(x -> x.listenerArn(alb.listenerArn())).rules())
          .anySatisfy(x -> assertThat(x.ruleArn()).isEqualTo(rule.ruleArn()));
      assertThat(
              elb.describeTargetGroups(x -> x.targetGroupArns(tg.targetGroupArn())).targetGroups())
          .hasSize(1);
    }
  }

  @Test
  void aRuleMadeOutsideTidewaterAtTheRoutesPriorityIsAConflictUntilItGoes() {
    String ns = namespace();
    try (ElasticLoadBalancingV2Client elb = elb();
        Ec2Client ec2 = ec2()) {
      Alb alb = alb(ec2, elb, "10.32");
      // made with other credentials (the console, Terraform): untagged
      String console =
          elb.createRule(
                  r ->
                      r.listenerArn(alb.listenerArn())
                          .priority(4)
                          .conditions(c -> c.field("path-pattern").values("/console/*"))
                          .actions(
                              a ->
                                  a.type(ActionTypeEnum.FIXED_RESPONSE)
                                      .fixedResponseConfig(f -> f.statusCode("403"))))
              .rules()
              .get(0)
              .ruleArn();
      Resources.apply(
          admin,
          """
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: Cluster
          metadata:
            name: default
          spec:
            backend: ecs
          ---
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: LoadBalancerRoute
          metadata:
            name: web
          spec:
            loadBalancer: {name: %s}
            listener: {port: 80}
            target: {serviceRef: {name: web}, containerPort: 8080}
            rules:
            - priority: 4
              conditions: {pathPatterns: ["/a/*"]}
          """
              .formatted(alb.loadBalancer().loadBalancerName()),
          ns);
      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Condition degraded = condition(route(ns, "web"), "Degraded");
                assertThat(degraded.getStatus()).isEqualTo("True");
                assertThat(degraded.getReason()).isEqualTo("PriorityConflict");
                assertThat(degraded.getMessage()).contains(console);
                assertThat(
                        admin.v1().events().inNamespace(ns).list().getItems().stream()
                            .filter(e -> "web".equals(e.getInvolvedObject().getName()))
                            .filter(e -> "PriorityConflict".equals(e.getReason()))
                            .map(e -> e.getMessage()))
                    .anySatisfy(m -> assertThat(m).contains(console));
              });
      // nothing of the route's was written at the taken priority
      assertThat(
              elb.describeRules(x -> x.listenerArn(alb.listenerArn())).rules().stream()
                  .filter(x -> !x.isDefault())
                  .map(Rule::ruleArn))
          .containsExactly(console);

      // the rule goes: the route notices by itself (no event tells), and takes the priority
      elb.deleteRule(r -> r.ruleArn(console));
      awaitReady(ns, "web");
      LoadBalancerRoute r = route(ns, "web");
      assertThat(condition(r, "Ready").getReason()).isEqualTo("RulesInPlace");
      Rule ours =
          elb.describeRules(x -> x.listenerArn(alb.listenerArn())).rules().stream()
              .filter(x -> !x.isDefault())
              .findFirst()
              .orElseThrow();
      assertThat(ours.priority()).isEqualTo("4");
      assertThat(r.getStatus().rules)
          .singleElement()
          .satisfies(x -> assertThat(x.ruleArn).isEqualTo(ours.ruleArn()));
    }
  }

  @Test
  void aNetworkRouteRefusedOnEcsDeletesItsTargetGroupOnlyOnceTheEcsServiceLeftIt() {
    String ns = namespace();
    try (ElasticLoadBalancingV2Client elb = elb();
        Ec2Client ec2 = ec2();
        EcsClient ecs =
            EcsClient.builder()
                .endpointOverride(ground.motoEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("testing", "testing")))
                .build()) {
      Alb alb = alb(ec2, elb, "10.33");
      List<String> subnets =
          alb.loadBalancer().availabilityZones().stream().map(z -> z.subnetId()).toList();
      String sg =
          ec2.createSecurityGroup(
                  r -> r.groupName(unique("sg")).description("legacy").vpcId(alb.vpc()))
              .groupId();
      Resources.apply(
          admin,
          """
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: Cluster
          metadata:
            name: default
          spec:
            backend: ecs
            ecs:
              create: true
          ---
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: TaskDefinition
          metadata:
            name: legacy
          spec:
            requiresCompatibilities: [FARGATE]
            networkMode: awsvpc
            cpu: "256"
            memory: "512"
            containerDefinitions:
            - name: app
              image: nginx:1.27
              essential: true
              portMappings:
              - containerPort: 80
          ---
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: Service
          metadata:
            name: legacy
          spec:
            taskDefinitionRef: {name: legacy}
            launchType: FARGATE
            desiredCount: 1
            networkConfiguration:
              awsvpcConfiguration:
                subnets: [%s]
                securityGroups: [%s]
                assignPublicIp: DISABLED
          ---
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: LoadBalancerRoute
          metadata:
            name: legacy
          spec:
            loadBalancer: {name: %s}
            listener: {port: 80}
            target: {serviceRef: {name: legacy}, containerName: app, containerPort: 80}
            rules:
            - conditions: {pathPatterns: ["/legacy/*"]}
          """
              .formatted(String.join(", ", subnets), sg, alb.loadBalancer().loadBalancerName()),
          ns);
      awaitReady(ns, "legacy");
      String tg = route(ns, "legacy").getStatus().targetGroupArn;
      String[] serviceArn = new String[1];
      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                serviceArn[0] =
                    admin
                        .resources(dev.tidewater.api.v1alpha1.service.EcsService.class)
                        .inNamespace(ns)
                        .withName("legacy")
                        .get()
                        .getStatus()
                        .serviceArn;
                assertThat(serviceTargetGroups(ecs, serviceArn[0])).contains(tg);
              });

      admin
          .resources(LoadBalancerRoute.class)
          .inNamespace(ns)
          .withName("legacy")
          .edit(
              x -> {
                x.getSpec().loadBalancer.type = "network";
                x.getSpec().rules = null;
                return x;
              });
      // at every look: a target group already deleted is one the ECS service no longer names
      List<String> deletedWhileNamed = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                boolean gone;
                try {
                  gone =
                      elb.describeTargetGroups(x -> x.targetGroupArns(tg)).targetGroups().isEmpty();
                } catch (TargetGroupNotFoundException e) {
                  gone = true;
                }
                if (gone && serviceTargetGroups(ecs, serviceArn[0]).contains(tg)) {
                  deletedWhileNamed.add(tg);
                }
                return gone;
              });
      assertThat(deletedWhileNamed).as("deleted while the ECS service named it").isEmpty();
      assertThat(serviceTargetGroups(ecs, serviceArn[0])).doesNotContain(tg);
      await()
          .ignoreExceptions()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                LoadBalancerRoute r = route(ns, "legacy");
                assertThat(condition(r, "Degraded").getReason()).isEqualTo("InvalidSpec");
                assertThat(r.getStatus().targetGroupArn).isNull();
                assertThat(r.getStatus().retiredTargetGroupArns).isNull();
              });
    }
  }

  /** The target groups an ECS service names among its load balancers (one DescribeServices). */
  private static List<String> serviceTargetGroups(EcsClient ecs, String serviceArn) {
    String[] parts = serviceArn.split("/");
    return ecs
        .describeServices(r -> r.cluster(parts[parts.length - 2]).services(serviceArn))
        .services()
        .stream()
        .flatMap(s -> s.loadBalancers().stream())
        .map(lb -> lb.targetGroupArn())
        .toList();
  }
}
