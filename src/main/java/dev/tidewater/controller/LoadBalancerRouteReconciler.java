package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RuleStatus;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.aws.AwsErrors;
import dev.tidewater.backend.BackendKind;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.aws.ClusterAwsContexts;
import dev.tidewater.backend.aws.ElbRoutes;
import dev.tidewater.backend.kubernetes.KubernetesRouteBackend;
import dev.tidewater.backend.kubernetes.RouteObjects;
import dev.tidewater.model.ListenerRulePlanner;
import dev.tidewater.model.LoadBalancerRouteValidator;
import dev.tidewater.model.Problem;
import dev.tidewater.model.RouteRealisation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A LoadBalancerRoute: plans the priorities of every route on its listener first ({@link
 * ListenerRulePlanner}; a clash is PriorityConflict on the later route, before any write), then
 * realises the route per backend and routing mode — Kubernetes objects ({@link RouteObjects}) and,
 * for the kubernetes backend's {@code aws} mode and the ecs backend, the target group and listener
 * rules through ELBv2 ({@link ElbRoutes}).
 *
 * <p>Only a route with ELBv2 objects is held by a finalizer ({@link CleanupHolds}, added before the
 * first ELBv2 call; {@link LoadBalancerRouteCleanupReconciler} deletes them): the children of the
 * other modes are garbage-collected, so their deletion (or their namespace's) never waits for the
 * operator.
 */
@ControllerConfiguration(name = "loadbalancerroute")
public class LoadBalancerRouteReconciler implements Reconciler<LoadBalancerRoute> {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private final StatusRecorder status = new StatusRecorder(Clock.systemUTC());
  private final LoadBalancerRouteValidator validator = new LoadBalancerRouteValidator();
  private final ListenerRulePlanner planner = new ListenerRulePlanner();
  private final KubernetesRouteBackend kubernetes = new KubernetesRouteBackend();
  private final ReconcileMetrics metrics;
  private final ClusterAwsContexts awsContexts;
  private final AwsClientFactory aws;
  // read by label from its cache: the secondary index only knows routes that existed when a
  // slice last changed (not so right after a restart)
  private InformerEventSource<EndpointSlice, LoadBalancerRoute> endpointSliceCache;
  // every route's Cluster decides which listener it shares with its peers
  private InformerEventSource<Cluster, LoadBalancerRoute> clusterCache;

  public LoadBalancerRouteReconciler(
      ReconcileMetrics metrics, ClusterAwsContexts awsContexts, AwsClientFactory aws) {
    this.metrics = metrics;
    this.awsContexts = awsContexts;
    this.aws = aws;
  }

  @Override
  public List<EventSource<?, LoadBalancerRoute>> prepareEventSources(
      EventSourceContext<LoadBalancerRoute> context) {
    clusterCache =
        ClusterEventSources.create(
            context, r -> r.getSpec() == null ? null : r.getSpec().clusterRef);
    // the other routes on the same listener (in ingress mode: IngressGroup): a change of their
    // priorities, their deletion or the start of it re-plans this one (a conflict loser recovers;
    // group orders follow)
    var peers =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(LoadBalancerRoute.class, LoadBalancerRoute.class)
                .withName("peer-routes")
                .withOnUpdateFilter(
                    (now, before) -> !planningInput(now).equals(planningInput(before)))
                .withSecondaryToPrimaryMapper(
                    changed -> {
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
                    })
                .build(),
            context);
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
        OwnedEventSources.owned(Ingress.class, context));
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
    return ListenerRulePlanner.route(
        r, clusterCache.get(cluster).map(Cluster::getSpec).orElse(null));
  }

  @Override
  public UpdateControl<LoadBalancerRoute> reconcile(
      LoadBalancerRoute route, Context<LoadBalancerRoute> context) {
    if (route.getSpec() == null) {
      return status.record(route, new LoadBalancerRouteStatus(), Outcome.missingSpec(), List.of());
    }
    EventRecorder events = new EventRecorder(context.getClient());
    LoadBalancerRouteStatus previous = route.getStatus();
    LoadBalancerRouteStatus next = carried(previous);
    List<StatusWarning> warnings = List.of();
    Outcome outcome;
    ResolvedCluster cluster =
        ClusterEventSources.resolve(route, route.getSpec().clusterRef, context);
    List<Problem> problems = validator.validate(route.getSpec());
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
    if (cluster.missing()) {
      outcome =
          Outcome.degraded("ClusterNotFound", "Cluster " + cluster.name() + " does not exist");
    } else if (!problems.isEmpty()) {
      outcome = Outcome.degraded("InvalidSpec", Problems.summary(problems));
    } else {
      List<ListenerRulePlanner.Route> peers = peers(context);
      var plans = planner.plan(peers);
      ListenerRulePlanner.Plan plan =
          plans.get(route.getMetadata().getNamespace() + "/" + route.getMetadata().getName());
      if (plan.conflict().isPresent()) {
        // nothing is written for a route that lost a priority: the older route keeps working
        outcome =
            Outcome.degraded(
                ListenerRulePlanner.PRIORITY_CONFLICT, plan.conflict().get().message());
      } else {
        try {
          Result r =
              cluster.backend() == BackendKind.ECS
                  ? applyEcs(route, cluster, plan, next, context)
                  : applyKubernetes(route, cluster, plan, peers, plans, next, context);
          outcome = r.outcome();
          warnings = r.warnings();
        } catch (ClusterAwsContexts.InvalidAwsContext e) {
          outcome = Outcome.degraded(e.reason(), e.getMessage());
        } catch (KubernetesRouteBackend.MissingCrd e) {
          outcome = Outcome.degraded("CrdNotInstalled", e.getMessage());
        } catch (SdkException e) {
          // the same reasons as every other kind (AccessDenied, Throttled, ...)
          outcome = Outcome.degraded(AwsErrors.reasonOf(e).name(), AwsErrors.messageOf(e));
        }
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
    return outcome.progressing() ? update.rescheduleAfter(Duration.ofSeconds(10)) : update;
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
  private List<ListenerRulePlanner.Route> peers(Context<LoadBalancerRoute> context) {
    return context
        .getPrimaryCache()
        .list(
            r ->
                r.getSpec() != null
                    && (r.getMetadata().getDeletionTimestamp() == null
                        || (r.getStatus() != null && hasRuleArns(r.getStatus()))))
        .map(this::planned)
        .toList();
  }

  private record Result(Outcome outcome, List<StatusWarning> warnings) {}

  // ------------------------------------------------------------------ kubernetes backend

  private Result applyKubernetes(
      LoadBalancerRoute route,
      ResolvedCluster cluster,
      ListenerRulePlanner.Plan plan,
      List<ListenerRulePlanner.Route> peers,
      Map<String, ListenerRulePlanner.Plan> plans,
      LoadBalancerRouteStatus next,
      Context<LoadBalancerRoute> context) {
    var routing = cluster.spec().routing;
    String mode = RouteObjects.mode(routing);
    boolean network = RouteObjects.network(route.getSpec());
    List<Integer> orders =
        "ingress".equals(mode) && !network
            ? ListenerRulePlanner.groupOrdersOf(planned(route), plan, peers, plans)
            : List.of();
    ElbRoutes.Applied elb = null;
    if ("aws".equals(mode)) {
      AwsContext ctx =
          awsContexts.resolve(cluster, route.getMetadata().getNamespace(), context.getClient());
      // before the first call that may create something outside Kubernetes
      CleanupHolds.hold(context, route, LoadBalancerRouteCleanupReconciler.FINALIZER);
      elb = ElbRoutes.apply(aws.elbv2(ctx), route, () -> "ip", plan.priorities());
      if (elb.problemReason().isPresent()) {
        return new Result(
            Outcome.degraded(elb.problemReason().get(), elb.problemMessage()), List.of());
      }
      next.targetGroupArn = elb.targetGroupArn();
      next.listenerArn = elb.listenerArn();
    }
    RouteObjects.Output out =
        RouteObjects.desired(
            new RouteObjects.Input(
                route,
                routing,
                plan.priorities(),
                orders,
                elb == null ? null : elb.targetGroupArn()));
    Set<String> previousGeneric = previousGeneric(route);
    String serviceName = RouteObjects.serviceName(route);
    List<EndpointSlice> slices =
        endpointSliceCache
            .list(
                route.getMetadata().getNamespace(),
                slice ->
                    serviceName.equals(
                        slice.getMetadata().getLabels().get("kubernetes.io/service-name")))
            .toList();
    var observed = kubernetes.apply(route, out.objects(), previousGeneric, slices, context);
    next.serviceName = RouteObjects.serviceName(route);
    next.address = observed.address();
    next.genericChildren =
        out.objects().stream()
            .filter(o -> o instanceof GenericKubernetesResource)
            .map(KubernetesRouteBackend::key)
            .toList();
    if (next.genericChildren.isEmpty()) next.genericChildren = null;
    next.rules = ruleStatuses(plan, orders, out.ruleChildren(), elb);
    if (!"aws".equals(mode)) {
      // left the aws mode (or the ecs backend): its listener rules and target group go too (the
      // hold stays while that fails), and then nothing outside Kubernetes holds the route
      releaseElb(route, cluster, context);
      CleanupHolds.release(context, route, LoadBalancerRouteCleanupReconciler.FINALIZER);
      next.targetGroupArn = null;
      next.listenerArn = null;
    }
    Outcome outcome =
        observed.readyEndpoints() > 0
            ? Outcome.ready(
                "EndpointsReady",
                observed.readyEndpoints()
                    + " ready endpoints behind Service "
                    + next.serviceName
                    + " ("
                    + (network ? "network load balancer" : mode + " mode")
                    + ")")
            : Outcome.progressing(
                "NoReadyEndpoints",
                "Service "
                    + next.serviceName
                    + " has no ready endpoint yet: are the pods of Service "
                    + route.getSpec().target.serviceRef.name
                    + " running and ready?");
    return new Result(outcome, out.warnings());
  }

  private static Set<String> previousGeneric(LoadBalancerRoute route) {
    if (route.getStatus() == null || route.getStatus().genericChildren == null) return Set.of();
    return new LinkedHashSet<>(route.getStatus().genericChildren);
  }

  private static List<RuleStatus> ruleStatuses(
      ListenerRulePlanner.Plan plan,
      List<Integer> orders,
      List<String> children,
      ElbRoutes.Applied elb) {
    List<RuleStatus> rules = new ArrayList<>();
    for (int i = 0; i < plan.priorities().size(); i++) {
      RuleStatus s = new RuleStatus();
      s.priority = plan.priorities().get(i);
      s.groupOrder = i < orders.size() ? orders.get(i) : null;
      s.childName = i < children.size() ? children.get(i) : null;
      s.ruleArn = elb != null && i < elb.ruleArns().size() ? elb.ruleArns().get(i) : null;
      rules.add(s);
    }
    return rules.isEmpty() ? null : rules;
  }

  // ------------------------------------------------------------------ ecs backend

  private Result applyEcs(
      LoadBalancerRoute route,
      ResolvedCluster cluster,
      ListenerRulePlanner.Plan plan,
      LoadBalancerRouteStatus next,
      Context<LoadBalancerRoute> context) {
    AwsContext ctx =
        awsContexts.resolve(cluster, route.getMetadata().getNamespace(), context.getClient());
    // before the first call that may create something outside Kubernetes
    CleanupHolds.hold(context, route, LoadBalancerRouteCleanupReconciler.FINALIZER);
    ElbRoutes.Applied elb =
        ElbRoutes.apply(aws.elbv2(ctx), route, () -> targetType(route, context), plan.priorities());
    if (elb.problemReason().isPresent()) {
      return new Result(
          Outcome.degraded(elb.problemReason().get(), elb.problemMessage()), List.of());
    }
    next.targetGroupArn = elb.targetGroupArn();
    next.listenerArn = elb.listenerArn();
    // moved from the kubernetes backend: its Services, Ingresses and generic children go
    kubernetes.apply(route, List.of(), previousGeneric(route), List.of(), context);
    next.serviceName = null;
    next.genericChildren = null;
    next.rules = ruleStatuses(plan, List.of(), List.of(), elb);
    return new Result(
        Outcome.ready(
            "RulesInPlace",
            "target group "
                + ElbRoutes.targetGroupName(route)
                + " and "
                + elb.ruleArns().size()
                + " listener rules in place; the ECS service registers its tasks"),
        List.of());
  }

  /**
   * {@code ip} for awsvpc tasks, {@code instance} for bridge / host, from the network mode of the
   * target Service's TaskDefinition (awsvpc when unknown); read only when a target group is made.
   */
  private static String targetType(LoadBalancerRoute route, Context<LoadBalancerRoute> context) {
    String ns = route.getMetadata().getNamespace();
    EcsService service =
        context
            .getClient()
            .resources(EcsService.class)
            .inNamespace(ns)
            .withName(route.getSpec().target.serviceRef.name)
            .get();
    if (service == null
        || service.getSpec() == null
        || service.getSpec().taskDefinitionRef == null) {
      return "ip";
    }
    TaskDefinition td =
        context
            .getClient()
            .resources(TaskDefinition.class)
            .inNamespace(ns)
            .withName(service.getSpec().taskDefinitionRef.name)
            .get();
    String mode = td == null || td.getSpec() == null ? null : td.getSpec().networkMode;
    return "bridge".equals(mode) || "host".equals(mode) ? "instance" : "ip";
  }

  // ------------------------------------------------------------------ leaving ELBv2

  /** Deletes the ELBv2 objects status names (unless Retain); nothing to do costs no AWS call. */
  private void releaseElb(
      LoadBalancerRoute route, ResolvedCluster cluster, Context<LoadBalancerRoute> context) {
    LoadBalancerRouteStatus s = route.getStatus();
    if (!RouteRealisation.ownsElbv2Objects(s)) return;
    if ("Retain".equals(route.getSpec().deletionPolicy)) return;
    AwsContext ctx =
        awsContexts.resolve(cluster, route.getMetadata().getNamespace(), context.getClient());
    ElbRoutes.delete(aws.elbv2(ctx), s);
  }

  private static boolean hasRuleArns(LoadBalancerRouteStatus s) {
    return s.rules != null && s.rules.stream().anyMatch(r -> r.ruleArn != null);
  }

  @Override
  public ErrorStatusUpdateControl<LoadBalancerRoute> updateErrorStatus(
      LoadBalancerRoute route, Context<LoadBalancerRoute> context, Exception e) {
    return status.recordError(route, LoadBalancerRouteStatus::new, e);
  }
}
