package dev.tidewater.model;

import static dev.tidewater.model.CronJobScheduleTranslator.DST_CHANGE_MISSTEPPED;
import static dev.tidewater.model.CronJobScheduleTranslator.FIRES_TWICE_WHEN_CLOCKS_GO_BACK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.model.CronJobScheduleTranslator.CronJobSchedule;
import dev.tidewater.model.CronJobScheduleTranslator.Outcome;
import dev.tidewater.model.CronJobScheduleTranslator.Translation;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For every cron expression the translator calls exact, the CronJob runs at the same instants as
 * the EventBridge schedule: the next runs computed by {@link EventBridgeCronReference} (AWS's
 * semantics) equal those computed by {@link KubernetesCronReference} (robfig/cron's) from the
 * translated schedule and zone — over generated expressions with lists, ranges that wrap, steps,
 * names and either day field, in zones with and without DST (half-hour DST included), from start
 * times biased towards the months clocks change. The same for rates against their definition.
 */
class CronJobScheduleEquivalenceTest {

  private static final int RUNS = 40;

  private static Translation translate(String expression, String zone) {
    return CronJobScheduleTranslator.translate(
        expression, zone, Optional.empty(), "scheduleExpression", "scheduleExpressionTimezone");
  }

  @Property(tries = 400)
  void exactCronTranslationsRunWhenEventBridgeWould(
      @ForAll("crons") String expression,
      @ForAll("zones") String zone,
      @ForAll("starts") Instant start) {
    Translation t = translate(expression, zone);
    assertThat(t.problems()).as(expression).isEmpty();
    // The only approximations of these expressions are about DST changes.
    assertThat(t.warnings())
        .allSatisfy(
            w ->
                assertThat(w.reason())
                    .isIn(FIRES_TWICE_WHEN_CLOCKS_GO_BACK, DST_CHANGE_MISSTEPPED));
    Assume.that(t.outcome() == Outcome.EXACT);
    CronJobSchedule cronJob = t.cronJob().orElseThrow();

    List<Instant> eventBridge =
        new EventBridgeCronReference(expression).next(start, ZoneId.of(zone), RUNS);
    List<Instant> kubernetes =
        new KubernetesCronReference(cronJob.schedule())
            .next(start, ZoneId.of(cronJob.timeZone()), RUNS);
    assertThat(kubernetes).as(expression + " -> " + cronJob.schedule()).isEqualTo(eventBridge);
  }

  @Property(tries = 200)
  void exactRateTranslationsRunEveryIntervalFromTheStartDate(
      @ForAll("exactRates") String expression, @ForAll("starts") Instant startDate) {
    Instant start = startDate.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    Translation t =
        CronJobScheduleTranslator.translate(
            expression, "America/New_York", Optional.of(start), "s", "z");
    assertThat(t.outcome()).as(expression).isEqualTo(Outcome.EXACT);
    CronJobSchedule cronJob = t.cronJob().orElseThrow();
    long minutes = rateMinutes(expression);
    List<Instant> expected =
        LongStream.range(0, RUNS)
            .mapToObj(k -> start.plus(Duration.ofMinutes(k * minutes)))
            .toList();
    List<Instant> kubernetes =
        new KubernetesCronReference(cronJob.schedule())
            .next(start.minusSeconds(1), ZoneId.of(cronJob.timeZone()), RUNS);
    assertThat(kubernetes).as(expression + " -> " + cronJob.schedule()).isEqualTo(expected);
  }

  @Example
  void aTimeInTheRepeatedHourRunsTwiceOnKubernetesOnceOnEventBridge() {
    String expression = "cron(30 1 * * ? *)";
    ZoneId zone = ZoneId.of("America/New_York");
    Instant start = Instant.parse("2026-10-31T12:00:00Z");
    Translation t = translate(expression, zone.getId());
    assertThat(t.outcome()).isEqualTo(Outcome.APPROXIMATED);
    List<Instant> eventBridge = new EventBridgeCronReference(expression).next(start, zone, 3);
    List<Instant> kubernetes =
        new KubernetesCronReference(t.cronJob().orElseThrow().schedule()).next(start, zone, 3);
    // 1 November 2026: 01:30 EDT, then 01:30 EST an hour later.
    assertThat(kubernetes)
        .containsExactly(
            Instant.parse("2026-11-01T05:30:00Z"),
            Instant.parse("2026-11-01T06:30:00Z"),
            Instant.parse("2026-11-02T06:30:00Z"));
    assertThat(eventBridge)
        .containsExactly(
            Instant.parse("2026-11-01T05:30:00Z"),
            Instant.parse("2026-11-02T06:30:00Z"),
            Instant.parse("2026-11-03T06:30:00Z"));
  }

  @Example
  void theReferencesKnowAwsSpecialsThatAreRefused() {
    // The EventBridge reference evaluates what the translator refuses, so the refusal is about
    // Kubernetes, not about an expression Tidewater cannot read: the last Friday of each month.
    List<Instant> lastFridays =
        new EventBridgeCronReference("cron(15 10 ? * 6L 2026-2027)")
            .next(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC, 3);
    assertThat(lastFridays)
        .containsExactly(
            Instant.parse("2026-01-30T10:15:00Z"),
            Instant.parse("2026-02-27T10:15:00Z"),
            Instant.parse("2026-03-27T10:15:00Z"));
    assertThat(
            new EventBridgeCronReference("cron(0 9 ? * 3#2 *)")
                .next(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC, 2))
        .containsExactly(
            Instant.parse("2026-01-13T09:00:00Z"), Instant.parse("2026-02-10T09:00:00Z"));
    assertThat(
            new EventBridgeCronReference("cron(0 9 1W * ? *)")
                .next(Instant.parse("2026-08-01T00:00:00Z"), ZoneOffset.UTC, 1))
        .containsExactly(Instant.parse("2026-08-03T09:00:00Z")); // 1 Aug 2026 is a Saturday
  }

  private static long rateMinutes(String expression) {
    String[] parts = expression.substring(5, expression.length() - 1).split(" ");
    long unit = parts[1].startsWith("minute") ? 1 : parts[1].startsWith("hour") ? 60 : 24 * 60;
    return Long.parseLong(parts[0]) * unit;
  }

  @Provide
  Arbitrary<String> exactRates() {
    Arbitrary<String> minutes =
        Arbitraries.of(2, 3, 4, 5, 6, 10, 12, 15, 20, 30).map(n -> "rate(" + n + " minutes)");
    Arbitrary<String> hours = Arbitraries.of(2, 3, 4, 6, 8, 12).map(n -> "rate(" + n + " hours)");
    return Arbitraries.oneOf(
        minutes,
        hours,
        Arbitraries.of("rate(1 minute)", "rate(1 hour)", "rate(1 day)", "rate(7 days)"));
  }

  @Provide
  Arbitrary<String> zones() {
    return Arbitraries.of(
        "UTC",
        "Asia/Kolkata",
        "America/New_York",
        "Europe/Berlin",
        "Australia/Lord_Howe",
        "Pacific/Chatham",
        "America/Santiago");
  }

  /** Instants in 2026-2035, mostly in the months clocks change in either hemisphere. */
  @Provide
  Arbitrary<Instant> starts() {
    Arbitrary<Integer> month =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.of(3, 4, 9, 10, 11)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 12)));
    return Combinators.combine(
            Arbitraries.integers().between(2026, 2035),
            month,
            Arbitraries.integers().between(1, 28),
            Arbitraries.integers().between(0, 23),
            Arbitraries.integers().between(0, 59))
        .as((y, mo, d, h, mi) -> LocalDateTime.of(y, mo, d, h, mi).toInstant(ZoneOffset.UTC));
  }

  @Provide
  Arbitrary<String> crons() {
    Arbitrary<String> minutes = field(0, 59, List.of());
    Arbitrary<String> hours = field(0, 23, List.of());
    Arbitrary<String> month =
        field(
            1,
            12,
            List.of(
                "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
                "DEC"));
    Arbitrary<String> dayOfMonth = field(1, 31, List.of());
    Arbitrary<String> dayOfWeek =
        Arbitraries.oneOf(
            field(1, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")),
            Arbitraries.just("L"));
    Arbitrary<String[]> days =
        Arbitraries.oneOf(
            dayOfMonth.map(d -> new String[] {d, "?"}), dayOfWeek.map(d -> new String[] {"?", d}));
    return Combinators.combine(minutes, hours, days, month)
        .as((mi, h, d, mo) -> "cron(" + mi + " " + h + " " + d[0] + " " + mo + " " + d[1] + " *)");
  }

  /** A cron field of min..max: *, or a list of values, ranges (wrapping too) and steps. */
  private static Arbitrary<String> field(int min, int max, List<String> names) {
    Arbitrary<Integer> v = Arbitraries.integers().between(min, max);
    Arbitrary<String> value =
        names.isEmpty()
            ? v.map(String::valueOf)
            : Arbitraries.oneOf(v.map(String::valueOf), Arbitraries.of(names));
    Arbitrary<Integer> step = Arbitraries.integers().between(1, Math.min(max - min + 1, 40));
    Arbitrary<String> element =
        Arbitraries.oneOf(
            value,
            Combinators.combine(value, value).as((a, b) -> a + "-" + b),
            Combinators.combine(value, step).as((a, s) -> a + "/" + s),
            step.map(s -> "*/" + s),
            Combinators.combine(value, value, step).as((a, b, s) -> a + "-" + b + "/" + s));
    Arbitrary<String> list = element.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(",", l));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just("*")), net.jqwik.api.Tuple.of(4, list));
  }
}
