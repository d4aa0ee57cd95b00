package dev.tidewater.backend.aws;

import static dev.tidewater.backend.aws.ElbRoutesCrashIT.applyRoute;
import static dev.tidewater.backend.aws.ElbRoutesCrashIT.asOperator;
import static dev.tidewater.backend.aws.ElbRoutesCrashIT.local;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RuleStatus;
import dev.tidewater.model.ListenerRulePlanner;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTagsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/**
 * The ELBv2 side of routes against moto, as the reconciler drives it (observe, plan, apply):
 * foreign rules are taken priorities, routes swap priorities without a deadlock, a changed listener
 * moves the rules, a changed target type replaces the target group, DescribeTags stays within its
 * 20 ARNs. The code under test runs with the operator's keys (the strict layer enforces
 * deploy/iam-policy.json); the admin's keys only set up and look.
 */
class ElbRoutesIT {

  private static final TestGround ground = TestGround.get();

  /** Every DescribeTags request's number of ARNs. */
  static final class TagBatches implements ExecutionInterceptor {
    final List<Integer> sizes = new ArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof DescribeTagsRequest r) sizes.add(r.resourceArns().size());
    }
  }

  /** Every ELBv2 write (any operation but Describe*). */
  static final class Writes implements ExecutionInterceptor {
    final List<String> ops = new ArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      if (!op.startsWith("Describe")) ops.add(op);
    }
  }

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-12-06T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final TagBatches batches = new TagBatches();
  private final Writes writes = new Writes();
  private final MovableClock clock = new MovableClock();
  // one per test, as the reconciler keeps one per AWS context: ARNs repeat after a moto reset
  private final ListenerRules.RuleTags tags = new ListenerRules.RuleTags(clock);
  private Ec2Client ec2;
  // the code under test runs as the operator (deploy/iam-policy.json enforced by the strict layer)
  private ElasticLoadBalancingV2Client elb;
  // the test's own setup and look-ups: load balancers, listeners, foreign rules and tags, asserts
  private ElasticLoadBalancingV2Client admin;
  private String id;
  private String subnetA;
  private String subnetB;

  @BeforeEach
  void setUp() {
    ec2 = local(Ec2Client.builder()).build();
    admin = local(ElasticLoadBalancingV2Client.builder()).build();
    elb =
        asOperator(ElasticLoadBalancingV2Client.builder())
            .overrideConfiguration(
                o -> o.addExecutionInterceptor(batches).addExecutionInterceptor(writes))
            .build();
    id = UUID.randomUUID().toString().substring(0, 6);
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.41.0.0/16")).vpc().vpcId();
    subnetA =
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.41.1.0/24").availabilityZone("us-east-1a"))
            .subnet()
            .subnetId();
    subnetB =
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.41.2.0/24").availabilityZone("us-east-1b"))
            .subnet()
            .subnetId();
  }

  @AfterEach
  void tearDown() {
    AwsOwnership.forgetClusterId();
    elb.close();
    admin.close();
    ec2.close();
  }

  private String loadBalancer(String name) {
    return admin
        .createLoadBalancer(r -> r.name(name + "-" + id).subnets(subnetA, subnetB))
        .loadBalancers()
        .get(0)
        .loadBalancerArn();
  }

  private String listener(String lb, int port) {
    return admin
        .createListener(
            r ->
                r.loadBalancerArn(lb)
                    .port(port)
                    .protocol("HTTP")
                    .defaultActions(
                        x ->
                            x.type(ActionTypeEnum.FIXED_RESPONSE)
                                .fixedResponseConfig(f -> f.statusCode("404"))))
        .listeners()
        .get(0)
        .listenerArn();
  }

  private LoadBalancerRoute route(String name, String lbName, int port, String... paths) {
    StringBuilder rules = new StringBuilder();
    for (String p : paths) {
      rules.append("  - conditions: {pathPatterns: [\"").append(p).append("\"]}\n");
    }
    return Resources.fromYaml(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata: {name: %s, namespace: elb-%s, uid: %s}
        spec:
          loadBalancer: {name: %s}
          listener: {port: %d}
          target: {serviceRef: {name: web}, containerPort: 8080}
          rules:
        %s"""
            .formatted(name, id, UUID.randomUUID(), lbName + "-" + id, port, rules),
        LoadBalancerRoute.class);
  }

  /** The status a reconcile records after {@code applied}. */
  private static void record(LoadBalancerRoute route, ElbRoutes.Applied applied, List<Integer> p) {
    LoadBalancerRouteStatus s = new LoadBalancerRouteStatus();
    s.targetGroupArn = applied.targetGroupArn();
    s.listenerArn = applied.listenerArn();
    s.listenerSource = applied.listenerSource();
    s.retiredTargetGroupArns = applied.retiredTargetGroupArns();
    s.rules = new ArrayList<>();
    for (int i = 0; i < applied.ruleArns().size(); i++) {
      RuleStatus r = new RuleStatus();
      r.ruleArn = applied.ruleArns().get(i);
      r.priority = p.get(i);
      s.rules.add(r);
    }
    route.setStatus(s);
  }

  private ElbRoutes.Observed observe(LoadBalancerRoute route) {
    return ElbRoutes.observe(elb, tags, route, Set.of(), List.of(route));
  }

  private ElbRoutes.Applied apply(LoadBalancerRoute route, List<Integer> priorities) {
    return apply(route, "ip", priorities, Set.copyOf(priorities));
  }

  private ElbRoutes.Applied apply(
      LoadBalancerRoute route, String type, List<Integer> priorities, Set<Integer> reserved) {
    return applyRoute(elb, tags, route, type, priorities, reserved);
  }

  /**
   * A second apply with the status the first recorded writes nothing (rule 1), on a read of its own
   * and on a read the routes on the listener share alike: a shared read is enough to see that.
   */
  private void assertNoWriteOnResync(
      LoadBalancerRoute route, String type, List<Integer> priorities, Set<Integer> reserved) {
    int before = writes.ops.size();
    ElbRoutes.Applied again = apply(route, type, priorities, reserved);
    assertThat(again.waiting()).isEmpty();
    assertThat(again.ruleWrites()).isZero();
    ElbRoutes.Applied shared = applyShared(route, type, priorities, reserved);
    assertThat(shared.reread()).as("in place on a shared read").isFalse();
    assertThat(shared.ruleWrites()).isZero();
    assertThat(writes.ops.subList(before, writes.ops.size())).isEmpty();
  }

  /** Observe and apply as a settled route does: on rules another route read (shared). */
  private ElbRoutes.Applied applyShared(
      LoadBalancerRoute route, String type, List<Integer> priorities, Set<Integer> reserved) {
    Set<String> arns = new java.util.HashSet<>();
    if (route.getStatus() != null && route.getStatus().rules != null) {
      route.getStatus().rules.forEach(r -> arns.add(r.ruleArn));
    }
    ElbRoutes.Observed observed =
        ElbRoutes.observe(
            elb,
            tags,
            route,
            arn -> new ElbRoutes.Planned(arns, List.of(route)),
            arn -> new ListenerReads.Read(ListenerRules.describe(elb, arn), true));
    assertThat(observed.shared()).isTrue();
    return ElbRoutes.apply(elb, route, observed, type, priorities, reserved);
  }

  /** The rule writes among the ELBv2 writes since {@code from}. */
  private List<String> ruleWritesSince(int from) {
    return writes.ops.subList(from, writes.ops.size()).stream()
        .filter(
            op ->
                List.of("CreateRule", "ModifyRule", "SetRulePriorities", "DeleteRule").contains(op))
        .toList();
  }

  @Test
  void aSharedReadDecidesThatNothingIsWrittenNeverAWrite() {
    String lb = loadBalancer("shr");
    String listener = listener(lb, 80);
    LoadBalancerRoute web = route("web", "shr", 80, "/a/*", "/b/*");
    ElbRoutes.Applied first = apply(web, List.of(1, 2));
    assertThat(first.ruleWrites()).isEqualTo(2);
    record(web, first, List.of(1, 2));

    // converged: the shared read will do, nothing is written
    int before = writes.ops.size();
    assertThat(applyShared(web, "ip", List.of(1, 2), Set.of(1, 2)).reread()).isFalse();
    // a changed priority, or a rule deleted out of band: not written on the shared read
    assertThat(applyShared(web, "ip", List.of(3, 2), Set.of(2, 3)).reread()).isTrue();
    admin.deleteRule(r -> r.ruleArn(first.ruleArns().get(1)));
    assertThat(applyShared(web, "ip", List.of(1, 2), Set.of(1, 2)).reread()).isTrue();
    assertThat(writes.ops.subList(before, writes.ops.size())).isEmpty();

    // on a read of its own it writes, and counts what it wrote
    ElbRoutes.Applied own = apply(web, List.of(1, 2));
    assertThat(own.reread()).isFalse();
    assertThat(ruleWritesSince(before)).containsExactly("CreateRule");
    assertThat(own.ruleWrites()).isEqualTo(1);
    assertThat(prioritiesByArn(listener).values()).containsExactlyInAnyOrder("1", "2");
    record(web, own, List.of(1, 2));
    assertNoWriteOnResync(web, "ip", List.of(1, 2), Set.of(1, 2));
  }

  private Map<String, String> prioritiesByArn(String listener) {
    Map<String, String> out = new java.util.HashMap<>();
    for (Rule r : ListenerRules.describe(admin, listener)) {
      if (!Boolean.TRUE.equals(r.isDefault())) out.put(r.ruleArn(), r.priority());
    }
    return out;
  }

  private String foreignRule(String listener, int priority, String path) {
    return admin
        .createRule(
            r ->
                r.listenerArn(listener)
                    .priority(priority)
                    .conditions(c -> c.field("path-pattern").values(path))
                    .actions(
                        a ->
                            a.type(ActionTypeEnum.FIXED_RESPONSE)
                                .fixedResponseConfig(f -> f.statusCode("403"))))
        .rules()
        .get(0)
        .ruleArn();
  }

  @Test
  void aPriorityHeldByAForeignRuleIsAConflictNamingItUntilItGoes() {
    String lb = loadBalancer("fgn");
    String listener = listener(lb, 80);
    String console = foreignRule(listener, 1, "/console/*");
    LoadBalancerRoute web = route("web", "fgn", 80, "/a/*");
    web.getSpec().rules.get(0).priority = 1;

    ElbRoutes.Observed observed = observe(web);
    assertThat(observed.foreign()).containsExactly(Map.entry(1, console));
    var planned = ListenerRulePlanner.route(web, null);
    var key = planned.listener();
    var plan =
        new ListenerRulePlanner()
            .plan(List.of(planned), Map.of(key, observed.foreign()))
            .get(planned.namespace() + "/" + planned.name());
    assertThat(plan.conflict()).isPresent();
    assertThat(plan.conflict().get().message()).contains(console);

    admin.deleteRule(r -> r.ruleArn(console));
    observed = observe(web);
    assertThat(observed.foreign()).isEmpty();
    ElbRoutes.Applied applied = ElbRoutes.apply(elb, web, observed, "ip", List.of(1), Set.of(1));
    assertThat(prioritiesByArn(listener))
        .containsExactly(Map.entry(applied.ruleArns().get(0), "1"));
  }

  @Test
  void ourOwnRulesAreNotForeignAndTagsAreReadTwentyAtATime() {
    String lb = loadBalancer("tags");
    String listener = listener(lb, 80);
    for (int i = 0; i < 45; i++) foreignRule(listener, 100 + i, "/f" + i + "/*");
    LoadBalancerRoute web = route("web", "tags", 80, "/a/*");
    ElbRoutes.Applied first = apply(web, List.of(1));
    // status lost (a crash after CreateRule): the rule is still ours by its owner tag
    batches.sizes.clear();
    ElbRoutes.Observed observed = observe(web);
    assertThat(observed.foreign()).hasSize(45).doesNotContainValue(first.ruleArns().get(0));
    assertThat(batches.sizes).isNotEmpty().allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(20));
    // a resync: the foreign rules' tags are remembered, no DescribeTags
    record(web, first, List.of(1));
    batches.sizes.clear();
    assertThat(observe(web).foreign()).hasSize(45);
    assertThat(batches.sizes).isEmpty();
  }

  @Test
  void twoRoutesSwappingPrioritiesConverge() {
    String lb = loadBalancer("swap");
    String listener = listener(lb, 80);
    LoadBalancerRoute a = route("a", "swap", 80, "/a/*");
    LoadBalancerRoute b = route("b", "swap", 80, "/b/*");
    Set<Integer> both = Set.of(1, 2);
    record(a, applyRoute(elb, a, "ip", List.of(1), both), List.of(1));
    record(b, applyRoute(elb, b, "ip", List.of(2), both), List.of(2));
    String ruleA = a.getStatus().rules.get(0).ruleArn;
    String ruleB = b.getStatus().rules.get(0).ruleArn;

    // A first: B's rule still holds 2, so A's rule parks and A waits
    ElbRoutes.Applied stepA = applyRoute(elb, a, "ip", List.of(2), both);
    assertThat(stepA.waiting()).isPresent();
    record(a, stepA, List.of(2));
    ElbRoutes.Applied stepB = applyRoute(elb, b, "ip", List.of(1), both);
    assertThat(stepB.waiting()).isEmpty();
    record(b, stepB, List.of(1));
    ElbRoutes.Applied again = applyRoute(elb, a, "ip", List.of(2), both);
    assertThat(again.waiting()).isEmpty();
    assertThat(prioritiesByArn(listener))
        .containsOnly(Map.entry(ruleA, "2"), Map.entry(ruleB, "1"));
    record(a, again, List.of(2));
    assertNoWriteOnResync(a, "ip", List.of(2), both);
    assertNoWriteOnResync(b, "ip", List.of(1), both);
  }

  @Test
  void rulesOfOneRouteSwapInOneReconcile() {
    String lb = loadBalancer("own");
    String listener = listener(lb, 80);
    LoadBalancerRoute web = route("web", "own", 80, "/a/*", "/b/*");
    record(web, applyRoute(elb, web, List.of(1, 2)), List.of(1, 2));
    ElbRoutes.Applied swapped = applyRoute(elb, web, List.of(2, 1));
    assertThat(swapped.waiting()).isEmpty();
    assertThat(prioritiesByArn(listener))
        .containsOnly(
            Map.entry(web.getStatus().rules.get(0).ruleArn, "2"),
            Map.entry(web.getStatus().rules.get(1).ruleArn, "1"));
    record(web, swapped, List.of(2, 1));
    assertNoWriteOnResync(web, "ip", List.of(2, 1), Set.of(1, 2));
  }

  @Test
  void aChangedPortOrLoadBalancerMovesTheRules() {
    String lb = loadBalancer("move");
    String on80 = listener(lb, 80);
    String on8080 = listener(lb, 8080);
    String other = loadBalancer("other");
    String onOther = listener(other, 80);
    LoadBalancerRoute web = route("web", "move", 80, "/a/*");
    record(web, applyRoute(elb, web, List.of(3)), List.of(3));
    assertThat(prioritiesByArn(on80)).hasSize(1);

    web.getSpec().listener.port = 8080;
    ElbRoutes.Applied moved = applyRoute(elb, web, List.of(3));
    assertThat(moved.listenerArn()).isEqualTo(on8080);
    assertThat(prioritiesByArn(on80)).isEmpty();
    assertThat(prioritiesByArn(on8080)).containsOnlyKeys(moved.ruleArns());
    record(web, moved, List.of(3));
    assertNoWriteOnResync(web, "ip", List.of(3), Set.of(3));

    web.getSpec().loadBalancer.name = "other-" + id;
    web.getSpec().listener.port = 80;
    ElbRoutes.Applied away = applyRoute(elb, web, List.of(3));
    assertThat(away.listenerArn()).isEqualTo(onOther);
    assertThat(prioritiesByArn(on8080)).isEmpty();
    assertThat(prioritiesByArn(onOther)).containsOnlyKeys(away.ruleArns());
    record(web, away, List.of(3));
    assertNoWriteOnResync(web, "ip", List.of(3), Set.of(3));
  }

  @Test
  void aChangedTargetTypeReplacesTheTargetGroup() {
    String lb = loadBalancer("type");
    String listener = listener(lb, 80);
    LoadBalancerRoute web = route("web", "type", 80, "/a/*");
    ElbRoutes.Applied ip = applyRoute(elb, web, "ip", List.of(1), Set.of(1));
    record(web, ip, List.of(1));

    ElbRoutes.Applied instance = applyRoute(elb, web, "instance", List.of(1), Set.of(1));
    assertThat(instance.targetGroupArn()).isNotEqualTo(ip.targetGroupArn());
    assertThat(instance.retiredTargetGroupArns()).containsExactly(ip.targetGroupArn());
    var groups = admin.describeTargetGroups(r -> r.targetGroupArns(instance.targetGroupArn()));
    assertThat(groups.targetGroups().get(0).targetTypeAsString()).isEqualTo("instance");
    Rule rule =
        ListenerRules.describe(admin, listener).stream()
            .filter(r -> r.ruleArn().equals(instance.ruleArns().get(0)))
            .findFirst()
            .orElseThrow();
    assertThat(rule.actions().get(0).targetGroupArn()).isEqualTo(instance.targetGroupArn());
    record(web, instance, List.of(1));
    assertNoWriteOnResync(web, "instance", List.of(1), Set.of(1));

    assertThat(ElbRoutes.deleteRetired(elb, instance.retiredTargetGroupArns())).isEmpty();
    assertThat(
            admin.describeTargetGroups().targetGroups().stream()
                .map(g -> g.targetGroupArn())
                .toList())
        .doesNotContain(ip.targetGroupArn())
        .contains(instance.targetGroupArn());
  }

  /** A rule made outside the route (admin credentials) with {@code tags}. */
  private String taggedRule(String listener, int priority, String path, Map<String, String> t) {
    String arn = foreignRule(listener, priority, path);
    admin.addTags(
        r ->
            r.resourceArns(arn)
                .tags(
                    t.entrySet().stream()
                        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                        .toList()));
    return arn;
  }

  @Test
  void anotherClustersRuleUnderTheRoutesOwnNameIsForeignAndNeverChangedOrDeleted() {
    AwsOwnership.useClusterId("cluster-here");
    String lb = loadBalancer("twin");
    String listener = listener(lb, 80);
    LoadBalancerRoute web = route("web", "twin", 80, "/a/*");
    web.getSpec().rules.get(0).priority = 5;
    // the same namespace, name and even uid, made by another cluster's Tidewater
    Map<String, String> theirs =
        Map.of(
            AwsOwnership.OWNER_TAG, AwsOwnership.owner(web),
            AwsOwnership.UID_TAG, web.getMetadata().getUid(),
            AwsOwnership.CLUSTER_TAG, "cluster-there");
    String atOurs = taggedRule(listener, 5, "/theirs/*", theirs);
    String elsewhere = taggedRule(listener, 9, "/theirs-too/*", theirs);

    ElbRoutes.Observed observed = observe(web);
    assertThat(observed.foreign()).containsOnly(Map.entry(5, atOurs), Map.entry(9, elsewhere));
    var planned = ListenerRulePlanner.route(web, null);
    var plan =
        new ListenerRulePlanner()
            .plan(List.of(planned), Map.of(planned.listener(), observed.foreign()))
            .get(planned.namespace() + "/" + planned.name());
    assertThat(plan.conflict()).isPresent();
    assertThat(plan.conflict().get().message()).contains(atOurs);

    // even asked to converge at 5 (status lost), the route neither takes nor deletes their rules
    ElbRoutes.Applied applied = ElbRoutes.apply(elb, web, observed, "ip", List.of(5), Set.of(5));
    assertThat(applied.waiting()).hasValueSatisfying(w -> assertThat(w).contains(atOurs));
    assertThat(writes.ops).doesNotContain("ModifyRule", "DeleteRule", "SetRulePriorities");
    Rule kept =
        ListenerRules.describe(admin, listener).stream()
            .filter(r -> r.ruleArn().equals(atOurs))
            .findFirst()
            .orElseThrow();
    assertThat(kept.actions().get(0).typeAsString()).isEqualTo("fixed-response");
    assertThat(prioritiesByArn(listener)).containsEntry(elsewhere, "9");
  }

  @Test
  void aRuleOfTheRouteThatStatusLostIsDeletedWhenItsPriorityIsNoLongerWanted() {
    AwsOwnership.useClusterId("cluster-here");
    String lb = loadBalancer("leak");
    String listener = listener(lb, 80);
    LoadBalancerRoute web = route("web", "leak", 80, "/a/*");
    String lost = apply(web, List.of(1)).ruleArns().get(0);
    // a crash after CreateRule (status never recorded it), then the priority is edited
    ElbRoutes.Applied applied = apply(web, List.of(2));
    assertThat(applied.ruleArns()).doesNotContain(lost);
    assertThat(prioritiesByArn(listener)).containsOnly(Map.entry(applied.ruleArns().get(0), "2"));
    record(web, applied, List.of(2));
    assertNoWriteOnResync(web, "ip", List.of(2), Set.of(2));
  }

  @Test
  void aRuleTaggedAfterItWasFirstReadIsSeenAsItIsOnceItsTagsGoStale() {
    String lb = loadBalancer("later");
    String listener = listener(lb, 80);
    LoadBalancerRoute web = route("web", "later", 80, "/a/*");
    String hand = foreignRule(listener, 4, "/hand/*");
    assertThat(observe(web).foreign()).containsExactly(Map.entry(4, hand));
    // tagged as the route's own afterwards (as if by a restore of a lost status)
    admin.addTags(
        r ->
            r.resourceArns(hand)
                .tags(
                    Tag.builder()
                        .key(AwsOwnership.OWNER_TAG)
                        .value(AwsOwnership.owner(web))
                        .build(),
                    Tag.builder()
                        .key(AwsOwnership.UID_TAG)
                        .value(web.getMetadata().getUid())
                        .build()));
    batches.sizes.clear();
    assertThat(observe(web).foreign()).containsExactly(Map.entry(4, hand));
    assertThat(batches.sizes).isEmpty();

    clock.now = clock.now.plus(ListenerRules.RuleTags.FRESH).plus(Duration.ofSeconds(1));
    assertThat(observe(web).foreign()).isEmpty();
    assertThat(batches.sizes).containsExactly(1);
  }
}
