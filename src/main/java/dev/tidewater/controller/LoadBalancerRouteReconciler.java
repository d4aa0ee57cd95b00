package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RuleStatus;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.RouteBackend;
import dev.tidewater.backend.aws.RouteStatuses;
import dev.tidewater.model.ListenerRulePlanner;
import dev.tidewater.model.LoadBalancerRouteValidator;
import dev.tidewater.model.Problem;
import dev.tidewater.model.RouteRealisation;
import dev.tidewater.model.TenancyCeiling;
import dev.tidewater.model.TenancyChecks;
import dev.tidewater.model.TidewaterLabels;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A LoadBalancerRoute: plans the priorities of every route on its listener first ({@link
 * ListenerRulePlanner}; a clash is PriorityConflict on the later route, before any write), then
 * hands the planned route to its Cluster's {@link RouteBackend} — Kubernetes objects per routing
 * mode and, for the kubernetes backend's {@code aws} mode and the ecs backend, the target group and
 * listener rules through ELBv2 — and turns its result into conditions and Events.
 *
 * <p>Only a route with ELBv2 objects is held by a finalizer ({@link CleanupHolds}, added before the
 * first ELBv2 call; {@link LoadBalancerRouteCleanupReconciler} deletes them): the children of the
 * other modes are garbage-collected, so their deletion (or their namespace's) never waits for the
 * operator.
 */
@ControllerConfiguration(name = "loadbalancerroute")
public class LoadBalancerRouteReconciler
    implements Reconciler<LoadBalancerRoute>, ShardNamespaces.Sharded<LoadBalancerRoute> {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private final StatusRecorder status = new StatusRecorder(Clock.systemUTC());
  private final LoadBalancerRouteValidator validator = new LoadBalancerRouteValidator();
  private final ListenerRulePlanner planner = new ListenerRulePlanner();
  private final ReconcileMetrics metrics;
  private final BackendFactory backends;
  private final TenancyPolicies tenancy;
  // read by label from its cache: the secondary index only knows routes that existed when a
  // slice last changed (not so right after a restart)
  private InformerEventSource<EndpointSlice, LoadBalancerRoute> endpointSliceCache;
  // every route's Cluster decides which listener it shares with its peers
  private SharedEventSource<Cluster, LoadBalancerRoute> clusterCache;
  private final SharedInformers informers;

  public LoadBalancerRouteReconciler(
      ReconcileMetrics metrics,
      BackendFactory backends,
      TenancyPolicies tenancy,
      SharedInformers informers) {
    this.informers = informers;
    this.metrics = metrics;
    this.tenancy = tenancy;
    this.backends = backends;
  }

  @Override
  public List<EventSource<?, LoadBalancerRoute>> prepareEventSources(
      EventSourceContext<LoadBalancerRoute> context) {
    clusterCache =
        ClusterEventSources.create(
            context, informers, r -> r.getSpec() == null ? null : r.getSpec().clusterRef);
    // the other routes on the same listener (in ingress mode: IngressGroup): a change of their
    // priorities, their deletion or the start of it re-plans this one (a conflict loser recovers;
    // group orders follow)
    var peers =
        SharedEventSource.of(
            context,
            informers.routes(),
            (LoadBalancerRoute changed) -> {
              if (changed.getSpec() == null) return Set.of();
              String group = planned(changed).group();
              return context
                  .getPrimaryCache()
                  .list(
                      r ->
                          r.getSpec() != null
                              && !ResourceID.fromResource(r)
                                  .equals(ResourceID.fromResource(changed))
                              && group.equals(planned(r).group()))
                  .map(ResourceID::fromResource)
                  .collect(Collectors.toSet());
            },
            (LoadBalancerRoute r) -> Set.of(),
            (LoadBalancerRoute now, LoadBalancerRoute before) ->
                !planningInput(now).equals(planningInput(before)),
            "peer-routes");
    // EndpointSlices inherit our Service's labels, so the managed-by selector finds them
    var endpointSlices =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(EndpointSlice.class, LoadBalancerRoute.class)
                .withLabelSelector(TidewaterLabels.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(
                    slice ->
                        context
                            .getPrimaryCache()
                            .list(
                                slice.getMetadata().getNamespace(),
                                r ->
                                    TidewaterLabels.value(r.getMetadata().getName())
                                        .equals(
                                            slice
                                                .getMetadata()
                                                .getLabels()
                                                .get(TidewaterLabels.LOAD_BALANCER_ROUTE)))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    endpointSliceCache = endpointSlices;
    return List.of(
        clusterCache,
        peers,
        endpointSlices,
        OwnedEventSources.owned(Service.class, context),
        OwnedEventSources.owned(Ingress.class, context),
        tenancy.eventSource(context));
  }

  /** What of a route the planning of its peers depends on. */
  private static String planningInput(LoadBalancerRoute r) {
    return JSON.asJson(
        Map.of(
            "generation", Objects.toString(r.getMetadata().getGeneration()),
            "deleting", Objects.toString(r.getMetadata().getDeletionTimestamp()),
            "priorities", ListenerRulePlanner.statusPriorities(r).toString()));
  }

  /**
   * A route as planner input: its listener (and ingress group) as its Cluster, read from the cache,
   * realises it; the implicit kubernetes default when it has none.
   */
  private ListenerRulePlanner.Route planned(LoadBalancerRoute r) {
    ResourceID cluster =
        new ResourceID(
            ClusterEventSources.clusterName(r.getSpec() == null ? null : r.getSpec().clusterRef),
            r.getMetadata().getNamespace());
    return ListenerRulePlanner.route(r, cachedCluster(cluster).map(Cluster::getSpec).orElse(null));
  }

  @Override
  public UpdateControl<LoadBalancerRoute> reconcile(
      LoadBalancerRoute route, Context<LoadBalancerRoute> context) {
    return StatusRecorder.write(context, route, converge(route, context));
  }

  /** The reconcile but for its status write: the control returned carries the status to write. */
  UpdateControl<LoadBalancerRoute> converge(
      LoadBalancerRoute route, Context<LoadBalancerRoute> context) {
    if (route.getSpec() == null) {
      return status.record(route, new LoadBalancerRouteStatus(), Outcome.missingSpec(), List.of());
    }
    EventRecorder events = events(context);
    LoadBalancerRouteStatus previous = route.getStatus();
    LoadBalancerRouteStatus next = carried(previous);
    List<StatusWarning> warnings = List.of();
    Outcome outcome;
    ResolvedCluster cluster =
        ClusterEventSources.resolve(route, route.getSpec().clusterRef, context);
    // the backend it had until it has left it (after its Service moved), else the Cluster's
    String was = previous == null ? null : previous.getBackend();
    if (!cluster.missing()) next.setBackend(was != null ? was : cluster.backend().value());
    List<Problem> problems =
        validator.validate(
            route.getSpec(),
            cluster.missing()
                ? ValidationContext.NONE
                : ValidationContext.forCluster(
                    cluster.spec(), tenancy.ceilingFor(route.getMetadata().getNamespace())));
    // earlier versions put the finalizer on every route, without the label: it goes from a route
    // with nothing outside Kubernetes, and one with ELBv2 objects gets the label, so that the
    // cleanup controller sees it
    CleanupHolds.releaseUnneeded(
        context,
        route,
        LoadBalancerRouteCleanupReconciler.FINALIZER,
        cluster.missing()
            ? RouteRealisation.ownsElbv2Objects(previous)
            : RouteRealisation.of(cluster.spec(), route.getSpec()).needsFinalizer(previous));
    Duration recheck = null;
    TenancyCeiling ceiling = tenancy.ceilingFor(route.getMetadata().getNamespace());
    List<Problem> refused = TenancyChecks.route(route.getSpec(), ceiling);
    if (cluster.missing()) {
      outcome =
          Outcome.degraded("ClusterNotFound", "Cluster " + cluster.name() + " does not exist");
    } else if (problems.isEmpty() && !refused.isEmpty()) {
      // a load balancer or listener the namespace may not use: nothing is written on it, and what
      // the route made in Kubernetes before it was refused (its TenancyPolicy tightened, or
      // reached the operator's cache after the route) goes: an Ingress would go on routing there
      outcome = Outcome.degraded(TenancyChecks.reasonOf(refused), Problems.summary(refused));
      try {
        backends.routes(cluster).leave(input(route, cluster, context));
      } catch (BackendFailure e) {
        recheck = Duration.ofSeconds(15);
      }
    } else if (!problems.isEmpty()) {
      outcome = Outcome.degraded("InvalidSpec", Problems.summary(problems));
      if (problems.stream()
          .anyMatch(
              p -> LoadBalancerRouteValidator.NETWORK_LOAD_BALANCER_ON_ECS.equals(p.reason()))) {
        // refused: nothing of it may reach an ECS service (which reads status.targetGroupArn)
        try {
          recheck = backends.routes(cluster).releaseRefused(input(route, cluster, context), next);
        } catch (BackendFailure e) {
          recheck = Duration.ofSeconds(15);
        }
      }
    } else {
      try {
        RouteBackend backend = backends.routes(cluster);
        RouteBackend.Input input = input(route, cluster, context);
        List<LoadBalancerRoute> peerRoutes = peerRoutes(context);
        RouteBackend.ListenerRead read = RouteBackend.ListenerRead.SHARED;
        while (true) {
          List<ListenerRulePlanner.Route> peers = peerRoutes.stream().map(this::planned).toList();
          ListenerRulePlanner.Route me = planned(route);
          RouteBackend.Listener elb = null;
          Map<String, Map<Integer, String>> foreign = Map.of();
          if (RouteRealisation.of(cluster.spec(), route.getSpec()).writesElbv2()) {
            elb = observe(backend, input, me, peerRoutes, read);
            if (elb.observed().listenerArn() != null) {
              // planned on the listener as resolved: a route naming it another way meets this one
              me = me.onListener(RouteRealisation.elbv2Key(elb.observed().listenerArn()));
              ListenerRulePlanner.Route resolved = me;
              peers =
                  peers.stream()
                      .map(
                          p ->
                              p.namespace().equals(resolved.namespace())
                                      && p.name().equals(resolved.name())
                                  ? resolved
                                  : p)
                      .toList();
            }
            foreign =
                elb.observed().problemReason().isPresent()
                    ? Map.of()
                    : Map.of(me.listener(), elb.observed().foreign());
          }
          var plans = planner.plan(peers, foreign);
          ListenerRulePlanner.Plan plan =
              plans.get(route.getMetadata().getNamespace() + "/" + route.getMetadata().getName());
          Optional<Problem> listenerRefused =
              elb == null || elb.observed().listenerArn() == null
                  ? Optional.empty()
                  : TenancyChecks.listener("listener", elb.observed().listenerArn(), ceiling);
          if (elb != null && elb.observed().problemReason().isPresent()) {
            outcome =
                Outcome.degraded(
                    elb.observed().problemReason().get(), elb.observed().problemMessage());
          } else if (listenerRefused.isPresent()) {
            outcome =
                Outcome.degraded(
                    listenerRefused.get().reason(),
                    Problems.summary(List.of(listenerRefused.get())));
          } else if (plan.conflict().isPresent()) {
            // nothing is written for a route that lost a priority: the older route keeps working
            outcome =
                Outcome.degraded(plan.conflict().get().reason(), plan.conflict().get().message());
            if (elb != null && (previous == null || previous.listenerArn == null)) {
              // the listener it resolved to, recorded so that it is planned (and re-planned when
              // the winner goes) with the routes that name that listener another way; a route
              // whose rules are still on an earlier listener keeps that one for its cleanup
              next.listenerArn = elb.observed().listenerArn();
              next.listenerSource = elb.observed().source();
            }
            if (plan.conflict().get().foreignRuleArn() != null) {
              // no event tells when a rule outside Tidewater goes: look again
              recheck = FOREIGN_RECHECK;
            }
            // a conflict writes nothing, but rules it already has may have to go: all of them when
            // it came to overlap an older route (an upgrade that sees overlaps the exact comparison
            // did not, or the older route's edit) — they would take that route's traffic; else
            // those at a priority another route is planned at (it wrote them before the operator's
            // caches showed that route, or the older route was edited to it) — that route would
            // wait for them to move for ever. Its other rules and its target group stay.
            boolean overlaps =
                ListenerRulePlanner.ROUTE_CONFLICT.equals(plan.conflict().get().reason());
            List<RuleStatus> withdrawn =
                elb == null || next.rules == null
                    ? List.of()
                    : withdrawable(
                        next.rules,
                        overlaps ? null : reserved(me.listener(), peers, plans, foreign));
            if (!withdrawn.isEmpty() && read == RouteBackend.ListenerRead.SHARED) {
              // a write: decided on a read of the route's own
              read = RouteBackend.ListenerRead.OWN;
              continue;
            }
            if (!withdrawn.isEmpty()) {
              List<String> arns = withdrawn.stream().map(r -> r.ruleArn).toList();
              backend.withdrawRules(elb, arns);
              events.warning(
                  route,
                  "RulesWithdrawn",
                  "deleted its listener rules "
                      + arns
                      + (overlaps ? "" : " at priorities another route is planned at")
                      + ": "
                      + plan.conflict().get().message());
              withdrawn.forEach(
                  r -> {
                    r.ruleArn = null;
                    r.priority = null;
                  });
            }
            if (overlaps && elb != null) {
              next.rules = null;
            }
          } else {
            Set<Integer> reserved = reserved(me.listener(), peers, plans, foreign);
            RouteBackend.Result r =
                backend.apply(
                    input, new RouteBackend.Request(me, plan, peers, plans, elb, reserved), next);
            if (r.state() == RouteBackend.State.REREAD_LISTENER) {
              if (read == RouteBackend.ListenerRead.OWN) {
                throw new IllegalStateException("a route's own read of its listener went stale");
              }
              // planned on the read the routes on the listener share, and it must write: its
              // writes (and the priorities they take) are decided on a read of its own
              read = RouteBackend.ListenerRead.OWN;
              continue;
            }
            if (r.state() != RouteBackend.State.DEGRADED) {
              String selected = cluster.backend().value();
              if (was != null && !was.equals(selected) && targetRunsOn(route, was, context)) {
                // its Service still serves from the old side (a migration under way): the old
                // side's objects keep routing to it until the Service has moved
                next.setBackend(was);
                recheck = MIGRATION_RECHECK;
              } else {
                // moved from another backend: what that one made for the route goes
                backends.others(cluster).forEach(b -> b.routes().leave(input));
                next.setBackend(selected);
              }
            }
            outcome =
                switch (r.state()) {
                  case READY -> Outcome.ready(r.reason(), r.message());
                  case PROGRESSING -> Outcome.progressing(r.reason(), r.message());
                  case DEGRADED -> Outcome.degraded(r.reason(), r.message());
                  case REREAD_LISTENER -> throw new IllegalStateException("read again above");
                };
            warnings = r.warnings();
            if (recheck == null && r.state() == RouteBackend.State.READY) {
              // with the routes on its listener, which share one read of it per resync
              recheck = r.recheckAfter();
            }
          }
          break;
        }
      } catch (BackendFailure e) {
        // the same reasons as every other kind (AccessDenied, Throttled, CrdNotInstalled, ...)
        outcome = Outcome.degraded(e.reason(), e.getMessage());
      }
    }
    if (!warnings.isEmpty() && (previous == null || !warnings.equals(previous.getWarnings()))) {
      events.warning(
          route,
          "ConditionsNotExpressible",
          warnings.stream()
              .map(w -> w.field() + ": " + w.message())
              .collect(Collectors.joining("; ")));
    }
    if (outcome.newlyDegraded(previous)) {
      events.warning(route, outcome.reason(), outcome.message());
    }
    if (outcome.ready() && (previous == null || !isReady(previous))) {
      events.normal(route, outcome.reason(), outcome.message());
    }
    metrics.reconciled("LoadBalancerRoute", outcome);
    UpdateControl<LoadBalancerRoute> update = status.record(route, next, outcome, warnings);
    if (outcome.progressing()) {
      return update.rescheduleAfter(
          MOVING_PRIORITIES.equals(outcome.reason())
              ? movingRecheck(previous, Instant.now())
              : Duration.ofSeconds(10));
    }
    return recheck != null ? update.rescheduleAfter(recheck) : update;
  }

  private static boolean isReady(LoadBalancerRouteStatus s) {
    return s.getConditions().stream()
        .anyMatch(c -> StatusConditions.READY.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static LoadBalancerRouteStatus carried(LoadBalancerRouteStatus previous) {
    LoadBalancerRouteStatus next = new LoadBalancerRouteStatus();
    if (previous != null) {
      // AWS identifiers are kept until replaced: they are what cleanup and crash recovery use
      next.targetGroupArn = previous.targetGroupArn;
      next.listenerArn = previous.listenerArn;
      next.listenerSource = previous.listenerSource;
      next.retiredTargetGroupArns =
          previous.retiredTargetGroupArns == null
              ? null
              : new ArrayList<>(previous.retiredTargetGroupArns);
      next.serviceName = previous.serviceName;
      next.address = previous.address;
      if (previous.rules != null) {
        next.rules = JSON.convertValue(previous.rules, RuleStatusList.class);
      }
    }
    return next;
  }

  /** For a deep copy of status rules. */
  static final class RuleStatusList extends ArrayList<RuleStatus> {}

  /**
   * Every route of the informer cache (all namespaces), as planner input. A route being deleted
   * drops out at once, unless it still holds ELBv2 rules (its cleanup has not deleted them yet):
   * the loser of a conflict would only meet PriorityInUse; it is re-planned when the route is gone.
   */
  private List<LoadBalancerRoute> peerRoutes(Context<LoadBalancerRoute> context) {
    return context
        .getPrimaryCache()
        .list(
            r ->
                r.getSpec() != null
                    && (r.getMetadata().getDeletionTimestamp() == null
                        || (r.getStatus() != null && hasRuleArns(r.getStatus()))))
        .toList();
  }

  static final String MOVING_PRIORITIES = RouteStatuses.MOVING_PRIORITIES;

  /** The first and the longest wait of a route whose rules wait for another route's to move. */
  static final Duration MOVING_FIRST_RECHECK = Duration.ofSeconds(10);

  static final Duration MOVING_LONGEST_RECHECK = Duration.ofMinutes(5);

  /**
   * When a route waiting for a priority another route's rule holds looks again: as long as it has
   * waited so far (since its Progressing condition became MovingPriorities), at least {@link
   * #MOVING_FIRST_RECHECK} and at most {@link #MOVING_LONGEST_RECHECK} — so a holder that is stuck
   * costs a DescribeRules ever more rarely. The holder's own move re-plans this route at once (it
   * changes the holder's status), so the recheck is only a fallback.
   */
  static Duration movingRecheck(LoadBalancerRouteStatus previous, Instant now) {
    if (previous == null) return MOVING_FIRST_RECHECK;
    Duration waited =
        previous.getConditions().stream()
            .filter(
                c ->
                    StatusConditions.PROGRESSING.equals(c.getType())
                        && "True".equals(c.getStatus())
                        && MOVING_PRIORITIES.equals(c.getReason())
                        && c.getLastTransitionTime() != null)
            .findFirst()
            .map(
                c -> {
                  try {
                    return Duration.between(Instant.parse(c.getLastTransitionTime()), now);
                  } catch (java.time.format.DateTimeParseException e) {
                    return Duration.ZERO;
                  }
                })
            .orElse(Duration.ZERO);
    if (waited.compareTo(MOVING_FIRST_RECHECK) < 0) return MOVING_FIRST_RECHECK;
    return waited.compareTo(MOVING_LONGEST_RECHECK) > 0 ? MOVING_LONGEST_RECHECK : waited;
  }

  /** How long a route in conflict with a rule outside Tidewater waits before looking again. */
  static final Duration FOREIGN_RECHECK = Duration.ofSeconds(30);

  /** How often a route whose Service is migrating looks whether it may leave the old side. */
  static final Duration MIGRATION_RECHECK = Duration.ofSeconds(10);

  /**
   * Whether the route's target Service still runs on backend {@code was} or is migrating; read (one
   * GET) only for a route whose Cluster's backend changed, never in steady state.
   */
  boolean targetRunsOn(LoadBalancerRoute route, String was, Context<LoadBalancerRoute> context) {
    String target = ServiceReconciler.routeTarget(route);
    if (target == null) return false;
    EcsService service =
        context
            .getClient()
            .resources(EcsService.class)
            .inNamespace(route.getMetadata().getNamespace())
            .withName(target)
            .get();
    return service != null
        && service.getStatus() != null
        && (was.equals(service.getStatus().getBackend())
            || ServiceMigration.active(service.getStatus()));
  }

  /**
   * The listener of a route that writes ELBv2 objects, read by its backend with the rule ARNs of
   * every route planned on it (they tell its rules from rules Tidewater does not manage).
   */
  private RouteBackend.Listener observe(
      RouteBackend backend,
      RouteBackend.Input input,
      ListenerRulePlanner.Route me,
      List<LoadBalancerRoute> peerRoutes,
      RouteBackend.ListenerRead read) {
    LoadBalancerRoute route = input.route();
    List<LoadBalancerRoute> planned = new ArrayList<>(peerRoutes);
    planned.add(route);
    return backend.observeListener(
        input,
        // once resolved, routes that name the listener by its ARN or by load balancer and port
        // are on it alike
        listenerArn -> {
          String key = RouteRealisation.elbv2Key(listenerArn);
          Set<String> arns = new java.util.HashSet<>();
          List<LoadBalancerRoute> onListener = new ArrayList<>();
          for (LoadBalancerRoute r : planned) {
            String theirs = planned(r).listener();
            if (r != route && !me.listener().equals(theirs) && !key.equals(theirs)) continue;
            onListener.add(r);
            if (r.getStatus() != null && r.getStatus().rules != null) {
              r.getStatus().rules.stream()
                  .filter(x -> x != null && x.ruleArn != null)
                  .forEach(x -> arns.add(x.ruleArn));
            }
          }
          return new RouteBackend.Planned(arns, onListener);
        },
        read);
  }

  /** What the route's backend is handed: the route, its Cluster, its caches and its finalizer. */
  private RouteBackend.Input input(
      LoadBalancerRoute route, ResolvedCluster cluster, Context<LoadBalancerRoute> context) {
    return new RouteBackend.Input(
        route,
        cluster,
        context::getSecondaryResources,
        (namespace, serviceName) ->
            endpointSliceCache
                .list(
                    namespace,
                    slice ->
                        serviceName.equals(
                            slice.getMetadata().getLabels().get("kubernetes.io/service-name")))
                .toList(),
        new RouteBackend.CleanupHold() {
          @Override
          public void hold() {
            CleanupHolds.hold(context, route, LoadBalancerRouteCleanupReconciler.FINALIZER);
          }

          @Override
          public void release() {
            CleanupHolds.release(context, route, LoadBalancerRouteCleanupReconciler.FINALIZER);
          }
        });
  }

  /** Every priority planned on {@code listener}, and those rules outside Tidewater hold. */
  private static Set<Integer> reserved(
      String listener,
      List<ListenerRulePlanner.Route> peers,
      Map<String, ListenerRulePlanner.Plan> plans,
      Map<String, Map<Integer, String>> foreign) {
    Set<Integer> reserved =
        new java.util.HashSet<>(foreign.getOrDefault(listener, Map.of()).keySet());
    for (ListenerRulePlanner.Route p : peers) {
      if (!listener.equals(p.listener())) continue;
      ListenerRulePlanner.Plan plan = plans.get(p.namespace() + "/" + p.name());
      if (plan == null) continue;
      plan.priorities().stream().filter(Objects::nonNull).forEach(reserved::add);
    }
    return reserved;
  }

  /**
   * The status entries of rules a route in conflict lets go of: every live one ({@code
   * plannedForOthers} null), or those at a priority planned for another route of its listener.
   */
  private static List<RuleStatus> withdrawable(
      List<RuleStatus> rules, Set<Integer> plannedForOthers) {
    return rules.stream()
        .filter(
            r ->
                r != null
                    && r.ruleArn != null
                    && (plannedForOthers == null
                        || (r.priority != null && plannedForOthers.contains(r.priority))))
        .toList();
  }

  private static boolean hasRuleArns(LoadBalancerRouteStatus s) {
    return s.rules != null && s.rules.stream().anyMatch(r -> r.ruleArn != null);
  }

  /** A Cluster from the informer cache (unit tests give their own). */
  Optional<Cluster> cachedCluster(ResourceID id) {
    return clusterCache.cache().get(id);
  }

  /** Where this reconcile's Events go (unit tests record them instead). */
  EventRecorder events(Context<LoadBalancerRoute> context) {
    return new EventRecorder(context.getClient());
  }

  @Override
  public ErrorStatusUpdateControl<LoadBalancerRoute> updateErrorStatus(
      LoadBalancerRoute route, Context<LoadBalancerRoute> context, Exception e) {
    return status.recordError(route, LoadBalancerRouteStatus::new, e, context.getRetryInfo());
  }
}
