package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.model.CutOver.Decision;
import dev.tidewater.model.CutOver.Input;
import dev.tidewater.model.CutOver.Knobs;
import dev.tidewater.model.CutOver.Phase;
import dev.tidewater.model.CutOver.Side;
import dev.tidewater.model.CutOver.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The cut-over's decisions: the phases in order on a healthy move, rollback and revert, and the
 * safety rule over arbitrary inputs (nothing the cut-over does takes healthy capacity below desired
 * × minimumHealthyPercent).
 */
class CutOverTest {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final Knobs KNOBS =
      new Knobs(25, Duration.ofSeconds(30), Duration.ofSeconds(600), false);

  private static Input input(Phase phase, Instant now, Side old, Side next) {
    return new Input(
        new State(phase, T0, phase == Phase.SHIFTING ? T0 : null, null),
        now,
        4,
        100,
        false,
        true,
        true,
        null,
        false,
        KNOBS,
        old,
        next);
  }

  private static Side running(int n) {
    return new Side(true, n, n, false);
  }

  @Test
  void aHealthyMoveStartsVerifiesSoaksShiftsInStepsAndFinishes() {
    Decision start = CutOver.decide(input(Phase.PENDING, T0, running(4), Side.NONE));
    assertThat(start.phase()).isEqualTo(Phase.VERIFYING);
    assertThat(start.applyNew()).isTrue();
    assertThat(start.scaleOld()).isNull();

    Decision waiting =
        CutOver.decide(input(Phase.VERIFYING, T0.plusSeconds(5), running(4), running(2)));
    assertThat(waiting.phase()).isEqualTo(Phase.VERIFYING);
    assertThat(waiting.readySince()).isNull();

    Decision ready =
        CutOver.decide(input(Phase.VERIFYING, T0.plusSeconds(10), running(4), running(4)));
    assertThat(ready.phase()).as("soaking").isEqualTo(Phase.VERIFYING);
    assertThat(ready.readySince()).isEqualTo(T0.plusSeconds(10));

    Input soaked =
        new Input(
            new State(Phase.VERIFYING, T0, T0.plusSeconds(10), null),
            T0.plusSeconds(41),
            4,
            100,
            false,
            true,
            true,
            null,
            false,
            KNOBS,
            running(4),
            running(4));
    assertThat(CutOver.decide(soaked).phase()).isEqualTo(Phase.SHIFTING);

    Decision step =
        CutOver.decide(input(Phase.SHIFTING, T0.plusSeconds(42), running(4), running(4)));
    assertThat(step.scaleOld()).as("25%% of 4 per step").isEqualTo(3);

    Input atZero =
        new Input(
            new State(Phase.SHIFTING, T0, T0, 0),
            T0.plusSeconds(60),
            4,
            100,
            false,
            true,
            true,
            null,
            false,
            KNOBS,
            running(0),
            running(4));
    Decision finish = CutOver.decide(atZero);
    assertThat(finish.phase()).isEqualTo(Phase.FINISHING);
    assertThat(finish.removeOld()).isTrue();
    assertThat(finish.onRemoved()).isEqualTo(Phase.COMPLETED);
  }

  @Test
  void aNewSideThatNeverBecomesReadyRollsBackOldSideFirst() {
    Decision late =
        CutOver.decide(input(Phase.VERIFYING, T0.plusSeconds(601), running(4), running(1)));
    assertThat(late.phase()).isEqualTo(Phase.ROLLING_BACK);
    assertThat(late.restoreOld()).isTrue();
    assertThat(late.removeNew()).as("the old side alone meets the requirement").isTrue();
    assertThat(late.onRemoved()).isEqualTo(Phase.FAILED);

    Decision oldShort =
        CutOver.decide(input(Phase.ROLLING_BACK, T0.plusSeconds(602), running(2), running(1)));
    assertThat(oldShort.removeNew()).as("not before the old side is back").isFalse();
    assertThat(oldShort.restoreOld()).isTrue();
  }

  @Test
  void aFailedRolloutOfTheNewSideRollsBackAtOnce() {
    Decision d =
        CutOver.decide(
            input(Phase.VERIFYING, T0.plusSeconds(1), running(4), new Side(true, 4, 0, true)));
    assertThat(d.phase()).isEqualTo(Phase.ROLLING_BACK);
  }

  @Test
  void flippingBackMidShiftRestoresTheOldSideThenRemovesTheNewOne() {
    Input back =
        new Input(
            new State(Phase.SHIFTING, T0, T0, 2),
            T0.plusSeconds(50),
            4,
            100,
            false,
            true,
            true,
            null,
            true,
            KNOBS,
            new Side(true, 2, 2, false),
            running(4));
    Decision d = CutOver.decide(back);
    assertThat(d.phase()).isEqualTo(Phase.REVERTING);
    assertThat(d.restoreOld()).isTrue();
    assertThat(d.removeNew()).as("old 2 < 4 required: the new side stays").isFalse();
  }

  @Test
  void aRouteWhoseSidesShareNoTargetGroupStopsBeforeShift() {
    Input held =
        new Input(
            new State(Phase.VERIFYING, T0, T0, null),
            T0.plusSeconds(100),
            4,
            100,
            false,
            true,
            true,
            "move the traffic first",
            false,
            KNOBS,
            running(4),
            running(4));
    Decision d = CutOver.decide(held);
    assertThat(d.phase()).isEqualTo(Phase.VERIFYING);
    assertThat(d.message()).isEqualTo("move the traffic first");
    assertThat(d.scaleOld()).isNull();
  }

  @Test
  void waitingForASlotOrPausedStartsNothing() {
    Input noSlot =
        new Input(
            new State(Phase.PENDING, T0, null, null),
            T0,
            4,
            100,
            false,
            false,
            true,
            null,
            false,
            KNOBS,
            running(4),
            Side.NONE);
    assertThat(CutOver.decide(noSlot).applyNew()).isFalse();
    Input paused =
        new Input(
            new State(Phase.PENDING, T0, null, null),
            T0,
            4,
            100,
            false,
            true,
            true,
            null,
            false,
            new Knobs(25, Duration.ZERO, Duration.ofSeconds(60), true),
            running(4),
            Side.NONE);
    assertThat(CutOver.decide(paused).applyNew()).isFalse();
  }

  @Test
  void shiftStepsOfTenAtTwentyFivePercent() {
    assertThat(CutOver.shiftSteps(10, 100, 25, false)).containsExactly(10, 7, 4, 1, 0);
    assertThat(CutOver.shiftSteps(10, 100, 100, false)).containsExactly(10, 0);
    assertThat(CutOver.shiftSteps(3, 100, 25, true)).as("DAEMON: one step").containsExactly(3, 0);
    assertThat(CutOver.shiftSteps(0, 100, 25, false)).containsExactly(0);
  }

  @Test
  void trafficIsHeldUnlessTheSidesShareATargetGroup() {
    assertThat(CutOver.trafficHeld("web", "aws")).isNull();
    assertThat(CutOver.trafficHeld("web", null))
        .contains(
            "LoadBalancerRoute web", "routing mode ingress", CutOver.TRAFFIC_SHIFTED + "=true");
    assertThat(CutOver.trafficHeld("web", "gateway")).contains("routing mode gateway");
  }

  /**
   * The preview's steps ({@link CutOver#shiftSteps}) are the old side's counts {@link
   * CutOver#decide} scales to, pass after pass, while the new side stays ready and each step takes
   * effect: the offline plan and the operator cannot disagree.
   */
  @Property(tries = 500)
  void shiftStepsAreWhatTheDecisionsScaleTheOldSideTo(
      @ForAll("counts") int desired,
      @ForAll("percents") int minimumHealthyPercent,
      @ForAll("steps") int stepPercent,
      @ForAll boolean daemon) {
    Knobs knobs = new Knobs(stepPercent, Duration.ZERO, Duration.ofSeconds(600), false);
    List<Integer> seen = new ArrayList<>(List.of(desired));
    Integer oldTarget = null;
    int oldCount = desired;
    for (int pass = 0; pass < 1000; pass++) {
      Decision d =
          CutOver.decide(
              new Input(
                  new State(Phase.SHIFTING, T0, T0, oldTarget),
                  T0.plusSeconds(pass),
                  desired,
                  minimumHealthyPercent,
                  daemon,
                  true,
                  true,
                  null,
                  false,
                  knobs,
                  new Side(true, oldCount, oldCount, false),
                  new Side(true, desired, desired, false)));
      if (d.scaleOld() != null && d.scaleOld() != oldCount) {
        seen.add(d.scaleOld());
        oldCount = d.scaleOld();
      }
      oldTarget = d.oldTarget();
      if (d.phase() == Phase.FINISHING) break;
    }
    assertThat(CutOver.shiftSteps(desired, minimumHealthyPercent, stepPercent, daemon))
        .isEqualTo(seen);
  }

  @Provide
  Arbitrary<Integer> counts() {
    return Arbitraries.integers().between(0, 60);
  }

  @Provide
  Arbitrary<Integer> percents() {
    return Arbitraries.integers().between(0, 100);
  }

  @Provide
  Arbitrary<Integer> steps() {
    return Arbitraries.integers().between(1, 100);
  }

  /**
   * Whatever the phase, the clock and both sides report, what the decision does (scale the old
   * side, remove either side) never leaves healthy capacity below the requirement, nor lowers it
   * further when it already is.
   */
  @Property(tries = 3000)
  void nothingTheCutOverDoesTakesCapacityBelowTheRequirement(@ForAll("inputs") Input in) {
    Decision d = CutOver.decide(in);
    int before = in.old().ready() + in.next().ready();
    int oldAfter = in.old().ready();
    if (d.scaleOld() != null) oldAfter = Math.min(oldAfter, d.scaleOld());
    if (d.removeOld()) oldAfter = 0;
    int newAfter = d.removeNew() ? 0 : in.next().ready();
    int after = oldAfter + newAfter;
    assertThat(after).as("%s -> %s", in, d).isGreaterThanOrEqualTo(Math.min(before, in.required()));
  }

  @Provide
  Arbitrary<Input> inputs() {
    Arbitrary<Phase> phases = Arbitraries.of(Phase.class);
    Arbitrary<Integer> desired = Arbitraries.integers().between(0, 40);
    Arbitrary<Side> sides =
        Combinators.combine(
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, 40),
                Arbitraries.of(true, false))
            .as((exists, d, r, failed) -> exists ? new Side(true, d, r, failed) : Side.NONE);
    Arbitrary<State> states =
        Combinators.combine(
                phases,
                Arbitraries.integers().between(0, 2000),
                Arbitraries.integers().between(0, 2000).injectNull(0.3),
                Arbitraries.integers().between(0, 40).injectNull(0.3))
            .as(
                (p, since, ready, target) ->
                    new State(
                        p,
                        T0.plusSeconds(since),
                        ready == null ? null : T0.plusSeconds(ready),
                        target));
    Arbitrary<Knobs> knobs =
        Combinators.combine(
                Arbitraries.integers().between(1, 100),
                Arbitraries.integers().between(0, 300),
                Arbitraries.integers().between(10, 900),
                Arbitraries.of(true, false))
            .as(
                (step, soak, timeout, paused) ->
                    new Knobs(step, Duration.ofSeconds(soak), Duration.ofSeconds(timeout), paused));
    return Combinators.combine(
            states,
            desired,
            Arbitraries.integers().between(0, 200),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            knobs,
            Combinators.combine(sides, sides, Arbitraries.integers().between(0, 3000))
                .as((o, n, now) -> new Side[] {o, n, n == null ? null : o}))
        .as(
            (state, d, minHealthy, daemon, slot, reverse, k, pair) ->
                new Input(
                    state,
                    T0.plusSeconds(2000),
                    d,
                    minHealthy,
                    daemon,
                    slot,
                    true,
                    null,
                    reverse,
                    k,
                    pair[0],
                    pair[1]));
  }
}
