package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ScheduleRuns (status.nextRunTime) against the reference evaluator of EventBridge cron semantics
 * the translator's property test uses, written apart from the parser; and rates, at(), windows.
 */
class ScheduleRunsTest {

  private static final Instant CREATED = Instant.parse("2026-03-01T08:07:00Z");

  private static EventBridgeSchedule parse(String expression) {
    return EventBridgeScheduleParser.parse(expression, "scheduleExpression", new ArrayList<>())
        .orElseThrow();
  }

  /** The next 12 runs, each from the one before. */
  private static List<Instant> runs(String expression, String zone, Instant from) {
    List<Instant> out = new ArrayList<>();
    Instant at = from;
    for (int i = 0; i < 12; i++) {
      Optional<Instant> next =
          ScheduleRuns.next(
              parse(expression), ZoneId.of(zone), Optional.empty(), Optional.empty(), CREATED, at);
      if (next.isEmpty()) break;
      out.add(next.get());
      at = next.get();
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cron(0 10 * * ? *)",
        "cron(15 12 * * ? *)",
        "cron(0 18 ? * MON-FRI *)",
        "cron(0 8 1 * ? *)",
        "cron(0/15 * * * ? *)",
        "cron(0/10 * ? * MON-FRI *)",
        "cron(0/5 8-17 ? * MON-FRI *)",
        "cron(0/30 20-2 ? * MON-FRI *)",
        "cron(0 9 ? * 2#1 *)",
        "cron(15 10 ? * 6L 2026-2030)",
        "cron(0 0 L * ? *)",
        "cron(0 0 LW * ? *)",
        "cron(0 12 15W * ? *)",
        "cron(30 1 * * ? *)",
        "cron(0 2 ? * L *)"
      })
  void cronRunsAsEventBridgeDoes(String expression) {
    for (String zone : List.of("UTC", "America/New_York", "Australia/Lord_Howe")) {
      // from just before the clocks change in spring and autumn on both hemispheres
      for (Instant from :
          List.of(
              Instant.parse("2026-03-07T00:00:00Z"),
              Instant.parse("2026-10-31T00:00:00Z"),
              Instant.parse("2026-04-04T00:00:00Z"))) {
        assertThat(runs(expression, zone, from))
            .as(expression + " in " + zone + " from " + from)
            .isEqualTo(new EventBridgeCronReference(expression).next(from, ZoneId.of(zone), 12));
      }
    }
  }

  @Test
  void aRateCountsFromTheStartDateElseFromCreation() {
    assertThat(runs("rate(15 minutes)", "UTC", Instant.parse("2026-03-01T09:00:00Z")).get(0))
        .isEqualTo(Instant.parse("2026-03-01T09:07:00Z"));
    assertThat(
            ScheduleRuns.next(
                parse("rate(1 day)"),
                ZoneId.of("UTC"),
                Optional.of(Instant.parse("2026-06-01T06:30:00Z")),
                Optional.empty(),
                CREATED,
                Instant.parse("2026-03-01T09:00:00Z")))
        .contains(Instant.parse("2026-06-01T06:30:00Z"));
  }

  @Test
  void theLatestRunIsTheLastDueInTheLookbackOrNone() {
    EventBridgeSchedule every5 = parse("rate(5 minutes)");
    ZoneId utc = ZoneId.of("UTC");
    // created 08:07: due 08:12, 08:17, ...; a task created 08:18:40 was due for 08:17
    assertThat(
            ScheduleRuns.latest(
                every5,
                utc,
                Optional.empty(),
                Optional.empty(),
                CREATED,
                Instant.parse("2026-03-01T08:18:40Z"),
                java.time.Duration.ofMinutes(5)))
        .contains(Instant.parse("2026-03-01T08:17:00Z"));
    // exactly at a due time: that one
    assertThat(
            ScheduleRuns.latest(
                every5,
                utc,
                Optional.empty(),
                Optional.empty(),
                CREATED,
                Instant.parse("2026-03-01T08:22:00Z"),
                java.time.Duration.ofMinutes(1)))
        .contains(Instant.parse("2026-03-01T08:22:00Z"));
    // a nightly cron: nothing due in the last five minutes at noon
    assertThat(
            ScheduleRuns.latest(
                parse("cron(0 2 * * ? *)"),
                utc,
                Optional.empty(),
                Optional.empty(),
                CREATED,
                Instant.parse("2026-03-01T12:00:00Z"),
                java.time.Duration.ofMinutes(5)))
        .isEmpty();
  }

  @Test
  void atRunsOnceInItsZone() {
    EventBridgeSchedule at = parse("at(2026-07-01T09:30:00)");
    ZoneId paris = ZoneId.of("Europe/Paris");
    assertThat(
            ScheduleRuns.next(
                at,
                paris,
                Optional.empty(),
                Optional.empty(),
                CREATED,
                Instant.parse("2026-06-30T00:00:00Z")))
        .contains(Instant.parse("2026-07-01T07:30:00Z"));
    assertThat(
            ScheduleRuns.next(
                at,
                paris,
                Optional.empty(),
                Optional.empty(),
                CREATED,
                Instant.parse("2026-07-01T07:30:00Z")))
        .isEmpty();
  }

  @Test
  void noRunBeforeTheStartNorFromTheEnd() {
    EventBridgeSchedule daily = parse("cron(0 10 * * ? *)");
    ZoneId utc = ZoneId.of("UTC");
    Instant now = Instant.parse("2026-03-01T00:00:00Z");
    assertThat(
            ScheduleRuns.next(
                daily,
                utc,
                Optional.of(Instant.parse("2026-03-05T10:00:00Z")),
                Optional.empty(),
                CREATED,
                now))
        .as("a run at the start instant counts")
        .contains(Instant.parse("2026-03-05T10:00:00Z"));
    assertThat(
            ScheduleRuns.next(
                daily,
                utc,
                Optional.empty(),
                Optional.of(Instant.parse("2026-03-01T10:00:00Z")),
                CREATED,
                now))
        .as("none at the end instant")
        .isEmpty();
    assertThat(
            ScheduleRuns.next(
                parse("cron(0 10 * * ? 2020-2022)"),
                utc,
                Optional.empty(),
                Optional.empty(),
                CREATED,
                now))
        .as("years over")
        .isEmpty();
  }
}
