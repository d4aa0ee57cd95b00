package dev.tidewater.backend.aws;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteSpec;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RouteRule;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RuleStatus;
import dev.tidewater.model.AwsNames;
import dev.tidewater.model.RouteRealisation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * The ELBv2 side of a LoadBalancerRoute, the same for the kubernetes backend's {@code aws} routing
 * mode and the ecs backend. In two steps around the planning of priorities: {@link #observe}
 * resolves the listener (by ARN, else load balancer + port, remembered in status with what it was
 * resolved from, so a changed port or load balancer re-resolves it) and reads its rules once, which
 * tells the planner the priorities rules Tidewater does not manage hold; {@link #apply} ensures the
 * target group (of the target type the route needs now), converges the listener rules at their
 * planned priorities and moves them off a listener the route left. Reads per converged reconcile:
 * one DescribeTargetGroups, and the listener's rules, which the routes on one listener may share
 * ({@link ListenerReads}): rules read by another route are enough to see that nothing is to be
 * written, never to decide a write ({@link Applied#reread}).
 */
public final class ElbRoutes {

  /**
   * The listener of a route and its rules, read before planning.
   *
   * @param source what the listener was resolved from ({@code status.listenerSource})
   * @param movedFrom the listener the route's rules are on now, when it is not this one (the spec
   *     names another load balancer or port)
   * @param unplanned ARN → tags of the rules on the listener that no planned route names in its
   *     status
   * @param foreign priority → ARN of the rules on the listener that no planned route owns
   * @param shared the rules were read before this route asked (another route's read, shared): a
   *     write is not decided on them
   */
  public record Observed(
      String listenerArn,
      String source,
      String movedFrom,
      List<Rule> rules,
      Map<String, Map<String, String>> unplanned,
      Map<Integer, String> foreign,
      Optional<String> problemReason,
      String problemMessage,
      boolean shared) {

    /** Rules read for this route. */
    public Observed(
        String listenerArn,
        String source,
        String movedFrom,
        List<Rule> rules,
        Map<String, Map<String, String>> unplanned,
        Map<Integer, String> foreign,
        Optional<String> problemReason,
        String problemMessage) {
      this(
          listenerArn,
          source,
          movedFrom,
          rules,
          unplanned,
          foreign,
          problemReason,
          problemMessage,
          false);
    }

    static Observed problem(String reason, String message) {
      return new Observed(
          null, null, null, List.of(), Map.of(), Map.of(), Optional.of(reason), message);
    }
  }

  /**
   * Where the route landed.
   *
   * @param ruleWrites how many rule writes were made (CreateRule, ModifyRule, SetRulePriorities,
   *     DeleteRule)
   * @param reread nothing was written on the listener: its rules were a shared read and the route
   *     must write, so the listener is to be read again for this route, the route planned again on
   *     that read and applied again
   */
  public record Applied(
      String listenerArn,
      String listenerSource,
      String targetGroupArn,
      List<String> ruleArns,
      List<String> retiredTargetGroupArns,
      Optional<String> waiting,
      Optional<String> problemReason,
      String problemMessage,
      int ruleWrites,
      boolean reread) {

    static Applied problem(String reason, String message) {
      return new Applied(
          null,
          null,
          null,
          List.of(),
          List.of(),
          Optional.empty(),
          Optional.of(reason),
          message,
          0,
          false);
    }

    static Applied rereadListener() {
      return new Applied(
          null,
          null,
          null,
          List.of(),
          List.of(),
          Optional.empty(),
          Optional.empty(),
          null,
          0,
          true);
    }
  }

  private ElbRoutes() {}

  /**
   * The target group name a route's new group gets (the unambiguous scheme, docs/naming.md): a
   * readable prefix and a hash of namespace and name, at most 32 characters; {@code instance}
   * groups carry the suffix {@code inst}, so a route whose target type changes gets a second group
   * beside the first while it switches.
   */
  public static String targetGroupName(LoadBalancerRoute route, String targetType) {
    String ns = route.getMetadata().getNamespace();
    String name = route.getMetadata().getName();
    return "instance".equals(targetType)
        ? AwsNames.unambiguous(AwsNames.Kind.TARGET_GROUP, ns, name, "inst")
        : AwsNames.unambiguous(AwsNames.Kind.TARGET_GROUP, ns, name);
  }

  /** The target group name an earlier version gave a route ({@code <namespace>-<name>}). */
  public static String legacyTargetGroupName(LoadBalancerRoute route, String targetType) {
    String ns = route.getMetadata().getNamespace();
    String name = route.getMetadata().getName();
    return "instance".equals(targetType)
        ? AwsNames.of(AwsNames.Kind.TARGET_GROUP, ns, name, "inst")
        : AwsNames.of(AwsNames.Kind.TARGET_GROUP, ns, name);
  }

  /** The target group name of a route of target type {@code ip}. */
  public static String targetGroupName(LoadBalancerRoute route) {
    return targetGroupName(route, "ip");
  }

  /** What the listener of {@code spec} is resolved from. */
  static String listenerSource(LoadBalancerRouteSpec spec) {
    return RouteRealisation.listenerSource(spec);
  }

  /**
   * Resolves the listener (once per listener source) and reads its rules, and the tags of those no
   * planned route names (remembered in {@code tags}).
   *
   * @param plannedArns rule ARNs in the status of the routes planned on this listener
   * @param plannedRoutes those routes (with {@code route}): a rule one of them owns by its tags is
   *     not foreign
   */
  public static Observed observe(
      ElasticLoadBalancingV2Client elb,
      ListenerRules.RuleTags tags,
      LoadBalancerRoute route,
      Set<String> plannedArns,
      List<? extends HasMetadata> plannedRoutes) {
    return observe(elb, tags, route, arn -> new Planned(plannedArns, plannedRoutes));
  }

  /**
   * The routes planned on a listener and the rule ARNs their status names: which rules of the
   * listener are not foreign.
   */
  public record Planned(Set<String> ruleArns, List<? extends HasMetadata> routes) {}

  /**
   * As {@link #observe(ElasticLoadBalancingV2Client, ListenerRules.RuleTags, LoadBalancerRoute,
   * Set, List)}, with the planned routes chosen once the listener is resolved ({@code planned} of
   * its ARN): routes that name the listener another way are on it too.
   */
  public static Observed observe(
      ElasticLoadBalancingV2Client elb,
      ListenerRules.RuleTags tags,
      LoadBalancerRoute route,
      java.util.function.Function<String, Planned> planned) {
    return observe(
        elb,
        tags,
        route,
        planned,
        arn -> new ListenerReads.Read(ListenerRules.describe(elb, arn), false));
  }

  /**
   * As {@link #observe(ElasticLoadBalancingV2Client, ListenerRules.RuleTags, LoadBalancerRoute,
   * java.util.function.Function)}, with the listener's rules from {@code rules} (given its ARN): a
   * read of its own or one the routes on the listener share.
   */
  public static Observed observe(
      ElasticLoadBalancingV2Client elb,
      ListenerRules.RuleTags tags,
      LoadBalancerRoute route,
      java.util.function.Function<String, Planned> planned,
      java.util.function.Function<String, ListenerReads.Read> rules) {
    LoadBalancerRouteSpec spec = route.getSpec();
    LoadBalancerRouteStatus previous = route.getStatus();
    String source = listenerSource(spec);
    String before = previous == null ? null : previous.listenerArn;
    String listenerArn;
    if (spec.listener.arn != null) {
      listenerArn = spec.listener.arn;
    } else if (before != null && source.equals(previous.listenerSource)) {
      listenerArn = before;
    } else {
      Optional<ListenerRules.Listener> l =
          ListenerRules.resolve(
              elb, null, spec.loadBalancer.name, spec.loadBalancer.arn, spec.listener.port);
      if (l.isEmpty()) {
        return Observed.problem(
            "ListenerNotFound",
            "spec.listener.port: load balancer "
                + (spec.loadBalancer.arn != null ? spec.loadBalancer.arn : spec.loadBalancer.name)
                + " has no listener on port "
                + spec.listener.port);
      }
      listenerArn = l.get().listenerArn();
    }
    boolean network = "network".equals(spec.loadBalancer.type);
    Planned on = planned.apply(listenerArn);
    Set<String> plannedArns = on.ruleArns();
    List<? extends HasMetadata> plannedRoutes = on.routes();
    ListenerReads.Read read =
        network ? new ListenerReads.Read(List.of(), false) : rules.apply(listenerArn);
    Map<String, Map<String, String>> unplanned =
        network ? Map.of() : ListenerRules.unplannedTags(tags, elb, read.rules(), plannedArns);
    return new Observed(
        listenerArn,
        source,
        before != null && !before.equals(listenerArn) ? before : null,
        read.rules(),
        unplanned,
        ListenerRules.foreign(read.rules(), unplanned, plannedRoutes),
        Optional.empty(),
        null,
        read.shared());
  }

  /**
   * Converges target group and rules on the observed listener.
   *
   * @param targetType {@code ip} or {@code instance}, as the route needs it now: a group of the
   *     other type is replaced (a new group, the rules switched, the old one retired)
   * @param priorities per rule, its planned priority
   * @param reserved every priority planned on the listener (never used to park a moving rule)
   */
  public static Applied apply(
      ElasticLoadBalancingV2Client elb,
      LoadBalancerRoute route,
      Observed observed,
      String targetType,
      List<Integer> priorities,
      Set<Integer> reserved) {
    LoadBalancerRouteSpec spec = route.getSpec();
    LoadBalancerRouteStatus previous = route.getStatus();
    String listener = observed.listenerArn();
    boolean network = "network".equals(spec.loadBalancer.type);
    String protocol = network ? ("UDP".equals(spec.listener.protocol) ? "UDP" : "TCP") : "HTTP";
    Map<String, String> userTags = AwsOwnership.userTags(spec.tags);
    TargetGroups.Result tg =
        TargetGroups.ensure(
            elb,
            route,
            new TargetGroups.Desired(
                targetGroupName(route, targetType),
                protocol,
                spec.target.containerPort,
                targetType,
                spec.healthCheck,
                spec.deregistrationDelaySeconds,
                AwsOwnership.tags(route, userTags),
                legacyTargetGroupName(route, targetType)),
            previous == null ? null : previous.targetGroupArn,
            Boolean.TRUE.equals(spec.adopt),
            () ->
                ListenerRules.resolve(elb, listener, null, null, null)
                    .orElseThrow(
                        () -> new IllegalStateException("listener " + listener + " not found"))
                    .vpcId());
    if (tg.nameConflict().isPresent()) {
      return Applied.problem("NameConflict", tg.nameConflict().get());
    }
    List<String> retired = new ArrayList<>();
    if (previous != null && previous.retiredTargetGroupArns != null) {
      retired.addAll(previous.retiredTargetGroupArns);
    }
    tg.replaced().filter(a -> !retired.contains(a)).ifPresent(retired::add);
    retired.remove(tg.arn());
    List<ListenerRules.Desired> desired = new ArrayList<>();
    List<RouteRule> rules = network || spec.rules == null ? List.of() : spec.rules;
    for (int i = 0; i < rules.size(); i++) {
      desired.add(
          new ListenerRules.Desired(
              priorities.get(i), ListenerRuleConditions.of(rules.get(i).conditions), tg.arn()));
    }
    List<String> known = new ArrayList<>();
    if (previous != null && previous.rules != null) {
      previous.rules.forEach(r -> known.add(r == null ? null : r.ruleArn));
    }
    boolean moved = observed.movedFrom() != null;
    if (observed.shared()
        && (moved
            || !ListenerRules.inPlace(
                observed.rules(), observed.unplanned(), route, desired, known))) {
      // the rules were another route's read: enough to see that nothing is to be written, but a
      // write (and the priorities it takes) is decided on a read of the route's own
      return Applied.rereadListener();
    }
    int moveDeletes = moved ? (int) known.stream().filter(a -> a != null).count() : 0;
    if (moved && !sameLoadBalancer(observed.movedFrom(), listener)) {
      // a target group serves one load balancer: its rules there go before any is made here
      ListenerRules.deleteAll(elb, known);
    }
    if (network && known.stream().allMatch(a -> a == null)) {
      return new Applied(
          listener,
          observed.source(),
          tg.arn(),
          List.of(),
          retired,
          Optional.empty(),
          Optional.empty(),
          null,
          moveDeletes,
          false);
    }
    ListenerRules.Converged converged =
        ListenerRules.converge(
            elb,
            listener,
            observed.rules(),
            observed.unplanned(),
            route,
            desired,
            moved ? List.of() : known,
            userTags,
            reserved);
    if (moved) {
      // on the same load balancer, the new rules are in place before the old ones go
      ListenerRules.deleteAll(elb, known);
    }
    return new Applied(
        listener,
        observed.source(),
        tg.arn(),
        converged.arns(),
        retired,
        converged.waiting(),
        Optional.empty(),
        null,
        converged.writes() + moveDeletes,
        false);
  }

  /**
   * Whether two listener ARNs ({@code ...:listener/app/<lb>/<lb-id>/<id>}) share a load balancer.
   */
  static boolean sameLoadBalancer(String listenerA, String listenerB) {
    return loadBalancerOf(listenerA).equals(loadBalancerOf(listenerB));
  }

  private static String loadBalancerOf(String listenerArn) {
    int cut = listenerArn.lastIndexOf('/');
    return cut < 0 ? listenerArn : listenerArn.substring(0, cut);
  }

  /** Deletes retired target groups that nothing uses any more; returns those still kept. */
  public static List<String> deleteRetired(ElasticLoadBalancingV2Client elb, List<String> arns) {
    List<String> kept = new ArrayList<>();
    for (String arn : arns) {
      if (!TargetGroups.deleteIfUnused(elb, arn)) kept.add(arn);
    }
    return kept;
  }

  /**
   * Which of {@code targetGroupArns} the ECS service {@code serviceArn} (null: none) does not name
   * among its load balancers any more (one DescribeServices).
   */
  public static List<String> notUsedByService(
      software.amazon.awssdk.services.ecs.EcsClient ecs,
      String serviceArn,
      List<String> targetGroupArns) {
    if (serviceArn == null) return List.copyOf(targetGroupArns);
    // arn:aws:ecs:<region>:<account>:service/<cluster>/<name>
    String[] parts = serviceArn.split("/");
    String cluster = parts.length >= 3 ? parts[parts.length - 2] : null;
    var services =
        ecs.describeServices(
                r -> {
                  r.services(serviceArn);
                  if (cluster != null) r.cluster(cluster);
                })
            .services();
    Set<String> used = new java.util.HashSet<>();
    services.stream()
        .filter(x -> !"INACTIVE".equals(x.status()))
        .forEach(x -> x.loadBalancers().forEach(lb -> used.add(lb.targetGroupArn())));
    return targetGroupArns.stream().filter(a -> !used.contains(a)).toList();
  }

  /** Deletes the route's rules, then its target groups (status names them). */
  public static void delete(ElasticLoadBalancingV2Client elb, LoadBalancerRouteStatus status) {
    if (status == null) return;
    if (status.rules != null) {
      ListenerRules.deleteAll(elb, status.rules.stream().map((RuleStatus r) -> r.ruleArn).toList());
    }
    if (status.targetGroupArn != null) {
      TargetGroups.delete(elb, status.targetGroupArn);
    }
    if (status.retiredTargetGroupArns != null) {
      status.retiredTargetGroupArns.forEach(arn -> TargetGroups.delete(elb, arn));
    }
  }
}
