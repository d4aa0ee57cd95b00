package dev.tidewater.backend.aws;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.aws.AwsErrors;
import dev.tidewater.backend.RouteBackend;
import dev.tidewater.model.ListenerRulePlanner;
import dev.tidewater.model.Problem;
import dev.tidewater.model.RouteRealisation;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The ELBv2 side of a route, the same for the ecs backend and the kubernetes backend's {@code aws}
 * mode: reading its listener, the ELBv2 client its writes use, and letting go of its target groups
 * and rules ({@link ElbRoutes}). AWS failures come out as {@code BackendFailure}s.
 *
 * <p>The listener's rules are read through one {@link ListenerReads} for every route of the
 * operator: a settled route shares the read of the routes on its listener (half a resync period at
 * most old; they resync together, {@link #untilNextSweep}), a route that is new, changed or waiting
 * for the listener reads its own, and every rule write here drops the listener's read.
 */
public final class RouteElb {

  private final AwsClientFactory aws;
  private final ClusterAwsContexts awsContexts;
  private final KubernetesClient client;
  private final Duration resyncPeriod;
  // the tags of listener rules Tidewater does not manage, per AWS context (ARNs of two contexts,
  // or of an emulator before and after a reset, may be alike)
  private final Map<AwsContext, ListenerRules.RuleTags> ruleTags = new ConcurrentHashMap<>();
  private final ListenerReads reads;

  /**
   * @param client reads a Cluster's credentials Secret and a route's target Service
   * @param resyncPeriod how often settled routes look at their listener again
   */
  public RouteElb(
      AwsClientFactory aws,
      ClusterAwsContexts awsContexts,
      KubernetesClient client,
      Duration resyncPeriod) {
    this.aws = aws;
    this.awsContexts = awsContexts;
    this.client = client;
    this.resyncPeriod = resyncPeriod;
    this.reads =
        new ListenerReads(
            key -> ListenerRules.describe(aws.elbv2(key.context()), key.listenerArn()));
  }

  /**
   * Resolves the listener of an ELBv2 route and reads its rules, telling apart the rules of the
   * routes planned on it (by the rule ARNs in their status and their owner tags) from rules
   * Tidewater does not manage. The rules are a read the routes on the listener share when {@code
   * read} allows it and the route is settled ({@link #readsItsOwn}); else one of its own.
   */
  public RouteBackend.Listener observe(
      RouteBackend.Input in,
      java.util.function.Function<String, RouteBackend.Planned> plannedOn,
      RouteBackend.ListenerRead read) {
    return AwsFailures.translated(
        () -> {
          AwsContext ctx = context(in);
          var elb = aws.elbv2(ctx);
          ListenerRules.RuleTags tags =
              ruleTags.computeIfAbsent(ctx, c -> new ListenerRules.RuleTags());
          boolean own = read == RouteBackend.ListenerRead.OWN || readsItsOwn(in.route());
          return new RouteBackend.Listener(
              ctx,
              ElbRoutes.observe(
                  elb,
                  tags,
                  in.route(),
                  arn -> {
                    RouteBackend.Planned p = plannedOn.apply(arn);
                    return new ElbRoutes.Planned(p.ruleArns(), p.routes());
                  },
                  arn -> {
                    ListenerReads.Key key = new ListenerReads.Key(ctx, arn);
                    return own ? reads.fresh(key) : reads.shared(key, sharedFor());
                  }));
        });
  }

  /** How old a shared read of a listener may be: half a resync period. */
  private Duration sharedFor() {
    return resyncPeriod.dividedBy(2);
  }

  /**
   * Whether a route reads its listener itself rather than share the read of the routes on it: when
   * it is not settled at its generation (new, changed, or its last reconcile failed before the
   * status said so), or it waits for the listener to change (a priority another route's rule still
   * holds, a priority a rule outside Tidewater holds), which only a read of its own would see.
   */
  static boolean readsItsOwn(LoadBalancerRoute route) {
    LoadBalancerRouteStatus s = route.getStatus();
    if (s == null
        || s.getObservedGeneration() == null
        || !s.getObservedGeneration().equals(route.getMetadata().getGeneration())) {
      return true;
    }
    return s.getConditions().stream()
        .anyMatch(
            c ->
                "True".equals(c.getStatus())
                    && (RouteStatuses.MOVING_PRIORITIES.equals(c.getReason())
                        || ListenerRulePlanner.PRIORITY_CONFLICT.equals(c.getReason())));
  }

  /**
   * Time until the next sweep of the listener the route is on: settled routes on one listener
   * resync together, so one read serves them all.
   */
  public Duration untilNextSweep(RouteBackend.Listener listener) {
    return reads.untilNextSweep(
        new ListenerReads.Key(listener.context(), listener.observed().listenerArn()), resyncPeriod);
  }

  /** The ELBv2 client of the context {@code listener} was read with. */
  public ElasticLoadBalancingV2Client client(RouteBackend.Listener listener) {
    return aws.elbv2(listener.context());
  }

  /**
   * Converges the route's target group and rules on the listener {@code listener} read ({@link
   * ElbRoutes#apply}); a rule write (or a failure part-way) drops the listener's read, and that of
   * the listener the rules left.
   */
  public ElbRoutes.Applied apply(
      RouteBackend.Listener listener,
      LoadBalancerRoute route,
      String targetType,
      List<Integer> priorities,
      java.util.Set<Integer> reserved) {
    ElbRoutes.Observed observed = listener.observed();
    boolean wroteNothing = false;
    try {
      ElbRoutes.Applied applied =
          ElbRoutes.apply(client(listener), route, observed, targetType, priorities, reserved);
      wroteNothing = applied.ruleWrites() == 0;
      return applied;
    } finally {
      if (!wroteNothing) {
        reads.invalidate(new ListenerReads.Key(listener.context(), observed.listenerArn()));
        if (observed.movedFrom() != null) {
          reads.invalidate(new ListenerReads.Key(listener.context(), observed.movedFrom()));
        }
      }
    }
  }

  /** Deletes rules on the listener {@code listener} was read from; rules already gone are fine. */
  public void withdraw(RouteBackend.Listener listener, List<String> ruleArns) {
    try {
      AwsFailures.translated(() -> ListenerRules.deleteAll(client(listener), ruleArns));
    } finally {
      reads.invalidate(
          new ListenerReads.Key(listener.context(), listener.observed().listenerArn()));
      reads.invalidateRules(listener.context(), ruleArns);
    }
  }

  /** The rules status names were (or may have been) deleted: their listeners are read again. */
  private void forgetRulesOf(AwsContext ctx, LoadBalancerRouteStatus s) {
    if (s == null) return;
    if (s.listenerArn != null) reads.invalidate(new ListenerReads.Key(ctx, s.listenerArn));
    if (s.rules != null) {
      reads.invalidateRules(ctx, s.rules.stream().map(r -> r == null ? null : r.ruleArn).toList());
    }
  }

  /** Which of {@code groups} the ECS service of the route's target Service no longer names. */
  public List<String> notUsedByTarget(RouteBackend.Input in, AwsContext ctx, List<String> groups) {
    EcsService service = targetService(in);
    String serviceArn =
        service == null || service.getStatus() == null ? null : service.getStatus().serviceArn;
    return ElbRoutes.notUsedByService(aws.ecs(ctx), serviceArn, groups);
  }

  /** The route's target Service, read (null when it is not there yet). */
  public EcsService targetService(RouteBackend.Input in) {
    return client
        .resources(EcsService.class)
        .inNamespace(in.namespace())
        .withName(in.route().getSpec().target.serviceRef.name)
        .get();
  }

  /** Deletes the ELBv2 objects status names (unless Retain); nothing to do costs no AWS call. */
  public void release(RouteBackend.Input in) {
    LoadBalancerRouteStatus s = in.route().getStatus();
    if (!RouteRealisation.ownsElbv2Objects(s)) return;
    if ("Retain".equals(in.route().getSpec().deletionPolicy)) return;
    AwsFailures.translated(
        () -> {
          AwsContext ctx = context(in);
          try {
            ElbRoutes.delete(aws.elbv2(ctx), s);
          } finally {
            forgetRulesOf(ctx, s);
          }
        });
  }

  /**
   * A network route refused on the ecs backend leaves status at once (the ECS service backend then
   * drops its target group from the service's load balancers) and its ELBv2 objects go: its rules
   * first, its target groups once DescribeServices shows the ECS service no longer names them (as a
   * retired group of a type switch); until then they stay in {@code status.retiredTargetGroupArns}.
   * With {@code Retain}, nothing is deleted.
   *
   * @return when to look again (null: nothing left to wait for)
   */
  public Duration releaseRefused(RouteBackend.Input in, LoadBalancerRouteStatus next) {
    LoadBalancerRoute route = in.route();
    LoadBalancerRouteStatus s = route.getStatus();
    next.targetGroupArn = null;
    next.listenerArn = null;
    next.listenerSource = null;
    next.rules = null;
    next.retiredTargetGroupArns = null;
    if (!RouteRealisation.ownsElbv2Objects(s) || "Retain".equals(route.getSpec().deletionPolicy)) {
      return null;
    }
    return AwsFailures.translated(
        () -> {
          AwsContext ctx = context(in);
          var elb = aws.elbv2(ctx);
          if (s.rules != null) {
            try {
              ListenerRules.deleteAll(
                  elb, s.rules.stream().map(r -> r == null ? null : r.ruleArn).toList());
            } finally {
              forgetRulesOf(ctx, s);
            }
          }
          List<String> groups = new ArrayList<>();
          if (s.targetGroupArn != null) groups.add(s.targetGroupArn);
          if (s.retiredTargetGroupArns != null) {
            s.retiredTargetGroupArns.stream().filter(a -> !groups.contains(a)).forEach(groups::add);
          }
          if (groups.isEmpty()) return null;
          List<String> unused = notUsedByTarget(in, ctx, groups);
          List<String> kept = new ArrayList<>(groups);
          kept.removeAll(unused);
          kept.addAll(ElbRoutes.deleteRetired(elb, unused));
          next.retiredTargetGroupArns = kept.isEmpty() ? null : kept;
          return kept.isEmpty() ? null : Duration.ofSeconds(10);
        });
  }

  /** Deletes the ELBv2 objects of a route being deleted; why not, when it could not. */
  public Optional<Problem> remove(RouteBackend.Input in) {
    try {
      AwsContext ctx = context(in);
      try {
        ElbRoutes.delete(aws.elbv2(ctx), in.route().getStatus());
      } finally {
        forgetRulesOf(ctx, in.route().getStatus());
      }
      return Optional.empty();
    } catch (ClusterAwsContexts.InvalidAwsContext e) {
      return Optional.of(new Problem("spec.clusterRef", e.reason(), e.getMessage()));
    } catch (SdkException e) {
      return Optional.of(new Problem("spec", AwsErrors.reasonOf(e).name(), AwsErrors.messageOf(e)));
    }
  }

  private AwsContext context(RouteBackend.Input in) {
    return awsContexts.resolve(in.cluster(), in.namespace(), client);
  }
}
