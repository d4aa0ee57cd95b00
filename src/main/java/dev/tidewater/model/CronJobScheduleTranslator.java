package dev.tidewater.model;

import static dev.tidewater.model.Messages.quote;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.model.EventBridgeSchedule.At;
import dev.tidewater.model.EventBridgeSchedule.Cron;
import dev.tidewater.model.EventBridgeSchedule.CronField;
import dev.tidewater.model.EventBridgeSchedule.CronFieldKind;
import dev.tidewater.model.EventBridgeSchedule.CronSpecial;
import dev.tidewater.model.EventBridgeSchedule.Rate;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneOffsetTransitionRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Translates an EventBridge Scheduler schedule (expression and time zone) into what a Kubernetes
 * CronJob can say: a five-field {@code schedule} and a {@code timeZone}. Each expression is either
 * translated exactly, approximated with a warning naming the field and what differs, or refused
 * with a problem naming the field and why; docs/scheduled-tasks.md has the table.
 */
public final class CronJobScheduleTranslator {

  /** The schedule is valid on AWS but a Kubernetes CronJob cannot run it, even approximately. */
  public static final String SCHEDULE_NOT_TRANSLATABLE = "ScheduleNotTranslatable";

  /** A rate that does not divide an hour or a day: a CronJob's step restarts each hour/day. */
  public static final String RATE_APPROXIMATED = "RateApproximated";

  /**
   * A cron time inside the hour a DST change repeats: EventBridge runs it once, a CronJob twice.
   */
  public static final String FIRES_TWICE_WHEN_CLOCKS_GO_BACK = "FiresTwiceWhenClocksGoBack";

  /**
   * A zone whose clocks change by part of an hour or at midnight, which the CronJob controller's
   * cron library (robfig/cron v3) steps through wrongly.
   */
  public static final String DST_CHANGE_MISSTEPPED = "DstChangeMisstepped";

  /** An at() time that a DST change skips in its zone: the CronJob would never run. */
  public static final String AT_TIME_SKIPPED_BY_DST = "AtTimeSkippedByDst";

  /** The zone of every translated rate: rates are durations, not wall-clock times. */
  public static final String RATE_TIME_ZONE = "Etc/UTC";

  private static final int MONTHLY_DAYS = 31;

  private CronJobScheduleTranslator() {}

  /** How a translation went. */
  public enum Outcome {
    /** The CronJob runs exactly when EventBridge Scheduler would. */
    EXACT,
    /** The CronJob runs, at times that differ as the warnings say. */
    APPROXIMATED,
    /** No CronJob: the problems say why. */
    REFUSED
  }

  /**
   * What the ScheduledTask's CronJob gets: {@code schedule} and {@code timeZone}, and two things
   * the controller must add because a CronJob has no field for them — keep it suspended outside
   * [{@code activeFrom}, {@code activeUntil}) (a cron year range, an at() time), and suspend it
   * after its first Job when {@code once} (an at() schedule, whose five fields recur yearly).
   */
  public record CronJobSchedule(
      String schedule,
      String timeZone,
      Optional<Instant> activeFrom,
      Optional<Instant> activeUntil,
      boolean once) {}

  /** The CronJob schedule when there is one, what it does differently, and why there is none. */
  public record Translation(
      Optional<CronJobSchedule> cronJob, List<StatusWarning> warnings, List<Problem> problems) {

    /** Refused when there are problems, approximated when there are warnings, else exact. */
    public Outcome outcome() {
      if (!problems.isEmpty()) {
        return Outcome.REFUSED;
      }
      return warnings.isEmpty() ? Outcome.EXACT : Outcome.APPROXIMATED;
    }
  }

  /**
   * Translates {@code expression} in {@code timezone} (null: UTC, as on AWS). {@code startDate} is
   * the schedule's StartDate, which sets the phase of a rate: EventBridge counts rate(5 minutes)
   * from it, or without one from the moment the schedule was created, so a controller passes the
   * resource's creationTimestamp then (empty: the clock's round numbers). Problems and warnings
   * carry {@code path}, or {@code timezonePath} for the zone.
   */
  public static Translation translate(
      String expression,
      String timezone,
      Optional<Instant> startDate,
      String path,
      String timezonePath) {
    List<Problem> problems = new ArrayList<>();
    Optional<EventBridgeSchedule> parsed =
        EventBridgeScheduleParser.parse(expression, path, problems);
    Optional<ZoneId> zone = EventBridgeScheduleParser.zone(timezone, timezonePath, problems);
    if (parsed.isEmpty() || zone.isEmpty()) {
      return refused(problems);
    }
    String zoneName = timezone == null ? EventBridgeScheduleParser.DEFAULT_TIMEZONE : timezone;
    List<StatusWarning> warnings = new ArrayList<>();
    EventBridgeSchedule schedule = parsed.get();
    Optional<CronJobSchedule> cronJob;
    if (schedule instanceof Cron cron) {
      cronJob = cron(cron, zoneName, zone.get(), path, warnings, problems);
    } else if (schedule instanceof Rate rate) {
      cronJob = rate(rate, startDate, path, warnings, problems);
    } else {
      cronJob = Optional.of(at((At) schedule, zoneName, zone.get(), path, warnings));
    }
    if (!problems.isEmpty()) {
      return refused(problems);
    }
    return new Translation(cronJob, List.copyOf(warnings), List.of());
  }

  private static Translation refused(List<Problem> problems) {
    return new Translation(Optional.empty(), List.of(), List.copyOf(problems));
  }

  private static Optional<CronJobSchedule> cron(
      Cron cron,
      String zoneName,
      ZoneId zone,
      String path,
      List<StatusWarning> warnings,
      List<Problem> problems) {
    for (CronField day : List.of(cron.dayOfMonth(), cron.dayOfWeek())) {
      if (day.special() != CronSpecial.NONE && day.special() != CronSpecial.ANY) {
        problems.add(
            new Problem(
                path,
                SCHEDULE_NOT_TRANSLATABLE,
                "cron "
                    + day.kind().label
                    + " field "
                    + quote(day.text())
                    + ": "
                    + meaning(day)
                    + " has no Kubernetes cron equivalent (a CronJob names days of the month and"
                    + " of the week, and runs on either when both are set), and every"
                    + " approximation runs on days this schedule excludes; choose days a CronJob"
                    + " can name, or run it on a Cluster with the ecs backend"));
      }
    }
    List<Integer> years = cron.year().values();
    boolean yearsContiguous = years.get(years.size() - 1) - years.get(0) == years.size() - 1;
    if (!yearsContiguous) {
      problems.add(
          new Problem(
              path,
              SCHEDULE_NOT_TRANSLATABLE,
              "cron year field "
                  + quote(cron.year().text())
                  + ": a CronJob has no year, so Tidewater can only bound it to one unbroken run"
                  + " of years (e.g. 2027-2029, or * for every year); these years have gaps"));
    }
    if (!problems.isEmpty()) {
      return Optional.empty();
    }
    String schedule =
        String.join(
            " ",
            field(cron.minutes().values(), 0, 59),
            field(cron.hours().values(), 0, 23),
            cron.dayOfMonth().special() == CronSpecial.ANY
                ? "*"
                : field(cron.dayOfMonth().values(), 1, 31),
            field(cron.month().values(), 1, 12),
            cron.dayOfWeek().special() == CronSpecial.ANY
                ? "*"
                // EventBridge counts 1 = SUN .. 7 = SAT; Kubernetes 0 = SUN .. 6 = SAT.
                : field(cron.dayOfWeek().values().stream().map(d -> d - 1).toList(), 0, 6));
    Optional<Instant> from = Optional.empty();
    Optional<Instant> until = Optional.empty();
    int first = years.get(0);
    int last = years.get(years.size() - 1);
    if (first > CronFieldKind.YEAR.min) {
      from = Optional.of(newYear(first, zone));
    }
    if (last < CronFieldKind.YEAR.max) {
      until = Optional.of(newYear(last + 1, zone));
    }
    Optional<StatusWarning> misstepped = misstepped(zoneName, zone, path);
    misstepped.ifPresent(warnings::add);
    if (misstepped.isEmpty()) {
      repeatedByDst(cron, zoneName, zone, path).ifPresent(warnings::add);
    }
    return Optional.of(new CronJobSchedule(schedule, zoneName, from, until, false));
  }

  private static String meaning(CronField day) {
    return switch (day.special()) {
      case LAST_DAY_OF_MONTH -> "L (the last day of the month)";
      case LAST_WEEKDAY_OF_MONTH -> "LW (the last weekday of the month)";
      case NEAREST_WEEKDAY -> "W (the weekday nearest to day " + day.day() + ")";
      case LAST_DAY_OF_WEEK_IN_MONTH -> "L (the last " + dayName(day.day()) + " of the month)";
      case NTH_DAY_OF_WEEK_IN_MONTH ->
          "# (" + ordinal(day.nth()) + " " + dayName(day.day()) + " of the month)";
      default -> day.text();
    };
  }

  private static String dayName(int eventBridgeDay) {
    String name = DayOfWeek.SUNDAY.plus(eventBridgeDay - 1L).name();
    return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
  }

  private static String ordinal(int n) {
    return List.of("first", "second", "third", "fourth", "fifth").get(n - 1);
  }

  /**
   * A warning when {@code zone}'s clocks change by part of an hour (Australia/Lord_Howe), off the
   * hour (Pacific/Chatham, at 02:45) or at midnight (America/Santiago): robfig/cron steps hours in
   * real time from the hour and patches days by whole hours, so around such a change (checked
   * against robfig/cron v3.0.1 itself) it skips runs, runs on the half hour, or on a day the
   * schedule excludes — also for times far from the change.
   */
  private static Optional<StatusWarning> misstepped(String zoneName, ZoneId zone, String path) {
    for (ZoneOffsetTransitionRule rule : zone.getRules().getTransitionRules()) {
      ZoneOffsetTransition t = rule.createTransition(2030);
      LocalDateTime before = t.getDateTimeBefore();
      LocalDateTime after = t.getDateTimeAfter();
      boolean wholeHoursOnTheHour =
          t.getDuration().getSeconds() % 3600 == 0
              && before.getMinute() == 0
              && after.getMinute() == 0
              && before.toLocalDate().equals(after.toLocalDate())
              && before.getHour() != 0
              && after.getHour() != 0;
      if (!wholeHoursOnTheHour) {
        return Optional.of(
            new StatusWarning(
                path,
                DST_CHANGE_MISSTEPPED,
                "in "
                    + zoneName
                    + " clocks change from "
                    + before
                    + " to "
                    + after
                    + " (and so every year), a change the CronJob controller's cron library"
                    + " steps through wrongly (it follows only whole-hour changes on the hour,"
                    + " away from midnight): around each change the CronJob may skip runs, run"
                    + " on the wrong minute or on a day the schedule excludes. Use UTC, or a"
                    + " zone whose clocks change like that, to have it run as on EventBridge"));
      }
    }
    return Optional.empty();
  }

  /**
   * A warning when the schedule can fire inside the hour that a DST change in {@code zone} repeats:
   * EventBridge Scheduler runs such a time once, the CronJob controller (robfig/cron stepping in
   * real time) at both of its instants.
   */
  private static Optional<StatusWarning> repeatedByDst(
      Cron cron, String zoneName, ZoneId zone, String path) {
    List<String> repeated = new ArrayList<>();
    for (ZoneOffsetTransitionRule rule : zone.getRules().getTransitionRules()) {
      // A rule's transition falls on other days each year; 28 years see every weekday and date.
      RULE:
      for (int year = 2030; year < 2058; year++) {
        ZoneOffsetTransition transition = rule.createTransition(year);
        if (!transition.isOverlap()) {
          break;
        }
        for (LocalDateTime t = transition.getDateTimeAfter();
            t.isBefore(transition.getDateTimeBefore());
            t = t.plusMinutes(1)) {
          if (fires(cron, t)) {
            repeated.add(
                transition.getDateTimeAfter().toLocalTime()
                    + "-"
                    + transition.getDateTimeBefore().toLocalTime()
                    + " on the day in "
                    + transition.getDateTimeBefore().getMonth().name().substring(0, 3)
                    + " when clocks go back from "
                    + transition.getOffsetBefore()
                    + " to "
                    + transition.getOffsetAfter()
                    + ", e.g. "
                    + t.toLocalDate());
            break RULE;
          }
        }
      }
    }
    if (repeated.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new StatusWarning(
            path,
            FIRES_TWICE_WHEN_CLOCKS_GO_BACK,
            "cron minutes/hours fields: in "
                + zoneName
                + " the local times "
                + String.join(" and ", repeated)
                + " happen twice; EventBridge Scheduler runs them once,"
                + " a CronJob runs them at both instants. Use a zone without DST (e.g. UTC) or"
                + " hours outside that window to have them run once"));
  }

  /**
   * Whether the (translatable) cron expression names the local time {@code t}, whatever the year:
   * the zone's current DST rules are checked in later years than the schedule may name.
   */
  private static boolean fires(Cron cron, LocalDateTime t) {
    boolean day =
        cron.dayOfMonth().special() == CronSpecial.ANY
            ? cron.dayOfWeek().values().contains(t.getDayOfWeek().getValue() % 7 + 1)
            : cron.dayOfMonth().values().contains(t.getDayOfMonth());
    return day
        && cron.month().values().contains(t.getMonthValue())
        && cron.hours().values().contains(t.getHour())
        && cron.minutes().values().contains(t.getMinute());
  }

  private static Optional<CronJobSchedule> rate(
      Rate rate,
      Optional<Instant> startDate,
      String path,
      List<StatusWarning> warnings,
      List<Problem> problems) {
    // Rates are durations (a day is 24 hours even when DST makes it 23 or 25), so they run in UTC
    // whatever the schedule's zone, and are phased like the StartDate when there is one.
    LocalDateTime start =
        startDate
            .map(s -> LocalDateTime.ofInstant(s, ZoneOffset.UTC))
            .orElse(LocalDateTime.of(2000, 1, 2, 0, 0)); // a Sunday at midnight
    long minutes = rate.minutes();
    String form =
        "rate("
            + rate.value()
            + " "
            + rate.unit().name().toLowerCase(Locale.ROOT)
            + (rate.value() == 1 ? "" : "s")
            + ")";
    String schedule;
    if (minutes < 60) {
      int m = (int) minutes;
      List<Integer> marks = progression(start.getMinute() % m, m, 59);
      schedule = field(marks, 0, 59) + " * * * *";
      if (60 % m != 0) {
        warnings.add(
            approximated(
                path,
                form,
                schedule,
                "a cron step restarts every hour, so it runs at minutes "
                    + list(marks)
                    + " of each hour ("
                    + marks.size()
                    + " runs an hour instead of "
                    + String.format(Locale.ROOT, "%.1f", 60.0 / m)
                    + ", "
                    + (60 - marks.get(marks.size() - 1) + marks.get(0))
                    + " minutes apart across the hour)"));
      }
    } else if (minutes % 60 == 0 && minutes / 60 < 24) {
      int h = (int) (minutes / 60);
      List<Integer> marks = progression(start.getHour() % h, h, 23);
      schedule = start.getMinute() + " " + field(marks, 0, 23) + " * * *";
      if (24 % h != 0) {
        warnings.add(
            approximated(
                path,
                form,
                schedule,
                "a cron step restarts every day, so it runs at hours "
                    + list(marks)
                    + " UTC ("
                    + (24 - marks.get(marks.size() - 1) + marks.get(0))
                    + " hours apart across midnight)"));
      }
    } else if (minutes % (24 * 60) == 0 && minutes / (24 * 60) <= MONTHLY_DAYS) {
      int d = (int) (minutes / (24 * 60));
      String time = start.getMinute() + " " + start.getHour();
      if (d == 1) {
        schedule = time + " * * *";
      } else if (d == 7) {
        schedule = time + " * * " + (start.getDayOfWeek().getValue() % 7);
      } else {
        List<Integer> days = progression(1, d, 31);
        schedule = time + " " + field(days, 1, 31) + " * *";
        warnings.add(
            approximated(
                path,
                form,
                schedule,
                "a cron step restarts every month, so it runs on days "
                    + list(days)
                    + " of each month, and the last run of a month is followed by the first of"
                    + " the next after fewer than "
                    + d
                    + " days"));
      }
    } else {
      problems.add(
          new Problem(
              path,
              SCHEDULE_NOT_TRANSLATABLE,
              form
                  + (minutes > MONTHLY_DAYS * 24 * 60
                      ? " runs less often than monthly, which a cron step cannot say; write a"
                          + " cron(...) with the months to run in, e.g. cron(0 0 1 1,4,7,10 ? *)"
                      : " is not a whole number of hours below a day nor of days, so no cron"
                          + " step can repeat it; use minutes that divide an hour, hours that"
                          + " divide a day, or days")));
      return Optional.empty();
    }
    return Optional.of(
        new CronJobSchedule(schedule, RATE_TIME_ZONE, Optional.empty(), Optional.empty(), false));
  }

  private static StatusWarning approximated(
      String path, String form, String schedule, String what) {
    return new StatusWarning(
        path,
        RATE_APPROXIMATED,
        form + " runs as the CronJob schedule " + quote(schedule) + ": " + what);
  }

  private static CronJobSchedule at(
      At at, String zoneName, ZoneId zone, String path, List<StatusWarning> warnings) {
    LocalDateTime t = at.time();
    misstepped(zoneName, zone, path).ifPresent(warnings::add);
    if (zone.getRules().getValidOffsets(t).isEmpty()) {
      warnings.add(
          new StatusWarning(
              path,
              AT_TIME_SKIPPED_BY_DST,
              "at("
                  + t
                  + "): that local time does not exist in "
                  + zoneName
                  + " (clocks go forward over it), so the CronJob never runs; name a time"
                  + " outside the change"));
    }
    String schedule =
        t.getMinute()
            + " "
            + t.getHour()
            + " "
            + t.getDayOfMonth()
            + " "
            + t.getMonthValue()
            + " *";
    // The five fields recur every year: the controller holds the CronJob to the year of the at()
    // time and suspends it after its first Job.
    return new CronJobSchedule(
        schedule,
        zoneName,
        Optional.of(newYear(t.getYear(), zone)),
        Optional.of(newYear(t.getYear() + 1, zone)),
        true);
  }

  /** 1 January of {@code year}, 00:00 in {@code zone}. */
  private static Instant newYear(int year, ZoneId zone) {
    return ZonedDateTime.ofLocal(LocalDateTime.of(year, 1, 1, 0, 0), zone, null).toInstant();
  }

  /** {@code first}, {@code first + step}, ... up to {@code max}. */
  private static List<Integer> progression(int first, int step, int max) {
    return IntStream.iterate(first, v -> v <= max, v -> v + step).boxed().toList();
  }

  private static String list(List<Integer> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /**
   * A Kubernetes cron field for {@code values} (sorted, within min..max): {@code *} for all, a step
   * {@code a-b/s} for an arithmetic run of three or more that reaches both ends, else ranges and
   * single values. {@code *} matters beyond brevity: in a day field it is what makes the other day
   * field decide alone.
   */
  static String field(List<Integer> values, int min, int max) {
    if (values.size() == max - min + 1) {
      return "*";
    }
    if (values.size() >= 3) {
      int step = values.get(1) - values.get(0);
      int first = values.get(0);
      int last = values.get(values.size() - 1);
      boolean progression =
          step > 1
              && IntStream.range(1, values.size())
                  .allMatch(i -> values.get(i) - values.get(i - 1) == step)
              && first - step < min
              && last + step > max;
      if (progression) {
        return (first == min ? "*" : first + "-" + last) + "/" + step;
      }
    }
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (i < values.size()) {
      int j = i;
      while (j + 1 < values.size() && values.get(j + 1) == values.get(j) + 1) {
        j++;
      }
      if (j - i >= 2) {
        parts.add(values.get(i) + "-" + values.get(j));
      } else {
        for (int k = i; k <= j; k++) {
          parts.add(String.valueOf(values.get(k)));
        }
      }
      i = j + 1;
    }
    return String.join(",", parts);
  }
}
