package dev.tidewater.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * DESIGN.md rule 10 for routes: the routes on one listener read its rules once per resync, with the
 * packaged operator against moto through the strict AWS layer (the operator's own IAM policy). Five
 * ecs-backend routes of two namespaces on one listener, named by its ARN and by load balancer and
 * port, resync together and share one DescribeRules; what they write is still decided on a read of
 * their own — two routes created at once with one priority are a PriorityConflict for the later, a
 * changed priority is one SetRulePriorities, a rule deleted out of band comes back at its priority,
 * and a route that loses a priority its rule holds lets go of that rule.
 */
class ListenerRuleReadsIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  // long enough for a quiet gap between two sweeps to be seen
  private static final Duration RESYNC = Duration.ofSeconds(6);
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
  static void start() {
    Crds.apply(admin);
    operator =
        OperatorProcess.start(
            ground, Map.of(), List.of("-Dtidewater.resync-period=" + RESYNC.toSeconds() + "s"));
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
    String ns = ground.createNamespace("lbreads");
    namespaces.add(ns);
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: ecs
        """,
        ns);
    return ns;
  }

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

  private static double calls(String operation) {
    return operator.counter("tidewater_aws_calls_total", ":" + operation + "\"");
  }

  private static double elbWrites() {
    return ELB_WRITES.stream().mapToDouble(ListenerRuleReadsIT::calls).sum();
  }

  private static double routeReconciles() {
    return operator.counter("tidewater_reconciles_total", "kind=\"LoadBalancerRoute\"");
  }

  private static LoadBalancerRoute route(String ns, String name) {
    return admin.resources(LoadBalancerRoute.class).inNamespace(ns).withName(name).get();
  }

  private static Condition condition(LoadBalancerRoute r, String type) {
    return r.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private static void awaitCondition(String ns, String name, String type, String reason) {
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              LoadBalancerRoute r = route(ns, name);
              Condition c = condition(r, type);
              assertThat(c.getStatus()).as(c.getReason() + ": " + c.getMessage()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo(reason);
              assertThat(r.getStatus().getObservedGeneration())
                  .isEqualTo(r.getMetadata().getGeneration());
            });
  }

  private static void awaitReady(String ns, String name) {
    awaitCondition(ns, name, "Ready", "RulesInPlace");
  }

  /** Until neither route reconciles nor DescribeRules move for two seconds: between sweeps. */
  private static void awaitQuiet() {
    double[] last = {routeReconciles(), calls("DescribeRules"), 0};
    await()
        .atMost(RESYNC.multipliedBy(5))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              double reconciles = routeReconciles();
              double reads = calls("DescribeRules");
              boolean same = reconciles == last[0] && reads == last[1];
              last[0] = reconciles;
              last[1] = reads;
              last[2] = same ? last[2] + 1 : 0;
              return last[2] >= 2;
            });
  }

  private static String routeYaml(String name, String listener, Integer priority, String path) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata:
          name: %s
        spec:
          %s
          target: {serviceRef: {name: %s}, containerPort: 8080}
          rules:
          - %sconditions: {pathPatterns: ["%s"]}
        """
        .formatted(
            name, listener, name, priority == null ? "" : "priority: " + priority + "\n    ", path);
  }

  /** The listener's rules (not the default one): priority by rule ARN. */
  private static Map<String, String> priorities(ElasticLoadBalancingV2Client elb, String listener) {
    Map<String, String> out = new HashMap<>();
    for (Rule r : elb.describeRules(x -> x.listenerArn(listener)).rules()) {
      if (!Boolean.TRUE.equals(r.isDefault())) out.put(r.ruleArn(), r.priority());
    }
    return out;
  }

  private static String ruleArn(String ns, String name) {
    return route(ns, name).getStatus().rules.get(0).ruleArn;
  }

  @Test
  void routesOnOneListenerReadItsRulesOncePerResyncAndDecideWritesOnTheirOwnRead() {
    String ns1 = namespace();
    String ns2 = namespace();
    try (ElasticLoadBalancingV2Client elb = elb();
        Ec2Client ec2 = ec2()) {
      String lbName = "reads-" + UUID.randomUUID().toString().substring(0, 6);
      Alb alb = Alb.create(ec2, elb, "10.51", lbName);
      var lb = alb.loadBalancer();
      String listener = alb.listenerArn();
      String byArn =
          "loadBalancer: {arn: \"%s\"}\n  listener: {arn: \"%s\"}"
              .formatted(lb.loadBalancerArn(), listener);
      String byPort = "loadBalancer: {name: %s}\n  listener: {port: 80}".formatted(lbName);

      // created at once, two of them asking for one priority in two namespaces
      Resources.apply(
          admin,
          routeYaml("a", byArn, 10, "/a/*")
              + "---\n"
              + routeYaml("b", byPort, 20, "/b/*")
              + "---\n"
              + routeYaml("d", byPort, null, "/d/*"),
          ns1);
      Resources.apply(
          admin,
          routeYaml("c", byArn, 30, "/c/*") + "---\n" + routeYaml("e", byPort, 10, "/e/*"),
          ns2);

      // the older of a and e (creationTimestamp, then uid) has priority 10, the other writes
      // nothing
      List<String[]> tenants =
          new ArrayList<>(List.of(new String[] {ns1, "a"}, new String[] {ns2, "e"}));
      tenants.sort(
          Comparator.comparing(
                  (String[] t) -> route(t[0], t[1]).getMetadata().getCreationTimestamp())
              .thenComparing(t -> route(t[0], t[1]).getMetadata().getUid()));
      String[] winner = tenants.get(0);
      String[] loser = tenants.get(1);
      awaitCondition(loser[0], loser[1], "Degraded", "PriorityConflict");
      // until the operator's shared cache of routes holds the older route, its rule can look like
      // another tool's to the newer one (a message naming the rule's ARN); the event of the older
      // route reaching that cache reconciles the newer one again, which then names it
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(condition(route(loser[0], loser[1]), "Degraded").getMessage())
                      .contains("priority 10")
                      .contains("LoadBalancerRoute " + winner[0] + "/" + winner[1]));
      for (String[] r :
          List.of(
              winner, new String[] {ns1, "b"}, new String[] {ns1, "d"}, new String[] {ns2, "c"})) {
        awaitReady(r[0], r[1]);
      }
      // exactly the planned priorities, each route's rule where its status says
      assertThat(priorities(elb, listener))
          .containsOnly(
              Map.entry(ruleArn(winner[0], winner[1]), "10"),
              Map.entry(ruleArn(ns1, "b"), "20"),
              Map.entry(ruleArn(ns2, "c"), "30"),
              Map.entry(
                  ruleArn(ns1, "d"),
                  String.valueOf(route(ns1, "d").getStatus().rules.get(0).priority)));
      var loserRules = route(loser[0], loser[1]).getStatus().rules;
      assertThat(
              loserRules == null
                  ? List.<String>of()
                  : loserRules.stream().map(x -> x.ruleArn).toList())
          .as("the later route wrote no rule")
          .allSatisfy(arn -> assertThat(arn).isNull());

      // the loser takes a free priority: written on its own read, at exactly that priority
      admin
          .resources(LoadBalancerRoute.class)
          .inNamespace(loser[0])
          .withName(loser[1])
          .edit(
              x -> {
                x.getSpec().rules.get(0).priority = 40;
                return x;
              });
      awaitReady(loser[0], loser[1]);
      assertThat(priorities(elb, listener)).containsEntry(ruleArn(loser[0], loser[1]), "40");

      // only these five routes are reconciled from here on (routes other tests left go first)
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  admin
                      .resources(LoadBalancerRoute.class)
                      .inAnyNamespace()
                      .list()
                      .getItems()
                      .stream()
                      .allMatch(r -> namespaces.contains(r.getMetadata().getNamespace())));

      // settled: whole sweeps of the five routes, one DescribeRules per sweep, no write
      awaitQuiet();
      double reconciles = routeReconciles();
      double reads = calls("DescribeRules");
      double groupReads = calls("DescribeTargetGroups");
      double writes = elbWrites();
      await()
          .atMost(RESYNC.multipliedBy(6))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> routeReconciles() - reconciles >= 3 * 5);
      awaitQuiet();
      double resynced = routeReconciles() - reconciles;
      assertThat(resynced % 5)
          .as("the five routes resync together (%s reconciles)", resynced)
          .isZero();
      double sweeps = resynced / 5;
      System.out.printf(
          "ListenerRuleReadsIT: %.0f resyncs of 5 routes on one listener: %.0f DescribeRules,"
              + " %.0f DescribeTargetGroups%n",
          sweeps, calls("DescribeRules") - reads, calls("DescribeTargetGroups") - groupReads);
      assertThat(calls("DescribeRules") - reads)
          .as("DescribeRules in %s resyncs of five routes on one listener", sweeps)
          .isEqualTo(sweeps);
      assertThat(calls("DescribeTargetGroups") - groupReads)
          .as("each route still reads its own target group")
          .isEqualTo(resynced);
      assertThat(elbWrites()).as("no ELBv2 write in a resync").isEqualTo(writes);

      // a changed priority is one SetRulePriorities, decided on b's own read
      double moves = calls("SetRulePriorities");
      double creates = calls("CreateRule");
      admin
          .resources(LoadBalancerRoute.class)
          .inNamespace(ns1)
          .withName("b")
          .edit(
              x -> {
                x.getSpec().rules.get(0).priority = 25;
                return x;
              });
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> assertThat(priorities(elb, listener)).containsEntry(ruleArn(ns1, "b"), "25"));
      awaitReady(ns1, "b");
      assertThat(calls("SetRulePriorities") - moves).isEqualTo(1);
      assertThat(calls("CreateRule")).isEqualTo(creates);

      // c's rule deleted out of band: a sweep's shared read shows it gone, c reads its own and
      // makes it again at exactly its priority
      String lost = ruleArn(ns2, "c");
      elb.deleteRule(r -> r.ruleArn(lost));
      await()
          .atMost(RESYNC.multipliedBy(4))
          .untilAsserted(
              () ->
                  assertThat(priorities(elb, listener))
                      .doesNotContainKey(lost)
                      .containsValue("30"));
      awaitReady(ns2, "c");
      assertThat(priorities(elb, listener)).containsEntry(ruleArn(ns2, "c"), "30");
      assertThat(calls("CreateRule") - creates).isEqualTo(1);

      // the older of b and c edited to the other's priority: the newer loses it and lets go of
      // its rule there (else the older would wait for it for ever), the older's rule moves there
      List<String[]> bc =
          new ArrayList<>(List.of(new String[] {ns1, "b", "25"}, new String[] {ns2, "c", "30"}));
      bc.sort(
          Comparator.comparing(
                  (String[] t) -> route(t[0], t[1]).getMetadata().getCreationTimestamp())
              .thenComparing(t -> route(t[0], t[1]).getMetadata().getUid()));
      String[] older = bc.get(0);
      String[] newer = bc.get(1);
      String newerRule = ruleArn(newer[0], newer[1]);
      admin
          .resources(LoadBalancerRoute.class)
          .inNamespace(older[0])
          .withName(older[1])
          .edit(
              x -> {
                x.getSpec().rules.get(0).priority = Integer.valueOf(newer[2]);
                return x;
              });
      awaitCondition(newer[0], newer[1], "Degraded", "PriorityConflict");
      awaitReady(older[0], older[1]);
      assertThat(priorities(elb, listener))
          .doesNotContainKey(newerRule)
          .containsEntry(ruleArn(older[0], older[1]), newer[2]);
    }
  }
}
