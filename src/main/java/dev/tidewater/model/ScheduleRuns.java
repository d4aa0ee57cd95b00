package dev.tidewater.model;

import dev.tidewater.model.EventBridgeSchedule.At;
import dev.tidewater.model.EventBridgeSchedule.Cron;
import dev.tidewater.model.EventBridgeSchedule.CronField;
import dev.tidewater.model.EventBridgeSchedule.CronSpecial;
import dev.tidewater.model.EventBridgeSchedule.Rate;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Optional;

/**
 * When an EventBridge Scheduler schedule runs next (pure), as EventBridge reads it on both
 * backends: cron in its zone with L, W and # (a local time a DST change skips does not run, one it
 * repeats runs once, at the first instant), a rate every interval from its start (startDate, else
 * when the schedule was made), at() once; never before {@code startDate}, never from {@code
 * endDate} on. What the status's {@code nextRunTime} says; the kubernetes backend's CronJob runs at
 * these times where the translation is exact.
 */
public final class ScheduleRuns {

  /** How far ahead a cron is searched (a year field can leave long gaps). */
  private static final int SEARCH_YEARS = 30;

  private ScheduleRuns() {}

  /**
   * The first run strictly after {@code after}; empty when there is none (an at() in the past, past
   * the end date, a cron whose years are over).
   *
   * @param created when the schedule was made: a rate without a start date counts from it
   */
  public static Optional<Instant> next(
      EventBridgeSchedule schedule,
      ZoneId zone,
      Optional<Instant> startDate,
      Optional<Instant> endDate,
      Instant created,
      Instant after) {
    Instant from = startDate.filter(s -> s.isAfter(after)).map(s -> s.minusNanos(1)).orElse(after);
    Optional<Instant> next;
    if (schedule instanceof Rate rate) {
      next = rate(rate, startDate.orElse(created), from);
    } else if (schedule instanceof At at) {
      Instant when = at.time().atZone(zone).toInstant();
      next = when.isAfter(from) ? Optional.of(when) : Optional.empty();
    } else {
      next = cron((Cron) schedule, zone, from);
    }
    return next.filter(n -> endDate.isEmpty() || n.isBefore(endDate.get()));
  }

  /**
   * The last run at or before {@code atOrBefore} and after {@code atOrBefore - lookback}; empty
   * when none was due in that stretch. What a run seen at {@code atOrBefore} (a task created then)
   * was due for, and what run is awaited now.
   */
  public static Optional<Instant> latest(
      EventBridgeSchedule schedule,
      ZoneId zone,
      Optional<Instant> startDate,
      Optional<Instant> endDate,
      Instant created,
      Instant atOrBefore,
      Duration lookback) {
    Optional<Instant> found = Optional.empty();
    Optional<Instant> n =
        next(schedule, zone, startDate, endDate, created, atOrBefore.minus(lookback));
    // a minute is the finest grain of every expression: the loop is bounded by the lookback
    for (int i = 0;
        n.isPresent() && !n.get().isAfter(atOrBefore) && i <= lookback.toMinutes();
        i++) {
      found = n;
      n = next(schedule, zone, startDate, endDate, created, n.get());
    }
    return found;
  }

  private static Optional<Instant> rate(Rate rate, Instant origin, Instant after) {
    Duration every = Duration.ofMinutes(rate.minutes());
    if (after.isBefore(origin)) return Optional.of(origin);
    long elapsed = Duration.between(origin, after).toMillis();
    long steps = elapsed / every.toMillis() + 1;
    return Optional.of(origin.plus(every.multipliedBy(steps)));
  }

  private static Optional<Instant> cron(Cron cron, ZoneId zone, Instant after) {
    LocalDate day = LocalDateTime.ofInstant(after, zone).toLocalDate();
    LocalDate stop = day.plusYears(SEARCH_YEARS);
    List<Integer> years = cron.year().values();
    for (; day.isBefore(stop); day = day.plusDays(1)) {
      if (!years.contains(day.getYear())) {
        int year = day.getYear();
        Integer nextYear = years.stream().filter(y -> y > year).findFirst().orElse(null);
        if (nextYear == null) return Optional.empty();
        day = LocalDate.of(nextYear, 1, 1).minusDays(1);
        continue;
      }
      if (!cron.month().values().contains(day.getMonthValue()) || !dayMatches(cron, day)) {
        continue;
      }
      for (int h : cron.hours().values()) {
        for (int m : cron.minutes().values()) {
          LocalDateTime local = day.atTime(h, m);
          List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
          if (offsets.isEmpty()) continue; // skipped when clocks go forward
          Instant at = offsets.stream().map(local::toInstant).min(Instant::compareTo).orElseThrow();
          if (at.isAfter(after)) return Optional.of(at);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean dayMatches(Cron cron, LocalDate d) {
    CronField dom = cron.dayOfMonth();
    CronField dow = cron.dayOfWeek();
    if (dom.special() == CronSpecial.ANY) return dayOfWeekMatches(dow, d);
    return dayOfMonthMatches(dom, d);
  }

  private static boolean dayOfMonthMatches(CronField f, LocalDate d) {
    LocalDate last = d.with(TemporalAdjusters.lastDayOfMonth());
    return switch (f.special()) {
      case LAST_DAY_OF_MONTH -> d.equals(last);
      case LAST_WEEKDAY_OF_MONTH -> d.equals(weekdayOnOrBefore(last));
      case NEAREST_WEEKDAY ->
          d.equals(nearestWeekday(d.withDayOfMonth(Math.min(f.day(), last.getDayOfMonth()))));
      default -> f.values().contains(d.getDayOfMonth());
    };
  }

  private static boolean dayOfWeekMatches(CronField f, LocalDate d) {
    int dow = d.getDayOfWeek().getValue() % 7 + 1; // SUN = 1 .. SAT = 7
    return switch (f.special()) {
      case LAST_DAY_OF_WEEK_IN_MONTH -> dow == f.day() && d.plusWeeks(1).getMonth() != d.getMonth();
      case NTH_DAY_OF_WEEK_IN_MONTH -> dow == f.day() && (d.getDayOfMonth() - 1) / 7 + 1 == f.nth();
      default -> f.values().contains(dow);
    };
  }

  private static LocalDate weekdayOnOrBefore(LocalDate d) {
    return switch (d.getDayOfWeek()) {
      case SATURDAY -> d.minusDays(1);
      case SUNDAY -> d.minusDays(2);
      default -> d;
    };
  }

  /** Quartz's W: the weekday nearest to {@code d}, never leaving its month. */
  private static LocalDate nearestWeekday(LocalDate d) {
    DayOfWeek w = d.getDayOfWeek();
    if (w == DayOfWeek.SATURDAY) {
      return d.getDayOfMonth() == 1 ? d.plusDays(2) : d.minusDays(1);
    }
    if (w == DayOfWeek.SUNDAY) {
      return d.getDayOfMonth() == d.lengthOfMonth() ? d.minusDays(2) : d.plusDays(1);
    }
    return d;
  }
}
