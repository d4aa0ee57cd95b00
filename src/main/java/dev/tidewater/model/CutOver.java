package dev.tidewater.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The managed cut-over of one Service from one backend to the other, as a pure decision: from the
 * phase it is in, the clock and what each side runs, what to do now and the phase after. The
 * reconciler observes both sides, calls {@link #decide} and carries the decision out; everything it
 * needs to resume after a restart is in {@link State} (status.migration).
 *
 * <p>The safety rule every decision keeps: healthy capacity (old running + new ready) never drops
 * below {@link Input#required()} = desired × minimumHealthyPercent, rounded up, by anything the
 * cut-over does. The old side is only scaled down below what runs while the new side is ready, by
 * at most {@code newReady} below the requirement; a side is removed only while the other one alone
 * meets it.
 */
public final class CutOver {

  private CutOver() {}

  /**
   * The annotation that says traffic was moved to the new side by hand, where a route's two sides
   * cannot share a target group (routing mode ingress or gateway): the cut-over then goes on.
   */
  public static final String TRAFFIC_SHIFTED = "tidewater.dev/traffic-shifted";

  /** The phases of a Service's migration (status.migration.phase). */
  public enum Phase {
    /** Waiting for a migration slot of its Cluster, or paused before it started. */
    PENDING,
    /** The new side cannot run yet (its revision or task role is not there). */
    PREPARING,
    /** The new side runs at the desired count; it must be ready for the soak time. */
    VERIFYING,
    /** The old side is scaled down in steps while the new side stays ready. */
    SHIFTING,
    /** The old side is removed (deletionPolicy Retain: kept at zero). */
    FINISHING,
    /** The new side serves alone. */
    COMPLETED,
    /** The new side failed: the old side back to full, then the new side removed. */
    ROLLING_BACK,
    /** Rolled back; a new generation of the Service or its Cluster tries again. */
    FAILED,
    /** The Cluster was flipped back mid-way: the old side back to full, the new side removed. */
    REVERTING,
    /** Flipped back before the cut-over finished: the Service runs where it ran. */
    REVERTED;

    /** The name status and Events use: {@code RollingBack}. */
    public String title() {
      StringBuilder b = new StringBuilder();
      for (String part : name().split("_")) {
        b.append(part.charAt(0)).append(part.substring(1).toLowerCase());
      }
      return b.toString();
    }

    /** The condition reason of a Service in this phase: {@code MigrationShifting}. */
    public String reason() {
      return "Migration" + title();
    }

    public static Phase ofTitle(String title) {
      for (Phase p : values()) {
        if (p.title().equals(title)) return p;
      }
      return null;
    }

    /**
     * Whether a pass that decided this phase has committed to it even when its action fails
     * part-way (the old side's removal, a rollback, a revert): the next pass carries the same
     * action on from this phase rather than deciding afresh from the one before.
     */
    public boolean committed() {
      return this == FINISHING || this == ROLLING_BACK || this == REVERTING;
    }

    /** Whether the migration is under way (both sides may run). */
    public boolean active() {
      return this != COMPLETED && this != FAILED && this != REVERTED;
    }
  }

  /**
   * What one side runs now.
   *
   * @param exists whether it runs anything for the Service at all
   * @param desired tasks it is asked to run
   * @param ready tasks running and ready (ECS: running)
   * @param failed whether its rollout failed (circuit breaker, progress deadline)
   */
  public record Side(boolean exists, int desired, int ready, boolean failed) {
    public static final Side NONE = new Side(false, 0, 0, false);

    /** A side that runs, from counts a backend may not know yet (null: none). */
    public static Side running(Integer desired, Integer ready, boolean failed) {
      return new Side(true, desired == null ? 0 : desired, ready == null ? 0 : ready, failed);
    }
  }

  /**
   * What status.migration remembers between passes.
   *
   * @param phase where it stands
   * @param phaseSince when that phase began
   * @param readySince since when the new side has been ready at the desired count, else null
   * @param oldTarget the count the old side was last scaled to (Shifting), else null
   */
  public record State(Phase phase, Instant phaseSince, Instant readySince, Integer oldTarget) {}

  /**
   * The pace and safety knobs of the Cluster (spec.migration).
   *
   * @param stepPercent percent of the desired count the old side loses per step
   * @param soak how long the new side must stay ready before the old side is scaled down
   * @param verifyTimeout how long the new side has to become ready
   * @param paused nothing moves on (a rollback or revert still restores the old side)
   */
  public record Knobs(int stepPercent, Duration soak, Duration verifyTimeout, boolean paused) {}

  /**
   * One pass.
   *
   * @param state the migration as status has it
   * @param now the clock
   * @param desired the tasks the Service wants
   * @param minimumHealthyPercent the Service's deployment floor (ECS default 100)
   * @param daemon a DAEMON service: the old side cannot be scaled, it goes in one step
   * @param slotFree whether the Cluster has a migration slot for this Service
   * @param newRunnable whether the new side can run the Service's revision now
   * @param trafficHeld why traffic cannot follow the new side by itself (a route whose two sides
   *     cannot share a target group, not yet approved), else null: the cut-over stops before Shift
   * @param reverse the Cluster selects the old side again
   * @param old what the old side runs
   * @param next what the new side runs
   */
  public record Input(
      State state,
      Instant now,
      int desired,
      int minimumHealthyPercent,
      boolean daemon,
      boolean slotFree,
      boolean newRunnable,
      String trafficHeld,
      boolean reverse,
      Knobs knobs,
      Side old,
      Side next) {

    /** The healthy capacity never to go below: desired × minimumHealthyPercent, rounded up. */
    public int required() {
      return CutOver.required(desired, minimumHealthyPercent);
    }
  }

  /**
   * What to do now.
   *
   * @param phase the phase after this pass
   * @param readySince as {@link State#readySince}
   * @param oldTarget as {@link State#oldTarget}
   * @param applyNew apply the Service on the new side (start it or keep it converged)
   * @param scaleOld scale the old side to this count (null: leave its count)
   * @param restoreOld apply the Service on the old side as usual (back to full)
   * @param removeOld remove the old side; once removed, the phase is {@code onRemoved}
   * @param removeNew remove the new side; once removed, the phase is {@code onRemoved}
   * @param onRemoved the phase after a requested removal finished
   * @param message what the pass does or waits for, for status and the condition
   */
  public record Decision(
      Phase phase,
      Instant readySince,
      Integer oldTarget,
      boolean applyNew,
      Integer scaleOld,
      boolean restoreOld,
      boolean removeOld,
      boolean removeNew,
      Phase onRemoved,
      String message) {

    static Decision hold(Input in, Phase phase, String message) {
      return new Decision(
          phase,
          in.state().readySince(),
          in.state().oldTarget(),
          false,
          null,
          false,
          false,
          false,
          null,
          message);
    }
  }

  /** The decision for one pass. */
  public static Decision decide(Input in) {
    Phase phase = in.state().phase();
    if (in.reverse() && phase.active() && phase != Phase.FINISHING) {
      return undo(in, Phase.REVERTING, Phase.REVERTED, "the Cluster selects the old side again");
    }
    return switch (phase) {
      case ROLLING_BACK ->
          undo(in, Phase.ROLLING_BACK, Phase.FAILED, "the new side failed; rolling back");
      case REVERTING ->
          undo(in, Phase.REVERTING, Phase.REVERTED, "the Cluster selects the old side again");
      case FINISHING -> finish(in);
      case COMPLETED, FAILED, REVERTED ->
          Decision.hold(in, phase, "the migration " + phase.title().toLowerCase());
      case PENDING, PREPARING -> start(in);
      case VERIFYING -> verify(in);
      case SHIFTING -> shift(in);
    };
  }

  private static Decision start(Input in) {
    if (in.knobs().paused()) {
      return Decision.hold(in, in.state().phase(), "paused (spec.migration.paused)");
    }
    if (!in.slotFree()) {
      return Decision.hold(
          in, Phase.PENDING, "waiting for a migration slot (spec.migration.maxConcurrentServices)");
    }
    if (!in.newRunnable()) {
      if (in.state().phase() == Phase.PREPARING && overdue(in)) {
        // nothing runs on the new side: failing gives the slot back and says why
        return undo(
            in,
            Phase.ROLLING_BACK,
            Phase.FAILED,
            "the new side could not run the revision within "
                + in.knobs().verifyTimeout().toSeconds()
                + "s (its revision or role is not there)");
      }
      return Decision.hold(
          in, Phase.PREPARING, "the new side cannot run the revision yet (its revision or role)");
    }
    return new Decision(
        Phase.VERIFYING,
        null,
        null,
        true,
        null,
        false,
        false,
        false,
        null,
        "starting the new side at " + in.desired() + " tasks");
  }

  private static boolean newFullyReady(Input in) {
    return in.next().exists() && !in.next().failed() && in.next().ready() >= in.desired();
  }

  private static Decision verify(Input in) {
    if (in.next().failed()) {
      return rollBack(in, "the new side's rollout failed");
    }
    boolean ready = newFullyReady(in);
    if (in.knobs().paused()) {
      // paused: nothing moves on, not even the timeout; the new side is kept as it is
      return new Decision(
          Phase.VERIFYING,
          ready ? in.state().readySince() : null,
          null,
          true,
          null,
          false,
          false,
          false,
          null,
          "paused (spec.migration.paused)");
    }
    if (!ready && overdue(in)) {
      return rollBack(
          in,
          "the new side was not ready at "
              + in.desired()
              + " tasks within "
              + in.knobs().verifyTimeout().toSeconds()
              + "s (ready: "
              + in.next().ready()
              + ")");
    }
    Instant readySince = ready ? orNow(in.state().readySince(), in.now()) : null;
    String message;
    Phase phase = Phase.VERIFYING;
    if (!ready) {
      message = "waiting for the new side: " + in.next().ready() + "/" + in.desired() + " ready";
    } else if (Duration.between(readySince, in.now()).compareTo(in.knobs().soak()) < 0) {
      message = "the new side is ready; soaking for " + in.knobs().soak().toSeconds() + "s";
    } else if (in.trafficHeld() != null) {
      message = in.trafficHeld();
    } else {
      phase = Phase.SHIFTING;
      message = "the new side stayed ready; scaling the old side down";
    }
    return new Decision(phase, readySince, null, true, null, false, false, false, null, message);
  }

  private static Decision finish(Input in) {
    boolean safe = in.old().ready() == 0 || in.next().ready() >= in.required();
    return new Decision(
        Phase.FINISHING,
        in.state().readySince(),
        0,
        true,
        null,
        false,
        safe,
        false,
        Phase.COMPLETED,
        safe
            ? "removing the old side; the new side serves alone"
            : "waiting for the new side ("
                + in.next().ready()
                + "/"
                + in.required()
                + " ready) before the old side's last tasks go");
  }

  private static Decision shift(Input in) {
    if (in.next().failed()) {
      return rollBack(in, "the new side's rollout failed while shifting");
    }
    int current = in.state().oldTarget() == null ? in.old().desired() : in.state().oldTarget();
    if (!newFullyReady(in)) {
      // the new side lost tasks: the old side comes back up as far as the floor needs, and the
      // new side is verified again (ready for the soak, or rolled back after the timeout)
      int back = Math.max(current, Math.min(in.desired(), in.required() - in.next().ready()));
      return new Decision(
          Phase.VERIFYING,
          null,
          null,
          true,
          back > current ? back : null,
          false,
          false,
          false,
          null,
          "the new side has "
              + in.next().ready()
              + "/"
              + in.desired()
              + " ready: the old side back to "
              + back
              + ", verifying the new side again");
    }
    if (in.knobs().paused()) {
      return Decision.hold(in, Phase.SHIFTING, "paused (spec.migration.paused)");
    }
    if (in.daemon() || current <= 0) {
      return new Decision(
          Phase.FINISHING,
          in.state().readySince(),
          0,
          true,
          0,
          false,
          true,
          false,
          Phase.COMPLETED,
          "the old side is at zero; removing it");
    }
    if (in.old().ready() > current) {
      // the last step has not taken effect yet
      return new Decision(
          Phase.SHIFTING,
          in.state().readySince(),
          current,
          true,
          current,
          false,
          false,
          false,
          null,
          "waiting for the old side to come down to " + current);
    }
    int target =
        nextOldCount(
            current, in.desired(), in.knobs().stepPercent(), in.required(), in.next().ready());
    return new Decision(
        Phase.SHIFTING,
        in.state().readySince(),
        target,
        true,
        target,
        false,
        false,
        false,
        null,
        "scaling the old side to " + target + " (new side " + in.next().ready() + " ready)");
  }

  /**
   * The count one Shift step scales the old side to: down by {@code stepPercent} of the desired
   * count (at least one task), never below what keeps old + new at {@code required}. The reconciler
   * (through {@link #decide}) and the offline preview ({@link #shiftSteps}) both step with this.
   *
   * @param current the count the old side is at
   * @param newReady tasks of the new side ready now
   */
  public static int nextOldCount(
      int current, int desired, int stepPercent, int required, int newReady) {
    int step = Math.max(1, (int) Math.ceil(desired * stepPercent / 100.0));
    int floor = Math.max(0, required - newReady);
    return Math.max(floor, current - step);
  }

  /**
   * The old side's counts a Shift goes through when the new side stays ready at the desired count:
   * from {@code desired} down to 0, one entry per step ({@code [desired, 0]} for a DAEMON service,
   * which goes in one step). What {@code tidewater migrate-plan} prints.
   */
  public static List<Integer> shiftSteps(
      int desired, int minimumHealthyPercent, int stepPercent, boolean daemon) {
    List<Integer> steps = new ArrayList<>();
    steps.add(desired);
    if (daemon || desired <= 0) {
      if (desired > 0) steps.add(0);
      return steps;
    }
    int required = required(desired, minimumHealthyPercent);
    int current = desired;
    while (current > 0) {
      int next = nextOldCount(current, desired, stepPercent, required, desired);
      if (next >= current) break; // cannot happen while the new side is fully ready; no loop
      steps.add(next);
      current = next;
    }
    return steps;
  }

  /** Desired × minimumHealthyPercent, rounded up: the healthy capacity a cut-over keeps. */
  public static int required(int desired, int minimumHealthyPercent) {
    // ECS takes 0-100 (a floor above the desired count could never be met)
    int percent = Math.min(100, Math.max(0, minimumHealthyPercent));
    return (int) Math.ceil(desired * percent / 100.0);
  }

  /**
   * Whether both sides of a Service serve a route's traffic together in this routing mode (null:
   * ingress): only in {@code aws} mode, where tasks and pods register in one target group.
   */
  public static boolean sidesShareTraffic(String routingMode) {
    return "aws".equals(routingMode);
  }

  /**
   * Why a Service's traffic cannot follow the new side by itself ({@link Input#trafficHeld}): a
   * route to it in a routing mode whose load balancer the two sides do not share; null in {@code
   * aws} mode, where both sides register in one target group.
   *
   * @param routeName the LoadBalancerRoute that sends traffic to the Service
   * @param routingMode the Cluster's routing mode (null: ingress, the default)
   */
  public static String trafficHeld(String routeName, String routingMode) {
    if (sidesShareTraffic(routingMode)) return null;
    String mode = routingMode == null ? "ingress" : routingMode;
    return "LoadBalancerRoute "
        + routeName
        + " sends traffic through a load balancer the two sides do not share (routing mode "
        + mode
        + "): move the traffic to the new side (DNS or weights), then annotate the Service "
        + TRAFFIC_SHIFTED
        + "=true to scale the old side down; routing mode aws shares one target group and needs"
        + " no step";
  }

  private static Decision rollBack(Input in, String why) {
    return undo(in, Phase.ROLLING_BACK, Phase.FAILED, why);
  }

  /** The old side back to full first; the new side goes only once the old one alone suffices. */
  private static Decision undo(Input in, Phase phase, Phase after, String why) {
    boolean oldEnough = in.old().ready() >= in.required();
    if (oldEnough && !in.next().exists()) {
      return new Decision(
          after, null, null, false, null, true, false, false, null, why + "; the new side is gone");
    }
    return new Decision(
        phase,
        null,
        null,
        false,
        null,
        true,
        false,
        oldEnough && in.next().exists(),
        after,
        oldEnough
            ? why + "; removing the new side"
            : why
                + "; the old side is coming back ("
                + in.old().ready()
                + "/"
                + in.required()
                + " needed before the new side goes)");
  }

  /** Whether the current phase has lasted longer than the verify timeout. */
  private static boolean overdue(Input in) {
    return in.state().phaseSince() != null
        && Duration.between(in.state().phaseSince(), in.now()).compareTo(in.knobs().verifyTimeout())
            > 0;
  }

  private static Instant orNow(Instant t, Instant now) {
    return t == null ? now : t;
  }
}
