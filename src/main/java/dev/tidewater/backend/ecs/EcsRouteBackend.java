package dev.tidewater.backend.ecs;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.backend.RouteBackend;
import dev.tidewater.backend.aws.AwsFailures;
import dev.tidewater.backend.aws.ElbRoutes;
import dev.tidewater.backend.aws.RouteElb;
import dev.tidewater.backend.aws.RouteStatuses;
import dev.tidewater.model.ListenerRulePlanner;
import dev.tidewater.model.Problem;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A route on the ecs backend: the target group ({@code ip} for awsvpc tasks, {@code instance} for
 * bridge / host) and the listener rules with their exact priorities, which the ECS service backend
 * attaches to the ECS service. A target group of the old type goes once the ECS service no longer
 * names it.
 */
public final class EcsRouteBackend implements RouteBackend {

  private final RouteElb elb;
  private final KubernetesClient client;

  /**
   * @param client reads the target Service's TaskDefinition (its network mode)
   */
  public EcsRouteBackend(RouteElb elb, KubernetesClient client) {
    this.elb = elb;
    this.client = client;
  }

  @Override
  public Listener observeListener(
      Input input, java.util.function.Function<String, Planned> plannedOn, ListenerRead read) {
    return elb.observe(input, plannedOn, read);
  }

  @Override
  public Result apply(Input input, Request request, LoadBalancerRouteStatus next) {
    return AwsFailures.translated(() -> applyElb(input, request, next));
  }

  private Result applyElb(Input input, Request request, LoadBalancerRouteStatus next) {
    LoadBalancerRoute route = input.route();
    ListenerRulePlanner.Plan plan = request.plan();
    // before the first call that may create something outside Kubernetes
    input.hold().hold();
    EcsService service = elb.targetService(input);
    String targetType = targetType(input, service);
    var client = elb.client(request.listener());
    ElbRoutes.Applied applied =
        elb.apply(request.listener(), route, targetType, plan.priorities(), request.reserved());
    if (applied.reread()) return Result.rereadListener();
    if (applied.problemReason().isPresent()) {
      return Result.degraded(applied.problemReason().get(), applied.problemMessage());
    }
    RouteStatuses.recordElb(next, applied);
    next.serviceName = null;
    next.genericChildren = null;
    next.rules = RouteStatuses.rules(plan, List.of(), List.of(), applied);
    if (applied.waiting().isPresent()) {
      return Result.progressing(RouteStatuses.MOVING_PRIORITIES, applied.waiting().get());
    }
    if (!applied.retiredTargetGroupArns().isEmpty()) {
      // a target group of the old target type goes once the ECS service no longer names it
      List<String> unused =
          elb.notUsedByTarget(
              input, request.listener().context(), applied.retiredTargetGroupArns());
      List<String> kept = new ArrayList<>(applied.retiredTargetGroupArns());
      kept.removeAll(unused);
      kept.addAll(ElbRoutes.deleteRetired(client, unused));
      next.retiredTargetGroupArns = RouteStatuses.nullIfEmpty(kept);
      if (!kept.isEmpty()) {
        return Result.progressing(
            "SwitchingTargetGroup",
            "target type is now "
                + targetType
                + ": the rules forward to target group "
                + applied.targetGroupArn()
                + "; waiting for the ECS service to leave "
                + String.join(", ", kept)
                + " before deleting it");
      }
    }
    return Result.ready(
            "RulesInPlace",
            "target group "
                + ElbRoutes.targetGroupName(route, targetType)
                + " and "
                + applied.ruleArns().size()
                + " listener rules in place; the ECS service registers its tasks",
            List.of())
        .recheckingAfter(elb.untilNextSweep(request.listener()));
  }

  /**
   * {@code ip} for awsvpc tasks, {@code instance} for bridge / host, from the network mode of the
   * target Service's TaskDefinition (awsvpc when unknown); read on every reconcile, so a route that
   * came before its Service, or a TaskDefinition whose network mode changed, gets the right type (a
   * changed type replaces the target group).
   */
  private String targetType(Input input, EcsService service) {
    if (service == null
        || service.getSpec() == null
        || service.getSpec().taskDefinitionRef == null) {
      return "ip";
    }
    TaskDefinition td =
        client
            .resources(TaskDefinition.class)
            .inNamespace(input.namespace())
            .withName(service.getSpec().taskDefinitionRef.name)
            .get();
    String mode = td == null || td.getSpec() == null ? null : td.getSpec().networkMode;
    return "bridge".equals(mode) || "host".equals(mode) ? "instance" : "ip";
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
}
