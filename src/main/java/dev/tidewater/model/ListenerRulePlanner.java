package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RouteRule;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RuleStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, before any write, the priority of every rule of every LoadBalancerRoute on a listener:
 * explicit priorities are unique per listener (a clash puts the later route, by creationTimestamp
 * then uid, in {@value #PRIORITY_CONFLICT}); rules without a priority get one deterministically,
 * kept stable by reading back the one reported in status. Which routes share a listener depends on
 * how each is realised ({@link RouteRealisation#listenerKey}): routes that cannot meet on one
 * listener never conflict. Shared by the kubernetes and ecs backends; pure.
 */
public final class ListenerRulePlanner {

  /** Condition reason of a route whose explicit priority an earlier route already uses. */
  public static final String PRIORITY_CONFLICT = "PriorityConflict";

  /**
   * Condition reason of a route that would take traffic an older route of another namespace already
   * routes on the same listener (a host and path in common).
   */
  public static final String ROUTE_CONFLICT = "RouteConflict";

  /**
   * What one rule matches: its host headers, path patterns, HTTP methods and source CIDRs (each
   * empty: any), and whether it has HTTP header conditions. Two rules overlap when some request
   * matches both: for every kind, a value of one and a value of the other can match one request
   * ({@link AlbOverlap}: wildcards, hosts ignoring case, paths case-sensitive, methods exact, CIDRs
   * sharing an address), an absent condition matching everything. The kinds are independent parts
   * of a request, so the overlaps of the kinds combine into one request. HTTP header conditions
   * never prove two rules disjoint: a client may send a header more than once, and each value may
   * satisfy one rule.
   */
  public record RuleMatch(
      List<String> hosts,
      List<String> paths,
      List<String> methods,
      List<String> sourceIps,
      boolean headers) {

    public RuleMatch {
      hosts = hosts == null ? List.of() : List.copyOf(hosts);
      paths = paths == null ? List.of() : List.copyOf(paths);
      methods = methods == null ? List.of() : List.copyOf(methods);
      sourceIps = sourceIps == null ? List.of() : List.copyOf(sourceIps);
    }

    /** A rule matching hosts and paths only. */
    public RuleMatch(List<String> hosts, List<String> paths) {
      this(hosts, paths, null, null, false);
    }

    /** What this rule and {@code other} both match, described; empty when they are disjoint. */
    Optional<String> overlap(RuleMatch other) {
      Optional<String> host = AlbOverlap.common(hosts, other.hosts, AlbOverlap::hostsOverlap);
      Optional<String> path = AlbOverlap.common(paths, other.paths, AlbOverlap::pathsOverlap);
      Optional<String> method = AlbOverlap.commonExact(methods, other.methods);
      Optional<String> ip = AlbOverlap.common(sourceIps, other.sourceIps, AlbOverlap::cidrsOverlap);
      if (host.isEmpty() || path.isEmpty() || method.isEmpty() || ip.isEmpty()) {
        return Optional.empty();
      }
      StringBuilder what = new StringBuilder("host " + host.get() + ", path " + path.get());
      if (!methods.isEmpty() || !other.methods.isEmpty())
        what.append(", method ").append(method.get());
      if (!sourceIps.isEmpty() || !other.sourceIps.isEmpty()) {
        what.append(", source IP ").append(ip.get());
      }
      return Optional.of(what.toString());
    }

    /**
     * This rule as realised in ingress or gateway mode: a path {@code /api/*} becomes a prefix
     * {@code /api/}, which the AWS Load Balancer Controller (and Gateway API) also match on {@code
     * /api}, so {@code /api} is matched too.
     */
    RuleMatch asPrefixes() {
      List<String> wider = new ArrayList<>(paths);
      for (String p : paths) {
        String prefix = p.endsWith("/*") ? p.substring(0, p.length() - 2) : null;
        if (prefix != null
            && !prefix.isEmpty()
            && prefix.startsWith("/")
            && prefix.indexOf('*') < 0
            && prefix.indexOf('?') < 0) {
          wider.add(prefix);
        }
      }
      return new RuleMatch(hosts, wider, methods, sourceIps, headers);
    }
  }

  public static final int MIN_PRIORITY = 1;
  public static final int MAX_PRIORITY = 50000;

  /** Lowest and highest {@code group.order} the AWS Load Balancer Controller accepts. */
  public static final int MIN_GROUP_ORDER = -1000;

  public static final int MAX_GROUP_ORDER = 1000;

  /**
   * One route as the planner sees it.
   *
   * @param listener the listener identity ({@link RouteRealisation#listenerKey}): routes are
   *     planned together, and conflict, only with routes of the same listener
   * @param group the routes ranked together for {@code group.order} ({@link
   *     RouteRealisation#groupKey}): the IngressGroup in ingress mode
   * @param explicit per rule, its explicit priority or null
   * @param previous per rule, the priority status reported last time (may be shorter, or hold
   *     nulls)
   */
  public record Route(
      String namespace,
      String name,
      String uid,
      String creationTimestamp,
      String listener,
      String group,
      List<Integer> explicit,
      List<Integer> previous,
      List<RuleMatch> matches) {

    public Route {
      matches = matches == null ? List.of() : List.copyOf(matches);
    }

    /** A route whose rules' matches are not compared (none known). */
    public Route(
        String namespace,
        String name,
        String uid,
        String creationTimestamp,
        String listener,
        String group,
        List<Integer> explicit,
        List<Integer> previous) {
      this(namespace, name, uid, creationTimestamp, listener, group, explicit, previous, List.of());
    }

    String id() {
      return namespace + "/" + name;
    }

    /** This route on the listener {@code key} (its listener as resolved from AWS). */
    public Route onListener(String key) {
      return new Route(
          namespace, name, uid, creationTimestamp, key, key, explicit, previous, matches);
    }
  }

  /**
   * Why a route is not applied: rule {@code ruleIndex} wants a priority another route holds, or
   * (when {@code foreignRuleArn} is set) a rule on the listener that Tidewater does not manage.
   */
  public record Conflict(
      int ruleIndex,
      int priority,
      String otherNamespace,
      String otherName,
      String foreignRuleArn,
      String overlap) {

    public Conflict(int ruleIndex, int priority, String otherNamespace, String otherName) {
      this(ruleIndex, priority, otherNamespace, otherName, null, null);
    }

    public Conflict(
        int ruleIndex,
        int priority,
        String otherNamespace,
        String otherName,
        String foreignRuleArn) {
      this(ruleIndex, priority, otherNamespace, otherName, foreignRuleArn, null);
    }

    /** Rule {@code ruleIndex} matches what an older route of another namespace routes. */
    static Conflict route(int ruleIndex, Route other, String overlap) {
      return new Conflict(ruleIndex, 0, other.namespace(), other.name(), null, overlap);
    }

    /** The condition reason: {@link #ROUTE_CONFLICT} or {@link #PRIORITY_CONFLICT}. */
    public String reason() {
      return overlap != null ? ROUTE_CONFLICT : PRIORITY_CONFLICT;
    }

    /** A priority held by a rule of the listener that no route of Tidewater owns. */
    static Conflict foreign(int ruleIndex, int priority, String ruleArn) {
      return new Conflict(ruleIndex, priority, null, null, ruleArn);
    }

    public String message() {
      if (overlap != null) {
        return "spec.rules["
            + ruleIndex
            + "].conditions match what LoadBalancerRoute "
            + otherNamespace
            + "/"
            + otherName
            + " of namespace "
            + otherNamespace
            + " already routes on this listener ("
            + overlap
            + "), and it is older: a namespace never takes another's traffic";
      }
      if (foreignRuleArn != null) {
        return "spec.rules["
            + ruleIndex
            + "].priority "
            + priority
            + " is already used on this listener by rule "
            + foreignRuleArn
            + ", which Tidewater does not manage (created by the console, Terraform, another"
            + " controller or another cluster); choose another priority or remove that rule";
      }
      return "spec.rules["
          + ruleIndex
          + "].priority "
          + priority
          + " is already used on this listener by LoadBalancerRoute "
          + otherNamespace
          + "/"
          + otherName
          + ", which is older; choose another priority";
    }
  }

  /**
   * The decision for one route.
   *
   * @param priorities per rule, the priority it gets (null only when the route is in conflict)
   * @param conflict the first conflict, when the route must not be applied
   */
  public record Plan(List<Integer> priorities, Optional<Conflict> conflict) {}

  /** A planned rule, for ranking an ingress group. */
  public record RankedRule(String namespace, String name, int ruleIndex, int priority) {}

  /**
   * A route resource as planner input (spec priorities, status priorities), with its listener and
   * group as its Cluster realises it ({@link RouteRealisation#listenerKey}).
   *
   * @param cluster the spec of the route's Cluster; null for the implicit kubernetes default
   */
  public static Route route(LoadBalancerRoute r, ClusterSpec cluster) {
    List<Integer> explicit = new ArrayList<>();
    List<RouteRule> rules =
        r.getSpec() == null || r.getSpec().rules == null ? List.of() : r.getSpec().rules;
    rules.forEach(rule -> explicit.add(rule == null ? null : rule.priority));
    String ns = r.getMetadata().getNamespace();
    String name = r.getMetadata().getName();
    RouteRealisation how = r.getSpec() == null ? null : RouteRealisation.of(cluster, r.getSpec());
    List<RuleMatch> matches = new ArrayList<>();
    for (RouteRule rule : rules) {
      RuleMatch m = rule == null || rule.conditions == null ? new RuleMatch(null, null) : of(rule);
      matches.add(
          how == RouteRealisation.INGRESS || how == RouteRealisation.GATEWAY ? m.asPrefixes() : m);
    }
    String listener = how == null ? "" : how.listenerKey(ns, name, r.getSpec(), cluster);
    if (how == RouteRealisation.ELBV2) {
      listener = resolvedListener(r).map(RouteRealisation::elbv2Key).orElse(listener);
    }
    return new Route(
        ns,
        name,
        r.getMetadata().getUid(),
        r.getMetadata().getCreationTimestamp(),
        listener,
        // ELBv2 routes rank per listener: the group is the (resolved) listener
        how == null
            ? ""
            : how == RouteRealisation.ELBV2
                ? listener
                : how.groupKey(ns, name, r.getSpec(), cluster),
        explicit,
        statusPriorities(r),
        matches);
  }

  private static RuleMatch of(RouteRule rule) {
    var c = rule.conditions;
    return new RuleMatch(
        c.hostHeaders,
        c.pathPatterns,
        c.httpRequestMethods,
        c.sourceIps,
        c.httpHeaders != null && !c.httpHeaders.isEmpty());
  }

  /**
   * The ARN of the ELBv2 listener the route is on, where it is known without a call: {@code
   * spec.listener.arn}, else the listener its status says the spec's load balancer and port
   * resolved to (when the status was resolved from what the spec names now). Routes naming one
   * listener in different ways share it once resolved; a route never resolved yet (new, or its
   * listener not found) keeps the key of its load balancer and port until the reconciler resolves
   * it.
   */
  static Optional<String> resolvedListener(LoadBalancerRoute r) {
    var spec = r.getSpec();
    if (spec == null || spec.listener == null) return Optional.empty();
    if (spec.listener.arn != null) return Optional.of(spec.listener.arn);
    var status = r.getStatus();
    if (spec.loadBalancer == null
        || status == null
        || status.listenerArn == null
        || !RouteRealisation.listenerSource(spec).equals(status.listenerSource)) {
      return Optional.empty();
    }
    return Optional.of(status.listenerArn);
  }

  /** Per rule, the priority the route's status reported (may be shorter, or hold nulls). */
  public static List<Integer> statusPriorities(LoadBalancerRoute r) {
    List<Integer> previous = new ArrayList<>();
    if (r.getStatus() != null && r.getStatus().rules != null) {
      for (RuleStatus s : r.getStatus().rules) {
        previous.add(s == null ? null : s.priority);
      }
    }
    return previous;
  }

  /** Older first: creationTimestamp (RFC 3339 in UTC sorts as text), then uid. */
  static final Comparator<Route> AGE =
      Comparator.comparing((Route r) -> r.creationTimestamp() == null ? "" : r.creationTimestamp())
          .thenComparing(r -> r.uid() == null ? "" : r.uid());

  /** The plan of every route, keyed by {@code namespace/name}; routes of any listener. */
  public Map<String, Plan> plan(List<Route> routes) {
    return plan(routes, Map.of());
  }

  /**
   * The plan of every route, with the priorities that rules Tidewater does not manage hold on a
   * listener (observed with DescribeRules): they are taken before any route claims one, so a route
   * asking for one is in conflict naming that rule, and assigned priorities skip them.
   *
   * @param foreign per listener key, priority → ARN of the rule that holds it
   */
  public Map<String, Plan> plan(List<Route> routes, Map<String, Map<Integer, String>> foreign) {
    Map<String, List<Route>> byListener = new LinkedHashMap<>();
    routes.forEach(r -> byListener.computeIfAbsent(r.listener(), k -> new ArrayList<>()).add(r));
    Map<String, Plan> plans = new HashMap<>();
    byListener.forEach(
        (key, onOne) -> plans.putAll(planListener(onOne, foreign.getOrDefault(key, Map.of()))));
    return plans;
  }

  /** The plan of {@code namespace/name} among {@code routes}. */
  public Plan planOf(List<Route> routes, String namespace, String name) {
    return plan(routes).get(namespace + "/" + name);
  }

  private static Map<String, Plan> planListener(
      List<Route> unsorted, Map<Integer, String> foreign) {
    List<Route> routes = new ArrayList<>(unsorted);
    routes.sort(AGE);
    Map<Integer, Route> claimed = new HashMap<>();
    Map<String, Conflict> conflicts = new HashMap<>();
    Map<String, Integer[]> assigned = new LinkedHashMap<>();
    // 0. oldest first, a route matching what an older route of another namespace routes (that
    // is not itself refused) is refused: whatever its priorities, it never takes that traffic
    for (int n = 0; n < routes.size(); n++) {
      Route r = routes.get(n);
      for (int o = 0; o < n && !conflicts.containsKey(r.id()); o++) {
        Route older = routes.get(o);
        if (older.namespace().equals(r.namespace()) || conflicts.containsKey(older.id())) continue;
        routeConflict(r, older).ifPresent(c -> conflicts.put(r.id(), c));
      }
    }
    // 1. explicit priorities, oldest first: every route claims its own, a taken one is a conflict
    for (Route r : routes) {
      Integer[] p = new Integer[r.explicit().size()];
      if (conflicts.containsKey(r.id())) {
        // refused for its conditions: it claims no priority
        assigned.put(r.id(), p);
        continue;
      }
      for (int i = 0; i < p.length; i++) {
        Integer want = r.explicit().get(i);
        if (want == null) continue;
        if (foreign.containsKey(want)) {
          conflicts.putIfAbsent(r.id(), Conflict.foreign(i, want, foreign.get(want)));
          continue;
        }
        Route holder = claimed.get(want);
        if (holder != null && holder != r) {
          conflicts.putIfAbsent(r.id(), new Conflict(i, want, holder.namespace(), holder.name()));
        } else {
          claimed.put(want, r);
          p[i] = want;
        }
      }
      assigned.put(r.id(), p);
    }
    Set<Integer> taken = new HashSet<>(claimed.keySet());
    taken.addAll(foreign.keySet());
    // a route in conflict writes nothing, so its rules stay where they are: no other route is
    // given their priorities (only an explicit claim above takes one, and the loser lets go of it)
    for (Route r : routes) {
      if (!conflicts.containsKey(r.id())) continue;
      r.previous().stream()
          .filter(p -> p != null && p >= MIN_PRIORITY && p <= MAX_PRIORITY)
          .forEach(taken::add);
    }
    // 2. rules without a priority keep the one they had, when nothing explicit took it since
    for (Route r : routes) {
      if (conflicts.containsKey(r.id())) continue;
      Integer[] p = assigned.get(r.id());
      for (int i = 0; i < p.length; i++) {
        if (r.explicit().get(i) != null) continue;
        Integer before = i < r.previous().size() ? r.previous().get(i) : null;
        if (before != null
            && before >= MIN_PRIORITY
            && before <= MAX_PRIORITY
            && taken.add(before)) {
          p[i] = before;
        }
      }
    }
    // 3. the rest get the lowest free priority after the rule before them in their route
    TreeSet<Integer> used = new TreeSet<>(taken);
    for (Route r : routes) {
      if (conflicts.containsKey(r.id())) continue;
      Integer[] p = assigned.get(r.id());
      for (int i = 0; i < p.length; i++) {
        if (p[i] != null) continue;
        int after = i == 0 || p[i - 1] == null ? 0 : p[i - 1];
        int candidate = after + 1;
        while (candidate <= MAX_PRIORITY && used.contains(candidate)) candidate++;
        if (candidate > MAX_PRIORITY) {
          candidate = MIN_PRIORITY;
          while (candidate <= MAX_PRIORITY && used.contains(candidate)) candidate++;
        }
        if (candidate > MAX_PRIORITY) {
          conflicts.put(r.id(), new Conflict(i, MAX_PRIORITY, r.namespace(), r.name()));
          break;
        }
        used.add(candidate);
        p[i] = candidate;
      }
    }
    Map<String, Plan> plans = new LinkedHashMap<>();
    for (Route r : routes) {
      Conflict c = conflicts.get(r.id());
      List<Integer> priorities = new ArrayList<>();
      for (Integer v : assigned.get(r.id())) priorities.add(c == null ? v : null);
      plans.put(r.id(), new Plan(priorities, Optional.ofNullable(c)));
    }
    return plans;
  }

  /** The first rule of {@code r} that matches what a rule of {@code older} does. */
  private static Optional<Conflict> routeConflict(Route r, Route older) {
    for (int i = 0; i < r.matches().size(); i++) {
      for (RuleMatch theirs : older.matches()) {
        Optional<String> overlap = r.matches().get(i).overlap(theirs);
        if (overlap.isPresent()) return Optional.of(Conflict.route(i, older, overlap.get()));
      }
    }
    return Optional.empty();
  }

  /**
   * The {@code alb.ingress.kubernetes.io/group.order} of each planned rule of one ingress group:
   * its rank by priority (then namespace, name, rule index) among all rules of the group, as an
   * order from {@value #MIN_GROUP_ORDER} up. The controller turns orders into real priorities, so
   * only the relative order is kept; past 2001 rules the last ones share {@value #MAX_GROUP_ORDER}.
   */
  public static Map<RankedRule, Integer> groupOrders(List<RankedRule> rules) {
    List<RankedRule> sorted = new ArrayList<>(rules);
    sorted.sort(
        Comparator.comparingInt(RankedRule::priority)
            .thenComparing(RankedRule::namespace)
            .thenComparing(RankedRule::name)
            .thenComparingInt(RankedRule::ruleIndex));
    Map<RankedRule, Integer> orders = new LinkedHashMap<>();
    for (int i = 0; i < sorted.size(); i++) {
      orders.put(sorted.get(i), Math.min(MAX_GROUP_ORDER, MIN_GROUP_ORDER + i));
    }
    return orders;
  }

  /**
   * The {@code group.order} of each rule of {@code route} (ingress mode): its rank among the rules
   * of every route of its load balancer, from {@link #plan}'s result.
   */
  public static List<Integer> groupOrdersOf(
      Route route, Plan plan, List<Route> peers, Map<String, Plan> plans) {
    Map<RankedRule, Integer> ranked = groupOrders(rankedRules(peers, plans, route.group()));
    List<Integer> orders = new ArrayList<>();
    for (int i = 0; i < plan.priorities().size(); i++) {
      orders.add(
          ranked.get(new RankedRule(route.namespace(), route.name(), i, plan.priorities().get(i))));
    }
    return orders;
  }

  /** The ranked rules of every route of {@code group} that is not in conflict. */
  public static List<RankedRule> rankedRules(
      List<Route> routes, Map<String, Plan> plans, String group) {
    List<RankedRule> out = new ArrayList<>();
    for (Route r : routes) {
      if (!group.equals(r.group())) continue;
      Plan p = plans.get(r.id());
      if (p == null || p.conflict().isPresent()) continue;
      for (int i = 0; i < p.priorities().size(); i++) {
        Integer prio = p.priorities().get(i);
        if (prio != null) out.add(new RankedRule(r.namespace(), r.name(), i, prio));
      }
    }
    return out;
  }
}
