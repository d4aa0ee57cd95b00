package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.aws.ElbRoutes;
import dev.tidewater.model.ListenerRulePlanner;
import dev.tidewater.model.Problem;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Realises a LoadBalancerRoute on one backend once its priorities are planned: kubernetes per
 * routing mode (Service, Ingresses, HTTPRoute, TargetGroupBinding; in {@code aws} mode the target
 * group and listener rules through ELBv2 too); ecs the target group and listener rules the ECS
 * service registers its tasks in. The reconciler plans and decides; AWS failures and a missing CRD
 * come as {@link BackendFailure}, never as SDK or client exceptions.
 */
public interface RouteBackend {

  /**
   * What a route reconcile hands its backend.
   *
   * @param route the route: what is asked for and the owner of what is made
   * @param cluster its resolved Cluster
   * @param owned its children as the controller's informers cache them
   * @param endpointSlices the EndpointSlices of a Service (namespace, name), from the controller's
   *     informer
   * @param hold the finalizer that keeps the route until its ELBv2 objects are gone
   */
  record Input(
      LoadBalancerRoute route,
      ResolvedCluster cluster,
      InformerCaches owned,
      EndpointSlices endpointSlices,
      CleanupHold hold) {

    public String namespace() {
      return route.getMetadata().getNamespace();
    }
  }

  /** The EndpointSlices of one Service, as an informer caches them. */
  @FunctionalInterface
  interface EndpointSlices {
    List<EndpointSlice> of(String namespace, String serviceName);
  }

  /** The finalizer a route holds while it may own objects outside Kubernetes. */
  interface CleanupHold {
    /** Before the first call that may create something outside Kubernetes. */
    void hold();

    /** Once nothing outside Kubernetes is left. */
    void release();
  }

  /**
   * The listener of a route that writes ELBv2 objects, with its rules, read before planning.
   *
   * @param context the AWS context the listener was read with (its writes use the same)
   * @param observed the listener and which of its rules are whose
   */
  record Listener(AwsContext context, ElbRoutes.Observed observed) {}

  /**
   * The planned route.
   *
   * @param me the route as planner input
   * @param plan its priorities
   * @param peers every other route as planner input
   * @param plans every route's plan, by namespace/name
   * @param listener its listener, when it writes ELBv2 objects (else null)
   * @param reserved the priorities others hold on the listener
   */
  record Request(
      ListenerRulePlanner.Route me,
      ListenerRulePlanner.Plan plan,
      List<ListenerRulePlanner.Route> peers,
      Map<String, ListenerRulePlanner.Plan> plans,
      Listener listener,
      Set<Integer> reserved) {}

  /** How the route stands after {@link #apply}. */
  enum State {
    READY,
    PROGRESSING,
    DEGRADED,
    /**
     * Nothing was written on the listener: its rules were a read the routes on it share, and the
     * route must write; the listener is to be read for this route ({@link ListenerRead#OWN}), the
     * route planned again and applied again. Never the answer to a route's own read.
     */
    REREAD_LISTENER
  }

  /**
   * Where the route landed.
   *
   * @param state ready, waiting or failed
   * @param reason the condition's reason, e.g. {@code RulesInPlace}
   * @param message what the condition says
   * @param warnings what the mode cannot express
   * @param recheckAfter when a ready route looks again (its listener's next sweep, so the routes on
   *     one listener share a read); null for the controller's resync period
   */
  record Result(
      State state,
      String reason,
      String message,
      List<StatusWarning> warnings,
      Duration recheckAfter) {

    public Result(State state, String reason, String message, List<StatusWarning> warnings) {
      this(state, reason, message, warnings, null);
    }

    public static Result ready(String reason, String message, List<StatusWarning> warnings) {
      return new Result(State.READY, reason, message, warnings);
    }

    /** See {@link State#REREAD_LISTENER}. */
    public static Result rereadListener() {
      return new Result(State.REREAD_LISTENER, null, null, List.of());
    }

    /** This result, looked at again after {@code delay}. */
    public Result recheckingAfter(Duration delay) {
      return new Result(state, reason, message, warnings, delay);
    }

    public static Result progressing(String reason, String message) {
      return new Result(State.PROGRESSING, reason, message, List.of());
    }

    public static Result degraded(String reason, String message) {
      return new Result(State.DEGRADED, reason, message, List.of());
    }
  }

  /**
   * The routes planned on a listener and the rule ARNs in their status: what tells their rules from
   * rules Tidewater does not manage.
   */
  record Planned(Set<String> ruleArns, List<LoadBalancerRoute> routes) {}

  /** Which read of a listener's rules a route plans on. */
  enum ListenerRead {
    /**
     * A read the routes on the listener share within a resync (a route that is new, changed or
     * waiting for the listener reads its own all the same); enough to see that nothing is to be
     * written.
     */
    SHARED,
    /** A read made for this route: what its writes are decided on. */
    OWN
  }

  /**
   * Reads the listener the route's rules go on and its rules (ELBv2 routes only).
   *
   * @param plannedOn the routes planned on the listener, given its ARN once it is resolved (routes
   *     that name it by ARN or by load balancer and port are on it alike)
   * @param read whether a shared read of the rules will do
   */
  Listener observeListener(
      Input input, java.util.function.Function<String, Planned> plannedOn, ListenerRead read);

  /** Realises the planned route, recording what it made in {@code next}. */
  Result apply(Input input, Request request, LoadBalancerRouteStatus next);

  /**
   * Deletes listener rules the route made before it came to overlap an older route of another
   * namespace (they would go on taking that route's traffic); its target group stays. Rules already
   * gone are fine.
   */
  void withdrawRules(Listener listener, List<String> ruleArns);

  /**
   * Removes what this backend made for a route that now runs on another one; called after the other
   * backend applied it.
   */
  default void leave(Input input) {}

  /**
   * A route the validator refused whose ELBv2 objects may reach an ECS service: its status lets go
   * of them at once and they are deleted (unless Retain) once no ECS service names them.
   *
   * @return when to look again; null when nothing is left to wait for
   */
  Duration releaseRefused(Input input, LoadBalancerRouteStatus next);

  /**
   * Deletes the ELBv2 objects of a route being deleted (its status names them).
   *
   * @return why they could not be deleted yet, else empty
   */
  Optional<Problem> removeElb(Input input);
}
