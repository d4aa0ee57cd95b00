package dev.tidewater.model;

import java.time.LocalDateTime;
import java.util.List;

/**
 * An EventBridge Scheduler schedule expression after {@link EventBridgeScheduleParser} accepted it:
 * a {@code cron(...)} of six fields, a {@code rate(value unit)} or a one-time {@code at(...)}.
 */
public sealed interface EventBridgeSchedule {

  /** {@code cron(minutes hours day-of-month month day-of-week year)}. */
  record Cron(
      CronField minutes,
      CronField hours,
      CronField dayOfMonth,
      CronField month,
      CronField dayOfWeek,
      CronField year)
      implements EventBridgeSchedule {

    /** The six fields in the order they are written. */
    public List<CronField> fields() {
      return List.of(minutes, hours, dayOfMonth, month, dayOfWeek, year);
    }
  }

  /** {@code rate(value unit)}: every {@code value} units, counted from the start date. */
  record Rate(long value, RateUnit unit) implements EventBridgeSchedule {

    /** The interval in minutes. */
    public long minutes() {
      return value * unit.minutes;
    }
  }

  /** {@code at(yyyy-mm-ddThh:mm:ss)}: once, at this wall-clock time in the schedule's zone. */
  record At(LocalDateTime time) implements EventBridgeSchedule {}

  /** A unit of a rate expression, with its length (a day is 24 hours, also across DST). */
  enum RateUnit {
    /** {@code minute} / {@code minutes}. */
    MINUTE(1),
    /** {@code hour} / {@code hours}. */
    HOUR(60),
    /** {@code day} / {@code days}. */
    DAY(24 * 60);

    final long minutes;

    RateUnit(long minutes) {
      this.minutes = minutes;
    }
  }

  /** A field of a cron expression with AWS's name for it and the values it takes. */
  enum CronFieldKind {
    /** Minutes, 0-59. */
    MINUTES("minutes", 0, 59),
    /** Hours, 0-23. */
    HOURS("hours", 0, 23),
    /** Day-of-month, 1-31. */
    DAY_OF_MONTH("day-of-month", 1, 31),
    /** Month, 1-12 or JAN-DEC. */
    MONTH("month", 1, 12),
    /** Day-of-week, 1-7 or SUN-SAT (1 is Sunday, unlike the 0-6 of Unix and Kubernetes cron). */
    DAY_OF_WEEK("day-of-week", 1, 7),
    /** Year, 1970-2199. */
    YEAR("year", 1970, 2199);

    /** AWS's name of the field, used in messages. */
    public final String label;

    /** The lowest value. */
    public final int min;

    /** The highest value. */
    public final int max;

    CronFieldKind(String label, int min, int max) {
      this.label = label;
      this.min = min;
      this.max = max;
    }
  }

  /** A day-of-month or day-of-week wildcard that names a day relative to the month. */
  enum CronSpecial {
    /** No special: the field is its set of values. */
    NONE,
    /** {@code ?}: no specific value (the other day field decides). */
    ANY,
    /** {@code L} in day-of-month: the last day of the month. */
    LAST_DAY_OF_MONTH,
    /** {@code LW} in day-of-month: the last weekday (Monday to Friday) of the month. */
    LAST_WEEKDAY_OF_MONTH,
    /** {@code nW} in day-of-month: the weekday nearest to day n, within the month. */
    NEAREST_WEEKDAY,
    /** {@code nL} in day-of-week: the last day n (1 = SUN) of the month. */
    LAST_DAY_OF_WEEK_IN_MONTH,
    /** {@code n#k} in day-of-week: the k-th day n (1 = SUN) of the month. */
    NTH_DAY_OF_WEEK_IN_MONTH
  }

  /**
   * One cron field as written ({@code text}), the sorted values it allows when it has no special,
   * and the special's day ({@code n} of {@code nW}, {@code nL}, {@code n#k}) and instance ({@code
   * k}), 0 when unused.
   */
  record CronField(
      CronFieldKind kind,
      String text,
      List<Integer> values,
      CronSpecial special,
      int day,
      int nth) {

    /** Whether the field allows every value of its range. */
    public boolean all() {
      return special == CronSpecial.NONE && values.size() == kind.max - kind.min + 1;
    }
  }
}
