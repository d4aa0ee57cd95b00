package dev.tidewater.model;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A reference evaluator of EventBridge cron semantics, written apart from {@link
 * EventBridgeScheduleParser} so that a property test comparing it with {@link
 * KubernetesCronReference} checks the parser too: it matches each field's text against a candidate
 * time instead of building value sets, and knows L, LW, nW, nL and n#k. DST as AWS documents it: a
 * local time that does not exist is skipped, one that happens twice runs once (the first).
 */
final class EventBridgeCronReference {

  private static final Map<String, Integer> MONTHS =
      Map.ofEntries(
          Map.entry("JAN", 1),
          Map.entry("FEB", 2),
          Map.entry("MAR", 3),
          Map.entry("APR", 4),
          Map.entry("MAY", 5),
          Map.entry("JUN", 6),
          Map.entry("JUL", 7),
          Map.entry("AUG", 8),
          Map.entry("SEP", 9),
          Map.entry("OCT", 10),
          Map.entry("NOV", 11),
          Map.entry("DEC", 12));
  private static final Map<String, Integer> DAYS =
      Map.of("SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5, "FRI", 6, "SAT", 7);

  private final String minutes;
  private final String hours;
  private final String dayOfMonth;
  private final String month;
  private final String dayOfWeek;
  private final String year;

  EventBridgeCronReference(String expression) {
    String body = expression.substring("cron(".length(), expression.length() - 1).trim();
    String[] f = body.toUpperCase(Locale.ROOT).split("\\s+");
    if (f.length != 6) {
      throw new IllegalArgumentException(expression);
    }
    minutes = f[0];
    hours = f[1];
    dayOfMonth = f[2];
    month = f[3];
    dayOfWeek = f[4];
    year = f[5];
  }

  /** The first {@code n} instants after {@code after} the schedule runs at in {@code zone}. */
  List<Instant> next(Instant after, ZoneId zone, int n) {
    List<Instant> found = new ArrayList<>();
    LocalDate day = LocalDateTime.ofInstant(after, zone).toLocalDate();
    LocalDate stop = day.plusYears(30);
    for (; day.isBefore(stop) && found.size() < n; day = day.plusDays(1)) {
      if (!dateMatches(day)) {
        continue;
      }
      for (int h = 0; h < 24; h++) {
        if (!matches(hours, h, 0, 23, Map.of())) {
          continue;
        }
        for (int m = 0; m < 60; m++) {
          if (!matches(minutes, m, 0, 59, Map.of())) {
            continue;
          }
          LocalDateTime local = day.atTime(h, m);
          List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
          if (offsets.isEmpty()) {
            continue; // skipped when clocks go forward
          }
          // Runs once when clocks go back: at the first of the two instants.
          Instant at = offsets.stream().map(local::toInstant).min(Instant::compareTo).orElseThrow();
          if (at.isAfter(after) && found.size() < n) {
            found.add(at);
          }
        }
      }
    }
    return found;
  }

  boolean dateMatches(LocalDate d) {
    if (!matches(year, d.getYear(), 1970, 2199, Map.of())
        || !matches(month, d.getMonthValue(), 1, 12, MONTHS)) {
      return false;
    }
    return dayOfMonth.equals("?") ? dayOfWeekMatches(d) : dayOfMonthMatches(d);
  }

  private boolean dayOfMonthMatches(LocalDate d) {
    LocalDate last = d.with(TemporalAdjusters.lastDayOfMonth());
    if (dayOfMonth.equals("L")) {
      return d.equals(last);
    }
    if (dayOfMonth.equals("LW")) {
      return d.equals(weekdayOnOrBefore(last));
    }
    if (dayOfMonth.endsWith("W")) {
      int n = Integer.parseInt(dayOfMonth.substring(0, dayOfMonth.length() - 1));
      return d.equals(nearestWeekday(d.withDayOfMonth(Math.min(n, last.getDayOfMonth()))));
    }
    return matches(dayOfMonth, d.getDayOfMonth(), 1, 31, Map.of());
  }

  private boolean dayOfWeekMatches(LocalDate d) {
    int dow = d.getDayOfWeek().getValue() % 7 + 1; // SUN = 1 .. SAT = 7
    if (dayOfWeek.equals("L")) {
      return dow == 7;
    }
    if (dayOfWeek.endsWith("L")) {
      return dow == day(dayOfWeek.substring(0, dayOfWeek.length() - 1))
          && d.plusWeeks(1).getMonth() != d.getMonth();
    }
    int hash = dayOfWeek.indexOf('#');
    if (hash > 0) {
      return dow == day(dayOfWeek.substring(0, hash))
          && (d.getDayOfMonth() - 1) / 7 + 1 == Integer.parseInt(dayOfWeek.substring(hash + 1));
    }
    return matches(dayOfWeek, dow, 1, 7, DAYS);
  }

  private static int day(String token) {
    return DAYS.containsKey(token) ? DAYS.get(token) : Integer.parseInt(token);
  }

  private static LocalDate weekdayOnOrBefore(LocalDate d) {
    return switch (d.getDayOfWeek()) {
      case SATURDAY -> d.minusDays(1);
      case SUNDAY -> d.minusDays(2);
      default -> d;
    };
  }

  /** Quartz's W: the nearest weekday to {@code d}, never leaving its month. */
  private static LocalDate nearestWeekday(LocalDate d) {
    DayOfWeek w = d.getDayOfWeek();
    int length = d.lengthOfMonth();
    if (w == DayOfWeek.SATURDAY) {
      return d.getDayOfMonth() == 1 ? d.plusDays(2) : d.minusDays(1);
    }
    if (w == DayOfWeek.SUNDAY) {
      return d.getDayOfMonth() == length ? d.minusDays(2) : d.plusDays(1);
    }
    return d;
  }

  /**
   * Whether {@code value} satisfies one of the comma-separated elements of {@code field}: {@code
   * *}, {@code a}, {@code a-b} (wrapping past max when b < a), each with an optional {@code /step}
   * counted from its start ({@code a/step} runs to max).
   */
  static boolean matches(String field, int value, int min, int max, Map<String, Integer> names) {
    int size = max - min + 1;
    for (String element : field.split(",")) {
      String[] stepped = element.split("/");
      int step = stepped.length > 1 ? Integer.parseInt(stepped[1]) : 1;
      String base = stepped[0];
      int lo;
      int hi;
      if (base.equals("*")) {
        lo = min;
        hi = max;
      } else if (base.contains("-")) {
        lo = number(base.substring(0, base.indexOf('-')), names);
        hi = number(base.substring(base.indexOf('-') + 1), names);
      } else {
        lo = number(base, names);
        hi = stepped.length > 1 ? max : lo;
      }
      int distance = Math.floorMod(value - lo, size);
      int length = Math.floorMod(hi - lo, size);
      if (value >= min && value <= max && distance <= length && distance % step == 0) {
        return true;
      }
    }
    return false;
  }

  private static int number(String token, Map<String, Integer> names) {
    return names.containsKey(token) ? names.get(token) : Integer.parseInt(token);
  }
}
