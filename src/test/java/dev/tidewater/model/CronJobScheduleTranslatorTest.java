package dev.tidewater.model;

import static dev.tidewater.model.CronJobScheduleTranslator.AT_TIME_SKIPPED_BY_DST;
import static dev.tidewater.model.CronJobScheduleTranslator.DST_CHANGE_MISSTEPPED;
import static dev.tidewater.model.CronJobScheduleTranslator.FIRES_TWICE_WHEN_CLOCKS_GO_BACK;
import static dev.tidewater.model.CronJobScheduleTranslator.RATE_APPROXIMATED;
import static dev.tidewater.model.CronJobScheduleTranslator.SCHEDULE_NOT_TRANSLATABLE;
import static dev.tidewater.model.EventBridgeScheduleParser.INVALID_SCHEDULE_EXPRESSION;
import static dev.tidewater.model.EventBridgeScheduleParser.INVALID_SCHEDULE_EXPRESSION_TIMEZONE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.model.CronJobScheduleTranslator.CronJobSchedule;
import dev.tidewater.model.CronJobScheduleTranslator.Outcome;
import dev.tidewater.model.CronJobScheduleTranslator.Translation;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every schedule expression form of AWS's "Schedule types on EventBridge Scheduler" and "Cron
 * expressions reference" pages (their examples, and one expression per wildcard they describe),
 * each translated exactly, approximated with a warning naming the field, or refused with the field.
 */
class CronJobScheduleTranslatorTest {

  private static final String PATH = "scheduleExpression";
  private static final String TZ_PATH = "scheduleExpressionTimezone";

  private static Translation translate(String expression, String zone) {
    return CronJobScheduleTranslator.translate(expression, zone, Optional.empty(), PATH, TZ_PATH);
  }

  private static CronJobSchedule exact(String expression, String zone, String schedule) {
    Translation t = translate(expression, zone);
    assertThat(t.problems()).as(expression).isEmpty();
    assertThat(t.warnings()).as(expression).isEmpty();
    assertThat(t.outcome()).isEqualTo(Outcome.EXACT);
    CronJobSchedule cronJob = t.cronJob().orElseThrow();
    assertThat(cronJob.schedule()).as(expression).isEqualTo(schedule);
    return cronJob;
  }

  private static StatusWarning approximated(String expression, String schedule, String reason) {
    Translation t = translate(expression, null);
    assertThat(t.outcome()).as(expression).isEqualTo(Outcome.APPROXIMATED);
    assertThat(t.cronJob().orElseThrow().schedule()).isEqualTo(schedule);
    assertThat(t.warnings()).hasSize(1);
    StatusWarning w = t.warnings().get(0);
    assertThat(w.field()).isEqualTo(PATH);
    assertThat(w.reason()).isEqualTo(reason);
    return w;
  }

  private static void refused(String expression, String reason, String... named) {
    refusedIn(expression, null, PATH, reason, named);
  }

  private static void refusedIn(
      String expression, String zone, String path, String reason, String... named) {
    Translation t = translate(expression, zone);
    assertThat(t.outcome()).as(expression).isEqualTo(Outcome.REFUSED);
    assertThat(t.cronJob()).isEmpty();
    ProblemAssertions.assertOnly(t.problems(), path, reason, named);
  }

  // "Cron expressions reference": the examples table and the put-rule examples, in UTC.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "cron(0 10 * * ? *)           | 0 10 * * *",
        "cron(15 12 * * ? *)          | 15 12 * * *",
        "cron(0 18 ? * MON-FRI *)     | 0 18 * * 1-5",
        "cron(0 8 1 * ? *)            | 0 8 1 * *",
        "cron(0/15 * * * ? *)         | */15 * * * *",
        "cron(0/10 * ? * MON-FRI *)   | */10 * * * 1-5",
        "cron(0/5 8-17 ? * MON-FRI *) | */5 8-17 * * 1-5",
        // 20-2 wraps past midnight: hours 20..23 and 0..2.
        "cron(0/30 20-2 ? * MON-FRI *) | 0,30 0-2,20-23 * * 1-5",
        "cron(0 12 * * ? *)           | 0 12 * * *",
        "cron(5,35 14 * * ? *)        | 5,35 14 * * *",
      })
  void documentedExamplesAreExact(String expression, String schedule) {
    CronJobSchedule c = exact(expression.trim(), null, schedule.trim());
    assertThat(c.timeZone()).isEqualTo("UTC");
    assertThat(c.activeFrom()).isEmpty();
    assertThat(c.activeUntil()).isEmpty();
    assertThat(c.once()).isFalse();
  }

  // One expression per wildcard the reference describes.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // , in the month field, names and numbers alike
        "cron(0 0 1 JAN,FEB,MAR ? *)   | 0 0 1 1-3 *",
        "cron(0 0 1 1,2,3 ? *)         | 0 0 1 1-3 *",
        // - in the day field
        "cron(0 0 1-15 * ? *)          | 0 0 1-15 * *",
        // / from a start: 1/10 is minutes 1, 11, 21, 31, 41, 51
        "cron(1/10 * * * ? *)          | 1-51/10 * * * *",
        "cron(*/20 * * * ? *)          | */20 * * * *",
        "cron(0 0 1/7 * ? *)           | 0 0 */7 * *",
        "cron(0 9-17/4 * * ? *)        | 0 9,13,17 * * *",
        // / in hours: every 4 hours
        "cron(0 0/4 * * ? *)           | 0 */4 * * *",
        // ? with a day of the month
        "cron(0 0 7 * ? *)             | 0 0 7 * *",
        // day-of-week 1-7 = SUN-SAT becomes Kubernetes' 0-6
        "cron(0 0 ? * 1 *)             | 0 0 * * 0",
        "cron(0 0 ? * 7 *)             | 0 0 * * 6",
        "cron(0 0 ? * SUN,SAT *)       | 0 0 * * 0,6",
        "cron(0 0 ? * 1-7 *)           | 0 0 * * *",
        "cron(0 0 ? * * *)             | 0 0 * * *",
        "cron(0 0 ? * FRI-MON *)       | 0 0 * * 0,1,5,6",
        // L alone in day-of-week is the last day of the week: Saturday
        "cron(0 0 ? * L *)             | 0 0 * * 6",
        // lower-case names are accepted as AWS does
        "cron(0 0 ? jan mon *)         | 0 0 * 1 1",
      })
  void wildcardsAreExact(String expression, String schedule) {
    exact(expression.trim(), null, schedule.trim());
  }

  @Test
  void yearFieldIsAWindowTheControllerHolds() {
    CronJobSchedule c = exact("cron(30 14 10,20 * ? 2026-2030)", "Asia/Tokyo", "30 14 10,20 * *");
    assertThat(c.timeZone()).isEqualTo("Asia/Tokyo");
    assertThat(c.activeFrom()).contains(Instant.parse("2025-12-31T15:00:00Z"));
    assertThat(c.activeUntil()).contains(Instant.parse("2030-12-31T15:00:00Z"));
    CronJobSchedule open = exact("cron(0 0 1 1 ? 2027/1)", null, "0 0 1 1 *");
    assertThat(open.activeFrom()).contains(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(open.activeUntil()).isEmpty();
    CronJobSchedule single = exact("cron(0 0 1 1 ? 2027)", null, "0 0 1 1 *");
    assertThat(single.activeUntil()).contains(Instant.parse("2028-01-01T00:00:00Z"));
  }

  @Test
  void yearsWithGapsAreRefused() {
    refused("cron(0 0 1 1 ? 2027,2029)", SCHEDULE_NOT_TRANSLATABLE, "year field", "\"2027,2029\"");
    refused("cron(0 0 1 1 ? 2026/2)", SCHEDULE_NOT_TRANSLATABLE, "year field", "gaps");
  }

  // L, W and #: valid on AWS, no Kubernetes equivalent.
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "cron(15 10 ? * 6L 2019-2022) | day-of-week field \"6L\" | last Friday",
        "cron(0 5 L * ? *)            | day-of-month field \"L\" | last day of the month",
        "cron(0 5 LW * ? *)           | day-of-month field \"LW\" | last weekday",
        "cron(0 5 3W * ? *)           | day-of-month field \"3W\" | nearest to day 3",
        "cron(0 5 ? * 3#2 *)          | day-of-week field \"3#2\" | second Tuesday",
        "cron(0 8 ? * MON#1 *)        | day-of-week field \"MON#1\" | first Monday",
      })
  void lastWeekdayAndNthAreRefused(String expression, String field, String meaning) {
    refused(expression.trim(), SCHEDULE_NOT_TRANSLATABLE, field.trim(), meaning.trim());
  }

  // "Schedule types": rate expressions. Rates are durations, so they run in UTC.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "rate(1 minute)    | * * * * *",
        "rate(5 minutes)   | */5 * * * *",
        "rate(15 minutes)  | */15 * * * *",
        "rate(30 minutes)  | 0,30 * * * *",
        "rate(60 minutes)  | 0 * * * *",
        "rate(1 hour)      | 0 * * * *",
        "rate(2 hours)     | 0 */2 * * *",
        "rate(12 hours)    | 0 0,12 * * *",
        "rate(120 minutes) | 0 */2 * * *",
        "rate(1 day)       | 0 0 * * *",
        "rate(24 hours)    | 0 0 * * *",
        "rate(7 days)      | 0 0 * * 0",
      })
  void ratesThatDivideAnHourOrADayAreExact(String expression, String schedule) {
    CronJobSchedule c = exact(expression.trim(), "Europe/Paris", schedule.trim());
    assertThat(c.timeZone()).isEqualTo("Etc/UTC");
  }

  @Test
  void rateStartDateSetsThePhase() {
    Translation t =
        CronJobScheduleTranslator.translate(
            "rate(15 minutes)",
            null,
            Optional.of(Instant.parse("2027-03-01T10:07:00Z")),
            PATH,
            TZ_PATH);
    assertThat(t.cronJob().orElseThrow().schedule()).isEqualTo("7-52/15 * * * *");
    t =
        CronJobScheduleTranslator.translate(
            "rate(7 days)",
            null,
            Optional.of(Instant.parse("2027-03-03T09:30:00Z")), // a Wednesday
            PATH,
            TZ_PATH);
    assertThat(t.cronJob().orElseThrow().schedule()).isEqualTo("30 9 * * 3");
  }

  @Test
  void ratesThatDoNotDivideAnHourOrADayAreApproximated() {
    StatusWarning w = approximated("rate(7 minutes)", "*/7 * * * *", RATE_APPROXIMATED);
    assertThat(w.message()).contains("rate(7 minutes)", "0,7,14,21,28,35,42,49,56", "4 minutes");
    w = approximated("rate(5 hours)", "0 */5 * * *", RATE_APPROXIMATED);
    assertThat(w.message()).contains("rate(5 hours)", "0,5,10,15,20", "4 hours apart");
    w = approximated("rate(2 days)", "0 0 */2 * *", RATE_APPROXIMATED);
    assertThat(w.message()).contains("rate(2 days)", "1,3,5");
    approximated("rate(10 days)", "0 0 */10 * *", RATE_APPROXIMATED);
  }

  @Test
  void ratesNoCronStepCanRepeatAreRefused() {
    refused("rate(90 minutes)", SCHEDULE_NOT_TRANSLATABLE, "rate(90 minutes)", "hours");
    refused("rate(25 hours)", SCHEDULE_NOT_TRANSLATABLE, "rate(25 hours)");
    refused("rate(90 days)", SCHEDULE_NOT_TRANSLATABLE, "rate(90 days)", "monthly");
  }

  // "Schedule types": one-time schedules.
  @Test
  void atIsAYearlyCronJobTheControllerRunsOnce() {
    CronJobSchedule c = exact("at(2022-11-20T13:00:00)", "America/Los_Angeles", "0 13 20 11 *");
    assertThat(c.once()).isTrue();
    assertThat(c.timeZone()).isEqualTo("America/Los_Angeles");
    assertThat(c.activeFrom()).contains(Instant.parse("2022-01-01T08:00:00Z"));
    assertThat(c.activeUntil()).contains(Instant.parse("2023-01-01T08:00:00Z"));
  }

  @Test
  void atATimeClocksSkipIsApproximated() {
    Translation t = translate("at(2027-03-14T02:30:00)", "America/New_York");
    assertThat(t.outcome()).isEqualTo(Outcome.APPROXIMATED);
    assertThat(t.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.reason()).isEqualTo(AT_TIME_SKIPPED_BY_DST);
              assertThat(w.message()).contains("2027-03-14T02:30", "America/New_York");
            });
    // The hour clocks repeat is fine: the CronJob runs once anyway.
    exact("at(2027-11-07T01:30:00)", "America/New_York", "30 1 7 11 *");
    assertThat(translate("at(2027-06-01T12:00:00)", "Australia/Lord_Howe").warnings())
        .extracting(StatusWarning::reason)
        .containsExactly(DST_CHANGE_MISSTEPPED);
  }

  @Test
  void timesInTheRepeatedHourOfADstChangeAreApproximated() {
    Translation t = translate("cron(30 1 * * ? *)", "America/New_York");
    assertThat(t.outcome()).isEqualTo(Outcome.APPROXIMATED);
    assertThat(t.cronJob().orElseThrow().schedule()).isEqualTo("30 1 * * *");
    assertThat(t.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.reason()).isEqualTo(FIRES_TWICE_WHEN_CLOCKS_GO_BACK);
              assertThat(w.field()).isEqualTo(PATH);
              assertThat(w.message()).contains("America/New_York", "01:00-02:00", "NOV");
            });
    // Outside the repeated hour, or on days the change never falls on, nothing differs.
    exact("cron(30 2 * * ? *)", "America/New_York", "30 2 * * *");
    exact("cron(30 1 ? * MON-FRI *)", "America/New_York", "30 1 * * 1-5");
    exact("cron(30 1 * 1-10 ? *)", "America/New_York", "30 1 * 1-10 *");
    exact("cron(30 1 * * ? *)", "Asia/Kolkata", "30 1 * * *");
    // Europe goes back at 03:00 to 02:00.
    assertThat(translate("cron(0/15 2 * * ? *)", "Europe/Berlin").outcome())
        .isEqualTo(Outcome.APPROXIMATED);
  }

  @Test
  void zonesWhoseClocksChangeOffTheHourAreApproximated() {
    for (String zone :
        new String[] {"Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago"}) {
      Translation t = translate("cron(0 12 * * ? *)", zone);
      assertThat(t.outcome()).as(zone).isEqualTo(Outcome.APPROXIMATED);
      assertThat(t.cronJob().orElseThrow().schedule()).isEqualTo("0 12 * * *");
      assertThat(t.warnings())
          .singleElement()
          .satisfies(
              w -> {
                assertThat(w.reason()).isEqualTo(DST_CHANGE_MISSTEPPED);
                assertThat(w.message()).contains(zone, "clocks change from", "UTC");
              });
    }
    // Rates run in UTC, so the zone does not matter to them.
    exact("rate(1 day)", "Australia/Lord_Howe", "0 0 * * *");
  }

  // What AWS itself refuses: the field and the reason, on every backend.
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "cron(0 10 * * * *)            | exactly one of them must be ?",
        "cron(0 10 ? * ? *)            | exactly one of them must be ?",
        "cron(0 10 * * ?)              | has 5 fields",
        "cron(0 10 * * ? * *)          | has 7 fields",
        "cron(60 10 * * ? *)           | minutes field \"60\"",
        "cron(0 24 * * ? *)            | hours field \"24\"",
        "cron(0 0 0 * ? *)             | day-of-month field \"0\"",
        "cron(0 0 32 * ? *)            | day-of-month field \"32\"",
        "cron(0 0 1 13 ? *)            | month field \"13\"",
        "cron(0 0 ? * 0 *)             | 1 = SUN to 7 = SAT",
        "cron(0 0 ? * 8 *)             | day-of-week field \"8\"",
        "cron(0 0 1 * ? 1969)          | year field \"1969\"",
        "cron(0 0 1 * ? 2200)          | year field \"2200\"",
        "cron(0 0 1 * ? 2030-2027)     | must not run backwards",
        "cron(0 0 ? * 3#1,6#3 *)       | day-of-week field \"3#1,6#3\"",
        "cron(0 0 ? * 3#6 *)           | instance 1-5",
        "cron(0 0 32W * ? *)           | day-of-month field \"32W\"",
        "cron(0 0 ? * 8L *)            | day-of-week field \"8L\"",
        "cron(? 0 1 * ? *)             | ? is allowed only in day-of-month and day-of-week",
        "cron(0 0 L * ? *)             | placeholder",
        "cron(0/0 * * * ? *)           | increment after / must be 1-60",
        "cron(0 0 ? FOO * *)           | month field \"FOO\"",
        "cron(0 0 ? * MON-FOO *)       | 1-7 or SUN-SAT",
        "cron(*-5 0 1 * ? *)           | * cannot start a range",
        "rate(1 hours)                 | rate(1 hour)",
        "rate(5 hour)                  | rate(5 hours)",
        "rate(0 minutes)               | positive whole number",
        "rate(5 weeks)                 | \"weeks\"",
        "rate(five minutes)            | rate(value unit)",
        "at(2022-11-31T13:00:00)       | real date",
        "at(2022-11-20 13:00:00)       | at(yyyy-mm-ddThh:mm:ss)",
        "every day at noon             | is not a schedule expression",
      })
  void whatAwsRefusesIsRefused(String expression, String named) {
    if (named.trim().equals("placeholder")) {
      // L is valid on AWS (refused on Kubernetes only), kept here to show the contrast.
      refused(expression.trim(), SCHEDULE_NOT_TRANSLATABLE, "day-of-month");
      return;
    }
    refused(expression.trim(), INVALID_SCHEDULE_EXPRESSION, named.trim());
  }

  @Test
  void timeZonesAreIanaNames() {
    refusedIn(
        "rate(1 day)",
        "+02:00",
        TZ_PATH,
        INVALID_SCHEDULE_EXPRESSION_TIMEZONE,
        "\"+02:00\"",
        "IANA");
    refusedIn("rate(1 day)", "Local", TZ_PATH, INVALID_SCHEDULE_EXPRESSION_TIMEZONE, "\"Local\"");
    refusedIn(
        "rate(1 day)",
        "Mars/Olympus",
        TZ_PATH,
        INVALID_SCHEDULE_EXPRESSION_TIMEZONE,
        "Mars/Olympus");
    // The JVM knows it, the API server (Go) does not.
    refusedIn(
        "rate(1 day)", "SystemV/EST5", TZ_PATH, INVALID_SCHEDULE_EXPRESSION_TIMEZONE, "SystemV");
    exact("cron(0 9 * * ? *)", "Europe/Paris", "0 9 * * *");
  }

  @Test
  void emptyExpressionIsRefused() {
    refused(null, INVALID_SCHEDULE_EXPRESSION, "required");
    refused("", INVALID_SCHEDULE_EXPRESSION, "required");
  }
}
