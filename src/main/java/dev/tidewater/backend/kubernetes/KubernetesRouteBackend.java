package dev.tidewater.backend.kubernetes;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.RouteBackend;
import dev.tidewater.backend.aws.AwsFailures;
import dev.tidewater.backend.aws.ElbRoutes;
import dev.tidewater.backend.aws.RouteElb;
import dev.tidewater.backend.aws.RouteStatuses;
import dev.tidewater.model.ListenerRulePlanner;
import dev.tidewater.model.Problem;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A route on the kubernetes backend, per routing mode ({@link RouteObjects}): {@code ingress} a
 * Service and one Ingress per rule for the AWS Load Balancer Controller, ordered by {@code
 * group.order}; {@code aws} the target group and listener rules through ELBv2 ({@link RouteElb})
 * and a TargetGroupBinding registering the pods; {@code gateway} an HTTPRoute; a network route a
 * Service of type LoadBalancer. Leaving the {@code aws} mode deletes its ELBv2 objects.
 */
public final class KubernetesRouteBackend implements RouteBackend {

  private final RouteChildWriter writer;
  private final RouteElb elb;

  public KubernetesRouteBackend(RouteElb elb, KubernetesClient client) {
    this.elb = elb;
    this.writer = new RouteChildWriter(client);
  }

  @Override
  public Listener observeListener(
      Input input, java.util.function.Function<String, Planned> plannedOn, ListenerRead read) {
    return elb.observe(input, plannedOn, read);
  }

  @Override
  public Result apply(Input input, Request request, LoadBalancerRouteStatus next) {
    try {
      return AwsFailures.translated(() -> applyObjects(input, request, next));
    } catch (RouteChildWriter.MissingCrd e) {
      throw BackendFailure.degraded("CrdNotInstalled", e.getMessage(), e);
    }
  }

  private Result applyObjects(Input input, Request request, LoadBalancerRouteStatus next) {
    LoadBalancerRoute route = input.route();
    ListenerRulePlanner.Plan plan = request.plan();
    var routing = input.cluster().spec().routing;
    String mode = RouteObjects.mode(routing);
    boolean network = RouteObjects.network(route.getSpec());
    List<Integer> orders =
        "ingress".equals(mode) && !network
            ? ListenerRulePlanner.groupOrdersOf(
                request.me(), plan, request.peers(), request.plans())
            : List.of();
    ElbRoutes.Applied applied = null;
    if ("aws".equals(mode)) {
      // before the first call that may create something outside Kubernetes
      input.hold().hold();
      var client = elb.client(request.listener());
      applied = elb.apply(request.listener(), route, "ip", plan.priorities(), request.reserved());
      if (applied.reread()) return Result.rereadListener();
      if (applied.problemReason().isPresent()) {
        return Result.degraded(applied.problemReason().get(), applied.problemMessage());
      }
      RouteStatuses.recordElb(next, applied);
      next.retiredTargetGroupArns =
          RouteStatuses.nullIfEmpty(
              ElbRoutes.deleteRetired(client, applied.retiredTargetGroupArns()));
      if (applied.waiting().isPresent()) {
        next.rules = RouteStatuses.rules(plan, List.of(), List.of(), applied);
        return Result.progressing(RouteStatuses.MOVING_PRIORITIES, applied.waiting().get());
      }
    }
    RouteObjects.Output out =
        RouteObjects.desired(
            new RouteObjects.Input(
                route,
                routing,
                plan.priorities(),
                orders,
                applied == null ? null : applied.targetGroupArn()));
    String serviceName = RouteObjects.serviceName(route);
    List<EndpointSlice> slices = input.endpointSlices().of(input.namespace(), serviceName);
    var observed =
        writer.apply(route, out.objects(), previousGeneric(route), slices, input.owned());
    next.serviceName = serviceName;
    next.address = observed.address();
    next.genericChildren =
        out.objects().stream()
            .filter(o -> o instanceof GenericKubernetesResource)
            .map(RouteChildWriter::key)
            .toList();
    if (next.genericChildren.isEmpty()) next.genericChildren = null;
    next.rules = RouteStatuses.rules(plan, orders, out.ruleChildren(), applied);
    if (!"aws".equals(mode)) {
      // left the aws mode (or the ecs backend): its listener rules and target group go too (the
      // hold stays while that fails), and then nothing outside Kubernetes holds the route
      elb.release(input);
      input.hold().release();
      next.targetGroupArn = null;
      next.listenerArn = null;
      next.listenerSource = null;
      next.retiredTargetGroupArns = null;
    }
    if (observed.readyEndpoints() > 0) {
      Result ready =
          Result.ready(
              "EndpointsReady",
              observed.readyEndpoints()
                  + " ready endpoints behind Service "
                  + next.serviceName
                  + " ("
                  + (network ? "network load balancer" : mode + " mode")
                  + ")",
              out.warnings());
      // aws mode: resync with the other routes on the listener, which share one read of it
      return applied == null
          ? ready
          : ready.recheckingAfter(elb.untilNextSweep(request.listener()));
    }
    return new Result(
        State.PROGRESSING,
        "NoReadyEndpoints",
        "Service "
            + next.serviceName
            + " has no ready endpoint yet: are the pods of Service "
            + route.getSpec().target.serviceRef.name
            + " running and ready?",
        out.warnings());
  }

  /** Moved to another backend: the route's Services, Ingresses and generic children go. */
  @Override
  public void leave(Input input) {
    try {
      writer.apply(
          input.route(), List.of(), previousGeneric(input.route()), List.of(), input.owned());
    } catch (RouteChildWriter.MissingCrd e) {
      throw BackendFailure.degraded("CrdNotInstalled", e.getMessage(), e);
    }
  }

  @Override
  public void withdrawRules(Listener listener, List<String> ruleArns) {
    elb.withdraw(listener, ruleArns);
  }

  @Override
  public Duration releaseRefused(Input input, LoadBalancerRouteStatus next) {
    return elb.releaseRefused(input, next);
  }

  @Override
  public Optional<Problem> removeElb(Input input) {
    return elb.remove(input);
  }

  private static Set<String> previousGeneric(LoadBalancerRoute route) {
    if (route.getStatus() == null || route.getStatus().genericChildren == null) return Set.of();
    return new LinkedHashSet<>(route.getStatus().genericChildren);
  }
}
