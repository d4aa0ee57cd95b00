package dev.tidewater.backend.aws;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeListenersResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeRulesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RulePriorityPair;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;

/**
 * The listener rules of one LoadBalancerRoute (aws routing mode and the ecs backend alike), with
 * their exact priorities: one DescribeRules of the listener is compared with the desired rules;
 * ModifyRule on changed conditions or target, SetRulePriorities on changed priorities, CreateRule
 * (tagged with the owner) for new ones, DeleteRule for removed ones; zero writes when they match. A
 * rule missing from status (a crash after CreateRule) is found again at its priority by its owner
 * tags, or deleted when it is not at a wanted priority; what is ours is decided by {@link
 * AwsOwnership#claim} over owner, uid and cluster tags, so another cluster's rule is never changed
 * or deleted.
 */
public final class ListenerRules {

  /** One rule to have. */
  public record Desired(int priority, List<RuleCondition> conditions, String targetGroupArn) {}

  private ListenerRules() {}

  /** Every rule of a listener (DescribeRules pages; one call for up to 400 rules). */
  public static List<Rule> describe(ElasticLoadBalancingV2Client elb, String listenerArn) {
    List<Rule> rules = new ArrayList<>();
    String marker = null;
    do {
      String m = marker;
      DescribeRulesResponse page =
          elb.describeRules(
              r -> {
                r.listenerArn(listenerArn).pageSize(400);
                if (m != null) r.marker(m);
              });
      rules.addAll(page.rules());
      marker = page.nextMarker();
    } while (marker != null);
    return rules;
  }

  /** At most this many ARNs per DescribeTags call (an ELBv2 limit). */
  static final int DESCRIBE_TAGS_BATCH = 20;

  /** The temporary priorities a moving rule parks on are taken from the top of the range. */
  static final int HIGHEST_PRIORITY = 50000;

  /**
   * The tags of listener rules, read with DescribeTags in batches of {@value #DESCRIBE_TAGS_BATCH}
   * and remembered per rule ARN for {@link #FRESH}: a resync of a listener with rules Tidewater
   * does not manage costs no DescribeTags, and a rule tagged later (by hand, or by another cluster)
   * is seen as it is within that time. One per AWS context (an ARN names its account and region,
   * but an emulator reuses ARNs after a reset); {@link #clear} forgets everything.
   */
  public static final class RuleTags {

    /** How long the tags of a rule are taken as read. */
    public static final Duration FRESH = Duration.ofMinutes(10);

    private static final int MAX_ENTRIES = 50_000;

    private record Entry(Map<String, String> tags, Instant read) {}

    private final Clock clock;
    private final Map<String, Entry> byArn = new ConcurrentHashMap<>();

    public RuleTags() {
      this(Clock.systemUTC());
    }

    RuleTags(Clock clock) {
      this.clock = clock;
    }

    /** The tags of each rule of {@code arns} (empty when untagged or gone). */
    public Map<String, Map<String, String>> of(
        ElasticLoadBalancingV2Client elb, Collection<String> arns) {
      Instant now = clock.instant();
      Map<String, Map<String, String>> out = new HashMap<>();
      List<String> unknown = new ArrayList<>();
      for (String arn : arns) {
        Entry e = byArn.get(arn);
        if (e != null && e.read().plus(FRESH).isAfter(now)) out.put(arn, e.tags());
        else unknown.add(arn);
      }
      for (int from = 0; from < unknown.size(); from += DESCRIBE_TAGS_BATCH) {
        List<String> batch =
            unknown.subList(from, Math.min(unknown.size(), from + DESCRIBE_TAGS_BATCH));
        for (TagDescription d : elb.describeTags(r -> r.resourceArns(batch)).tagDescriptions()) {
          Map<String, String> tags = new HashMap<>();
          d.tags().forEach(t -> tags.put(t.key(), t.value()));
          out.put(d.resourceArn(), Map.copyOf(tags));
        }
        if (byArn.size() > MAX_ENTRIES) byArn.clear();
        for (String arn : batch) {
          Map<String, String> tags = out.computeIfAbsent(arn, a -> Map.of());
          byArn.put(arn, new Entry(tags, now));
        }
      }
      return out;
    }

    /** Forgets every rule's tags. */
    public void clear() {
      byArn.clear();
    }
  }

  /**
   * The tags of the listener's rules that no route planned on it names in its status (not the
   * default rule): the rules Tidewater does not manage, and ours that status lost (a crash after
   * CreateRule).
   */
  public static Map<String, Map<String, String>> unplannedTags(
      RuleTags tags,
      ElasticLoadBalancingV2Client elb,
      List<Rule> observed,
      Set<String> plannedArns) {
    List<String> candidates =
        observed.stream()
            .filter(r -> !Boolean.TRUE.equals(r.isDefault()) && !plannedArns.contains(r.ruleArn()))
            .map(Rule::ruleArn)
            .toList();
    return candidates.isEmpty() ? Map.of() : tags.of(elb, candidates);
  }

  /**
   * The priorities held on a listener by rules no route of Tidewater on it owns: of the rules in
   * {@code unplanned} (see {@link #unplannedTags}), those that are not ours ({@link
   * AwsOwnership#claim}, by owner, uid and cluster tags) for any route planned on the listener. A
   * rule of another Kubernetes cluster is foreign even under a route's own name. These are taken
   * priorities for the planner.
   */
  public static Map<Integer, String> foreign(
      List<Rule> observed,
      Map<String, Map<String, String>> unplanned,
      List<? extends HasMetadata> plannedRoutes) {
    Map<Integer, String> foreign = new HashMap<>();
    for (Rule r : observed) {
      Map<String, String> tags = unplanned.get(r.ruleArn());
      if (tags == null) continue;
      if (plannedRoutes.stream().anyMatch(p -> AwsOwnership.claim(p, tags).ours())) continue;
      try {
        foreign.put(Integer.parseInt(r.priority()), r.ruleArn());
      } catch (NumberFormatException e) {
        // "default": not a priority
      }
    }
    return foreign;
  }

  /**
   * What {@link #converge} did: per desired rule its ARN (null when it could not be created yet),
   * when some rule waits for a priority another rule of Tidewater still holds, why, and how many
   * rule writes it made.
   */
  public record Converged(List<String> arns, Optional<String> waiting, int writes) {}

  /**
   * The listener's rules matched to the desired ones: per desired rule the rule that is it (by the
   * ARN status recorded, else by its priority and the owner's tags; null when none is), and the
   * rules of the owner that are not wanted any more (named in status, or ours by tags).
   */
  private record Match(Rule[] matched, Set<String> unwanted) {}

  private static Match match(
      List<Rule> observed,
      Map<String, Map<String, String>> unplanned,
      HasMetadata owner,
      List<Desired> desired,
      List<String> known) {
    Map<String, Rule> byArn = new HashMap<>();
    Map<String, Rule> byPriority = new HashMap<>();
    for (Rule r : observed) {
      byArn.put(r.ruleArn(), r);
      byPriority.put(r.priority(), r);
    }
    Set<String> knownArns = new java.util.LinkedHashSet<>();
    known.stream().filter(a -> a != null && byArn.containsKey(a)).forEach(knownArns::add);
    Rule[] matched = new Rule[desired.size()];
    Set<String> used = new HashSet<>();
    for (int i = 0; i < desired.size(); i++) {
      String arn = i < known.size() ? known.get(i) : null;
      if (arn != null && byArn.containsKey(arn) && used.add(arn)) matched[i] = byArn.get(arn);
    }
    // a rule at a wanted priority that status does not know: ours only by its tags
    for (int i = 0; i < desired.size(); i++) {
      if (matched[i] != null) continue;
      Rule at = byPriority.get(String.valueOf(desired.get(i).priority()));
      if (at != null
          && !used.contains(at.ruleArn())
          && ours(owner, unplanned.get(at.ruleArn()))
          && used.add(at.ruleArn())) {
        matched[i] = at;
      }
    }
    // rules no longer wanted: those status names, and ours that status lost
    Set<String> unwanted = new java.util.LinkedHashSet<>(knownArns);
    unplanned.forEach(
        (arn, tags) -> {
          if (byArn.containsKey(arn) && ours(owner, tags)) unwanted.add(arn);
        });
    unwanted.removeAll(used);
    return new Match(matched, unwanted);
  }

  /**
   * Whether {@link #converge} with these inputs writes nothing: every desired rule is a rule of the
   * owner's on the listener at its priority, with its conditions and target, and no rule of the
   * owner is left to delete. What a route that read its listener's rules from another route's read
   * asks before it writes: only a write needs a read of its own.
   */
  public static boolean inPlace(
      List<Rule> observed,
      Map<String, Map<String, String>> unplanned,
      HasMetadata owner,
      List<Desired> desired,
      List<String> known) {
    Match m = match(observed, unplanned, owner, desired, known);
    if (!m.unwanted().isEmpty()) return false;
    for (int i = 0; i < desired.size(); i++) {
      Rule r = m.matched()[i];
      Desired d = desired.get(i);
      if (r == null
          || !String.valueOf(d.priority()).equals(r.priority())
          || !ListenerRuleConditions.matches(r, d.conditions(), d.targetGroupArn())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Brings the owner's rules on the listener to {@code desired}, given the listener's rules as
   * observed (one DescribeRules, read before planning).
   *
   * <p>A rule whose new priority another rule holds first parks on a free temporary priority (the
   * highest free ones, which no planned rule uses), so two rules — of this route or of two routes —
   * that swap priorities never wait for each other; it moves on once the holder has moved. A new
   * rule whose priority another rule still holds is created once that one has moved.
   *
   * <p>A rule of the listener that is ours ({@link AwsOwnership#claim}) but neither named in status
   * nor at a wanted priority (status lost it: a crash after CreateRule, then a changed priority) is
   * deleted; it would route on otherwise.
   *
   * @param unplanned the tags of the listener's rules no planned route names in its status ({@link
   *     #unplannedTags})
   * @param known per desired rule, the ARN status recorded (may be shorter, hold nulls, or name
   *     rules no longer wanted: those are deleted)
   * @param reserved priorities planned for any rule on the listener (never used to park)
   */
  public static Converged converge(
      ElasticLoadBalancingV2Client elb,
      String listenerArn,
      List<Rule> observed,
      Map<String, Map<String, String>> unplanned,
      HasMetadata owner,
      List<Desired> desired,
      List<String> known,
      Map<String, String> userTags,
      Set<Integer> reserved) {
    Match m = match(observed, unplanned, owner, desired, known);
    Rule[] matched = m.matched();
    int writes = 0;
    // where each rule of the listener is now (by priority), as the writes below change it
    Map<Integer, String> holder = new HashMap<>();
    for (Rule r : observed) {
      if (Boolean.TRUE.equals(r.isDefault())) continue;
      holder.put(Integer.parseInt(r.priority()), r.ruleArn());
    }
    // 1. rules no longer wanted go first, freeing their priorities: those status names, and ours
    // that status lost
    for (String arn : m.unwanted()) {
      deleteRule(elb, arn);
      writes++;
      holder.values().remove(arn);
    }
    // 2. changed priorities, in rounds of one SetRulePriorities each: a rule moves once its
    // target is free; when none can, the blocked ones park on free temporary priorities once
    // (a swap, within this route or with another route's rules) and the rounds go on
    List<String> waiting = new ArrayList<>();
    Map<String, Integer> at = new HashMap<>();
    holder.forEach((p, arn) -> at.put(arn, p));
    Set<Integer> pending = new java.util.TreeSet<>();
    for (int i = 0; i < desired.size(); i++) {
      if (matched[i] != null && at.get(matched[i].ruleArn()) != desired.get(i).priority()) {
        pending.add(i);
      }
    }
    boolean parked = false;
    while (!pending.isEmpty()) {
      List<RulePriorityPair> moves = new ArrayList<>();
      Map<Integer, String> freed = new HashMap<>();
      for (var it = pending.iterator(); it.hasNext(); ) {
        int i = it.next();
        int want = desired.get(i).priority();
        String arn = matched[i].ruleArn();
        if (holder.containsKey(want)) continue;
        freed.put(at.get(arn), arn);
        holder.put(want, arn);
        at.put(arn, want);
        moves.add(RulePriorityPair.builder().ruleArn(arn).priority(want).build());
        it.remove();
      }
      if (!moves.isEmpty()) {
        freed.forEach((p, arn) -> holder.remove(p, arn));
        elb.setRulePriorities(r -> r.rulePriorities(moves));
        writes++;
        continue;
      }
      if (parked) break;
      parked = true;
      List<RulePriorityPair> parks = new ArrayList<>();
      for (int i : pending) {
        String arn = matched[i].ruleArn();
        if (isParked(at.get(arn), reserved)) continue;
        int temp = freeTemporary(arn, holder.keySet(), reserved);
        holder.remove(at.get(arn), arn);
        holder.put(temp, arn);
        at.put(arn, temp);
        parks.add(RulePriorityPair.builder().ruleArn(arn).priority(temp).build());
      }
      if (parks.isEmpty()) break;
      elb.setRulePriorities(r -> r.rulePriorities(parks));
      writes++;
    }
    for (int i : pending) {
      int want = desired.get(i).priority();
      waiting.add("priority " + want + " (still held by rule " + holder.get(want) + ")");
    }
    // 3. changed conditions / target, and new rules
    List<String> arns = new ArrayList<>();
    for (int i = 0; i < desired.size(); i++) {
      Desired d = desired.get(i);
      Rule found = matched[i];
      if (found == null) {
        String there = holder.get(d.priority());
        if (there != null) {
          waiting.add("priority " + d.priority() + " (still held by rule " + there + ")");
          arns.add(null);
          continue;
        }
        String arn =
            elb.createRule(
                    r ->
                        r.listenerArn(listenerArn)
                            .priority(d.priority())
                            .conditions(d.conditions())
                            .actions(ListenerRuleConditions.forward(d.targetGroupArn()))
                            .tags(TargetGroups.sdkTags(AwsOwnership.tags(owner, userTags))))
                .rules()
                .get(0)
                .ruleArn();
        writes++;
        holder.put(d.priority(), arn);
        arns.add(arn);
      } else {
        if (!ListenerRuleConditions.matches(found, d.conditions(), d.targetGroupArn())) {
          elb.modifyRule(
              r ->
                  r.ruleArn(found.ruleArn())
                      .conditions(d.conditions())
                      .actions(ListenerRuleConditions.forward(d.targetGroupArn())));
          writes++;
        }
        arns.add(found.ruleArn());
      }
    }
    return new Converged(
        arns,
        waiting.isEmpty()
            ? Optional.empty()
            : Optional.of(
                "waiting for "
                    + String.join(", ", waiting)
                    + " to be moved by the LoadBalancerRoute that owns it"),
        writes);
  }

  private static boolean ours(HasMetadata owner, Map<String, String> tags) {
    return tags != null && AwsOwnership.claim(owner, tags).ours();
  }

  /** A rule already on a temporary priority stays there until its target is free. */
  private static boolean isParked(int priority, Set<Integer> reserved) {
    return priority > HIGHEST_PRIORITY - 1000 && !reserved.contains(priority);
  }

  /**
   * A free priority near the top of the range, spread by the rule's ARN so that two routes parking
   * at the same moment rarely pick the same one (the loser meets PriorityInUse and retries).
   */
  private static int freeTemporary(String arn, Set<Integer> taken, Set<Integer> reserved) {
    int start = HIGHEST_PRIORITY - Math.floorMod(arn.hashCode(), 500);
    for (int k = 0; k < HIGHEST_PRIORITY; k++) {
      int p = Math.floorMod(start - 1 - k, HIGHEST_PRIORITY) + 1;
      if (!taken.contains(p) && !reserved.contains(p)) return p;
    }
    throw new IllegalStateException("no free priority on the listener");
  }

  /** Deletes rules; already gone (or their listener gone) is fine. */
  public static void deleteAll(ElasticLoadBalancingV2Client elb, List<String> ruleArns) {
    for (String arn : ruleArns) {
      if (arn != null) deleteRule(elb, arn);
    }
  }

  private static void deleteRule(ElasticLoadBalancingV2Client elb, String arn) {
    try {
      elb.deleteRule(r -> r.ruleArn(arn));
    } catch (RuleNotFoundException | ListenerNotFoundException gone) {
      // deleted before
    }
  }

  /** The listener of a load balancer by port, and the load balancer's VPC. */
  public record Listener(String listenerArn, String loadBalancerArn, String vpcId) {}

  /**
   * Resolves a listener named by ARN, or by load balancer (name or ARN) and port: DescribeListeners
   * and DescribeLoadBalancers.
   */
  public static Optional<Listener> resolve(
      ElasticLoadBalancingV2Client elb,
      String listenerArn,
      String loadBalancerName,
      String loadBalancerArn,
      Integer port) {
    if (listenerArn != null) {
      List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener> l;
      try {
        l = elb.describeListeners(r -> r.listenerArns(listenerArn)).listeners();
      } catch (ListenerNotFoundException e) {
        return Optional.empty();
      }
      if (l.isEmpty()) return Optional.empty();
      String lbArn = l.get(0).loadBalancerArn();
      String vpc =
          elb.describeLoadBalancers(r -> r.loadBalancerArns(lbArn)).loadBalancers().get(0).vpcId();
      return Optional.of(new Listener(listenerArn, lbArn, vpc));
    }
    var lbs =
        loadBalancerArn != null
            ? elb.describeLoadBalancers(r -> r.loadBalancerArns(loadBalancerArn)).loadBalancers()
            : elb.describeLoadBalancers(r -> r.names(loadBalancerName)).loadBalancers();
    if (lbs.isEmpty()) return Optional.empty();
    var lb = lbs.get(0);
    String marker = null;
    do {
      String m = marker;
      DescribeListenersResponse page =
          elb.describeListeners(
              r -> {
                r.loadBalancerArn(lb.loadBalancerArn()).pageSize(400);
                if (m != null) r.marker(m);
              });
      Optional<Listener> found =
          page.listeners().stream()
              .filter(l -> port != null && port.equals(l.port()))
              .findFirst()
              .map(l -> new Listener(l.listenerArn(), lb.loadBalancerArn(), lb.vpcId()));
      if (found.isPresent()) return found;
      marker = page.nextMarker();
    } while (marker != null);
    return Optional.empty();
  }
}
