package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The write policy of statuses that report progress (StatusRecorder with ProgressPacing): what is
 * written at once, what is held and for how long, and that a held status always ends up written.
 */
class ProgressPacingTest {

  private static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final Set<String> COUNTS = ServiceReconciler.COUNTS;

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-12-07T10:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final MovableClock clock = new MovableClock();
  private final ProgressPacing pacing = new ProgressPacing(clock, INTERVAL);
  private final StatusRecorder recorder = new StatusRecorder(clock, pacing);

  private static EcsService service(EcsServiceStatus recorded) {
    EcsService s = new EcsService();
    s.setMetadata(
        new ObjectMetaBuilder()
            .withName("web")
            .withNamespace("a")
            .withUid("uid-web")
            .withGeneration(1L)
            .build());
    s.setStatus(recorded);
    return s;
  }

  /** What a reconcile wants the status to say: counts, revision and where the rollout stands. */
  record Want(int desired, int running, int revision, String state) {

    boolean rollingOut() {
      return state.equals("RollingOut");
    }

    Outcome outcome() {
      return switch (state) {
        case "RollingOut" ->
            Outcome.progressing(
                "RollingOut",
                "rolling out revision "
                    + revision
                    + ": "
                    + running
                    + "/"
                    + desired
                    + " tasks ready");
        case "Running" ->
            Outcome.ready(
                "Running", running + "/" + desired + " tasks of revision " + revision + " running");
        default -> Outcome.degraded(state, "revision " + revision + " did not become healthy");
      };
    }

    EcsServiceStatus next() {
      EcsServiceStatus s = new EcsServiceStatus();
      s.desiredCount = desired;
      s.runningCount = running;
      s.pendingCount = desired - running;
      s.revision = revision;
      s.rolloutState = rollingOut() ? "IN_PROGRESS" : "COMPLETED";
      return s;
    }
  }

  /** One reconcile wanting {@code want} over {@code recorded}, paced as the Service's are. */
  private UpdateControl<EcsService> reconcile(EcsServiceStatus recorded, Want want) {
    return want.rollingOut()
        ? recorder.recordProgress(service(recorded), want.next(), want.outcome(), List.of(), COUNTS)
        : recorder.record(service(recorded), want.next(), want.outcome(), List.of());
  }

  private static EcsServiceStatus written(UpdateControl<EcsService> update) {
    assertThat(update.isPatchStatus()).as("a status patch").isTrue();
    return update.getResource().orElseThrow().getStatus();
  }

  private static Optional<Duration> held(UpdateControl<EcsService> update) {
    assertThat(update.isPatchStatus()).as("no status patch").isFalse();
    return update.getScheduleDelay().map(Duration::ofMillis);
  }

  @Test
  void aNewResourcesFirstProgressWaitsOneIntervalThenWhatIsTrueThenIsWritten() {
    assertThat(held(reconcile(null, new Want(2, 0, 1, "RollingOut")))).contains(INTERVAL);

    clock.advance(Duration.ofSeconds(2));
    assertThat(held(reconcile(null, new Want(2, 1, 1, "RollingOut"))))
        .as("the rest of the interval, not a new one")
        .contains(Duration.ofSeconds(3));

    clock.advance(Duration.ofSeconds(3));
    EcsServiceStatus first = written(reconcile(null, new Want(2, 1, 1, "RollingOut")));
    assertThat(first.runningCount).isEqualTo(1);
    assertThat(first.getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Progressing");
              assertThat(c.getReason()).isEqualTo("RollingOut");
              assertThat(c.getMessage()).isEqualTo("rolling out revision 1: 1/2 tasks ready");
            });
  }

  @Test
  void aRolloutThatEndsWithinTheIntervalIsWrittenOnceAsReadyAtOnce() {
    assertThat(held(reconcile(null, new Want(2, 0, 1, "RollingOut")))).isPresent();
    clock.advance(Duration.ofMillis(800));

    EcsServiceStatus first = written(reconcile(null, new Want(2, 2, 1, "Running")));

    assertThat(first.getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(first.runningCount).isEqualTo(2);
  }

  @Test
  void aFirstStatusThatIsNotProgressIsWrittenAtOnce() {
    written(reconcile(null, new Want(2, 0, 1, "RolloutFailed")));
  }

  @Test
  void countsAloneAreWrittenAtMostOncePerIntervalAndTheLastOnesAtItsEnd() {
    // a rollout's status written (after a failure: news), then at once a count change: the
    // interval runs from that write
    EcsServiceStatus recorded = written(reconcile(null, new Want(4, 0, 1, "RolloutFailed")));
    recorded = written(reconcile(recorded, running(4, 0)));
    clock.advance(Duration.ofSeconds(1));
    assertThat(held(reconcile(recorded, running(4, 1)))).contains(Duration.ofSeconds(4));
    clock.advance(Duration.ofSeconds(3));
    assertThat(held(reconcile(recorded, running(4, 2)))).contains(Duration.ofSeconds(1));

    clock.advance(Duration.ofSeconds(1));
    EcsServiceStatus next = written(reconcile(recorded, running(4, 3)));

    assertThat(next.runningCount).as("what is true at the end, not what was held").isEqualTo(3);
    assertThat(next.getConditions())
        .filteredOn(c -> c.getType().equals("Progressing"))
        .singleElement()
        .satisfies(c -> assertThat(c.getMessage()).contains("3/4"));
  }

  @Test
  void countsLongAfterTheLastWriteAreWrittenAtOnce() {
    EcsServiceStatus recorded = written(reconcile(null, new Want(4, 0, 1, "RolloutFailed")));
    recorded = written(reconcile(recorded, running(4, 0)));
    clock.advance(INTERVAL);

    assertThat(written(reconcile(recorded, running(4, 1))).runningCount).isEqualTo(1);
  }

  @Test
  void readyAFailureOrANewRevisionIsWrittenAtOnceWithinTheInterval() {
    EcsServiceStatus recorded = written(reconcile(null, new Want(4, 0, 1, "RolloutFailed")));
    recorded = written(reconcile(recorded, running(4, 0)));
    clock.advance(Duration.ofMillis(100));

    written(reconcile(recorded, new Want(4, 4, 1, "Running")));
    written(reconcile(recorded, new Want(4, 0, 1, "RolloutFailed")));
    written(reconcile(recorded, new Want(4, 0, 2, "RollingOut")));
  }

  @Test
  void aMovedCountInAStatusThatAlsoChangedOtherwiseIsWrittenAtOnce() {
    EcsServiceStatus recorded = written(reconcile(null, new Want(4, 0, 1, "RolloutFailed")));
    recorded = written(reconcile(recorded, running(4, 0)));
    clock.advance(Duration.ofMillis(100));
    EcsService service = service(recorded);
    service.getMetadata().setGeneration(2L);

    EcsServiceStatus next = running(4, 1).next();
    UpdateControl<EcsService> update =
        recorder.recordProgress(service, next, running(4, 1).outcome(), List.of(), COUNTS);

    assertThat(update.isPatchStatus()).as("a new generation is news").isTrue();
  }

  @Test
  void anUnchangedStatusIsNotWrittenNorRescheduled() {
    EcsServiceStatus recorded = written(reconcile(null, new Want(4, 4, 1, "Running")));
    clock.advance(Duration.ofMillis(100));

    UpdateControl<EcsService> update = reconcile(recorded, new Want(4, 4, 1, "Running"));

    assertThat(update.isPatchStatus()).isFalse();
    assertThat(update.getScheduleDelay()).isEmpty();
  }

  @Test
  void withoutAnIntervalEveryChangeIsWrittenAtOnce() {
    StatusRecorder unpaced = new StatusRecorder(clock, new ProgressPacing(clock, Duration.ZERO));
    Want want = running(2, 0);

    assertThat(
            unpaced
                .recordProgress(service(null), want.next(), want.outcome(), List.of(), COUNTS)
                .isPatchStatus())
        .isTrue();
  }

  @Test
  void whatIsRememberedGoesWithTheResourceOrTheInterval() {
    held(reconcile(null, running(2, 0)));
    ProgressPacing other = new ProgressPacing(clock, INTERVAL);
    other.wrote("uid-gone", new ResourceID("gone", "a"));
    other.hold("uid-kept", new ResourceID("kept", "a"), ProgressPacing.Change.FIRST_PROGRESS);
    other.hold("uid-old", new ResourceID("old", "a"), ProgressPacing.Change.FIRST_PROGRESS);
    assertThat(other.remembered()).isEqualTo(3);

    clock.advance(Duration.ofMinutes(2));
    other.sweep(
        id ->
            switch (id.getName()) {
              case "kept" -> Optional.of("uid-kept");
              // re-created under the same name: another uid
              case "old" -> Optional.of("uid-new");
              default -> Optional.empty();
            });

    assertThat(other.remembered()).as("only the held status of a resource still there").isOne();
    assertThat(
            other.hold(
                "uid-kept", new ResourceID("kept", "a"), ProgressPacing.Change.FIRST_PROGRESS))
        .as("still held from its first time: its interval is over")
        .isEmpty();
  }

  /**
   * The proof that a held status is only delayed: random rollouts (counts moving, conditions
   * changing, at random moments) reconciled the way the Operator SDK does — on each change, and
   * when the last reconcile's reschedule comes due (each reconcile replaces the timer) — end with
   * the recorded status equal to the last one wanted, written no later than one interval after the
   * last change; a write of a rollout's counts alone comes at least one interval after the write
   * before it; Ready and failures are never held.
   */
  @Test
  void aHeldStatusIsAlwaysWrittenInTheEnd() {
    Random random = new Random(18);
    for (int run = 0; run < 300; run++) {
      Simulation sim = new Simulation(run);
      int changes = 1 + random.nextInt(12);
      for (int i = 0; i < changes; i++) {
        Instant at = sim.time.instant().plusMillis(i == 0 ? 0 : random.nextInt(4000));
        sim.timersUntil(at);
        sim.time.now = at;
        int desired = 1 + random.nextInt(4);
        int revision = 1 + random.nextInt(2);
        sim.change(
            switch (random.nextInt(6)) {
              case 0 -> new Want(desired, desired, revision, "Running");
              case 1 -> new Want(desired, 0, revision, "RolloutFailed");
              default -> new Want(desired, random.nextInt(desired + 1), revision, "RollingOut");
            });
      }
      sim.timersUntil(null);

      EcsServiceStatus last = sim.want.next();
      assertThat(sim.recorded).as("run %d: something was written", run).isNotNull();
      assertThat(
              List.of(sim.recorded.desiredCount, sim.recorded.runningCount, sim.recorded.revision))
          .as("run %d: the last status wanted is the one recorded", run)
          .isEqualTo(List.of(last.desiredCount, last.runningCount, last.revision));
      assertThat(sim.recorded.getConditions())
          .filteredOn(c -> c.getStatus().equals("True"))
          .extracting(c -> c.getReason())
          .as("run %d", run)
          .containsExactly(sim.want.outcome().reason());
      // (perhaps before it: a change back to what was recorded, the change between held)
      assertThat(sim.lastWrite)
          .as("run %d: written within one interval of the last change", run)
          .isBeforeOrEqualTo(sim.wantedSince.plus(INTERVAL));
    }
  }

  /** One Service reconciled as the Operator SDK would, its status store fresh after each patch. */
  private static final class Simulation {
    final int run;
    final MovableClock time = new MovableClock();
    final StatusRecorder recorder = new StatusRecorder(time, new ProgressPacing(time, INTERVAL));
    EcsServiceStatus recorded;
    Want want;
    Instant wantedSince;
    Instant lastWrite;
    Instant timer;

    Simulation(int run) {
      this.run = run;
    }

    void change(Want next) {
      if (!next.equals(want)) wantedSince = time.instant();
      want = next;
      boolean written = reconcile();
      if (!want.rollingOut()) {
        assertThat(written || timer == null)
            .as("run %d: %s is written at once", run, want.state())
            .isTrue();
        assertThat(timer).as("run %d: %s is not held", run, want.state()).isNull();
      }
    }

    /** Runs the timers due up to {@code until} (null: all of them). */
    void timersUntil(Instant until) {
      while (timer != null && (until == null || !timer.isAfter(until))) {
        time.now = timer;
        timer = null;
        reconcile();
      }
    }

    /** One reconcile: whether it wrote. */
    boolean reconcile() {
      EcsService service = service(recorded);
      UpdateControl<EcsService> update =
          want.rollingOut()
              ? recorder.recordProgress(service, want.next(), want.outcome(), List.of(), COUNTS)
              : recorder.record(service, want.next(), want.outcome(), List.of());
      timer = update.getScheduleDelay().map(d -> time.instant().plusMillis(d)).orElse(null);
      if (!update.isPatchStatus()) return false;
      EcsServiceStatus status = update.getResource().orElseThrow().getStatus();
      // (a Ready or failed status is not paced, whatever changed)
      boolean countsOnly =
          recorded != null
              && want.rollingOut()
              && StatusRecorder.withoutCounts(JSON.convertValue(recorded, JsonNode.class), COUNTS)
                  .equals(
                      StatusRecorder.withoutCounts(
                          JSON.convertValue(status, JsonNode.class), COUNTS));
      if (countsOnly) {
        assertThat(time.instant())
            .as("run %d: counts alone written one interval after the write before", run)
            .isAfterOrEqualTo(lastWrite.plus(INTERVAL));
      }
      recorded = status;
      lastWrite = time.instant();
      return true;
    }
  }

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static Want running(int desired, int running) {
    return new Want(desired, running, 1, "RollingOut");
  }
}
