package dev.tidewater.backend.fake;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import dev.tidewater.backend.RouteBackend;
import dev.tidewater.backend.aws.ElbRoutes;
import dev.tidewater.model.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An in-memory LoadBalancerRoute backend for unit tests: a listener with the rules outside
 * Tidewater the test puts there, {@code apply} answering what the test scripts (or throwing a
 * {@code BackendFailure}); it records the priorities applied and each time it was left.
 */
public final class FakeRouteBackend implements RouteBackend {

  /** The listener every route of this backend resolves to. */
  public static final String LISTENER_ARN =
      "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/public/1/2";

  private Map<Integer, String> foreign = Map.of();
  private Map<Integer, String> foreignOnOwnRead;
  private Function<Request, Result> onApply =
      request -> Result.ready("RulesInPlace", "in place", List.of());
  private final List<List<Integer>> applied = new ArrayList<>();
  private int observed;
  private final List<ListenerRead> reads = new ArrayList<>();
  private boolean sharedReads;
  private int left;
  private Optional<Problem> removalFailure = Optional.empty();
  private int removals;
  private final List<String> withdrawn = new ArrayList<>();

  /** Rules outside Tidewater on the listener: priority to rule ARN. */
  public FakeRouteBackend withForeignRules(Map<Integer, String> foreign) {
    this.foreign = foreign;
    return this;
  }

  /**
   * Rules outside Tidewater a read of the route's own sees (made after the shared read, which still
   * shows {@link #withForeignRules}).
   */
  public FakeRouteBackend withForeignRulesOnOwnRead(Map<Integer, String> foreign) {
    this.foreignOnOwnRead = foreign;
    return this;
  }

  public FakeRouteBackend onApply(Function<Request, Result> onApply) {
    this.onApply = onApply;
    return this;
  }

  /** Why deleting the route's ELBv2 objects fails (empty: it succeeds). */
  public FakeRouteBackend failingRemoval(Problem why) {
    this.removalFailure = Optional.of(why);
    return this;
  }

  /** How often it was asked to delete a route's ELBv2 objects. */
  public int removals() {
    return removals;
  }

  /**
   * The priorities of each apply: what a real backend would have written (not those answered with
   * {@link State#REREAD_LISTENER}, which write nothing).
   */
  public List<List<Integer>> applied() {
    return applied;
  }

  /** The rule ARNs withdrawn from the listener. */
  public List<String> withdrawn() {
    return withdrawn;
  }

  /** How often the listener was read. */
  public int observed() {
    return observed;
  }

  /** Which read each look at the listener asked for. */
  public List<ListenerRead> reads() {
    return reads;
  }

  /**
   * A {@link ListenerRead#SHARED} look gets rules read before it asked (as a settled route's look
   * does), so a write must not be decided on them.
   */
  public FakeRouteBackend withSharedReads() {
    this.sharedReads = true;
    return this;
  }

  /** How often the backend was told the route moved elsewhere. */
  public int left() {
    return left;
  }

  @Override
  public Listener observeListener(
      Input input, java.util.function.Function<String, Planned> plannedOn, ListenerRead read) {
    observed++;
    reads.add(read);
    return new Listener(
        null,
        new ElbRoutes.Observed(
            LISTENER_ARN,
            "spec",
            null,
            List.of(),
            Map.of(),
            read == ListenerRead.OWN && foreignOnOwnRead != null ? foreignOnOwnRead : foreign,
            Optional.empty(),
            null,
            sharedReads && read == ListenerRead.SHARED));
  }

  /**
   * What an ELBv2 backend answers for a route whose rules must be written: on a shared read, read
   * again ({@link State#REREAD_LISTENER}); on its own read, written and in place.
   */
  public static Result writesOnOwnReadOnly(Request request) {
    return request.listener().observed().shared()
        ? Result.rereadListener()
        : Result.ready("RulesInPlace", "in place", List.of());
  }

  @Override
  public Result apply(Input input, Request request, LoadBalancerRouteStatus next) {
    Result result = null;
    try {
      result = onApply.apply(request);
      return result;
    } finally {
      // a failure may have written part of it
      if (result == null || result.state() != State.REREAD_LISTENER) {
        applied.add(request.plan().priorities());
      }
    }
  }

  @Override
  public void leave(Input input) {
    left++;
  }

  @Override
  public void withdrawRules(Listener listener, List<String> ruleArns) {
    withdrawn.addAll(ruleArns);
  }

  @Override
  public Duration releaseRefused(Input input, LoadBalancerRouteStatus next) {
    return null;
  }

  @Override
  public Optional<Problem> removeElb(Input input) {
    removals++;
    return removalFailure;
  }
}
