package dev.tidewater.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A reference evaluator of a Kubernetes CronJob schedule: five fields read as robfig/cron v3's
 * {@code ParseStandard} (which the CronJob controller uses) reads them — {@code *} and {@code ?},
 * {@code a}, {@code a-b}, {@code /step} ({@code a/step} runs to the end), names, a day-of-week of
 * 0-6 — with its rule that a day matches on either day field when neither was written with a {@code
 * *} (a stepped {@code *}/n does not count), on both otherwise. Times run in the CronJob's {@code
 * timeZone}: robfig steps in real time, so a local time that does not exist is skipped and one that
 * happens twice runs twice.
 */
final class KubernetesCronReference {

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
      Map.of("SUN", 0, "MON", 1, "TUE", 2, "WED", 3, "THU", 4, "FRI", 5, "SAT", 6);

  /** The values of one field, and whether it was written with an unstepped {@code *}. */
  private record Field(boolean[] values, boolean star) {}

  private final Field minutes;
  private final Field hours;
  private final Field dayOfMonth;
  private final Field month;
  private final Field dayOfWeek;

  KubernetesCronReference(String schedule) {
    String[] f = schedule.trim().toUpperCase(Locale.ROOT).split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException(schedule);
    }
    minutes = field(f[0], 0, 59, Map.of());
    hours = field(f[1], 0, 23, Map.of());
    dayOfMonth = field(f[2], 1, 31, Map.of());
    month = field(f[3], 1, 12, MONTHS);
    dayOfWeek = field(f[4], 0, 6, DAYS);
  }

  private static Field field(String text, int min, int max, Map<String, Integer> names) {
    boolean[] values = new boolean[max + 1];
    boolean star = false;
    for (String expr : text.split(",")) {
      String[] rangeAndStep = expr.split("/");
      String[] lowAndHigh = rangeAndStep[0].split("-");
      int start;
      int end;
      boolean exprStar = false;
      if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
        start = min;
        end = max;
        exprStar = true;
      } else {
        start = value(lowAndHigh[0], names);
        end = lowAndHigh.length > 1 ? value(lowAndHigh[1], names) : start;
      }
      int step = 1;
      if (rangeAndStep.length > 1) {
        step = Integer.parseInt(rangeAndStep[1]);
        if (lowAndHigh.length == 1) {
          end = max; // "N/step" means "N-max/step"
        }
        if (step > 1) {
          exprStar = false;
        }
      }
      if (start < min || end > max || start > end || step < 1) {
        throw new IllegalArgumentException("robfig/cron refuses " + expr);
      }
      for (int v = start; v <= end; v += step) {
        values[v] = true;
      }
      star |= exprStar;
    }
    return new Field(values, star);
  }

  private static int value(String token, Map<String, Integer> names) {
    return names.containsKey(token) ? names.get(token) : Integer.parseInt(token);
  }

  boolean dateMatches(LocalDate d) {
    if (!month.values()[d.getMonthValue()]) {
      return false;
    }
    boolean dom = dayOfMonth.values()[d.getDayOfMonth()];
    boolean dow = dayOfWeek.values()[d.getDayOfWeek().getValue() % 7];
    return dayOfMonth.star() || dayOfWeek.star() ? dom && dow : dom || dow;
  }

  /** The first {@code n} instants after {@code after} the CronJob runs at in {@code zone}. */
  List<Instant> next(Instant after, ZoneId zone, int n) {
    List<Instant> found = new ArrayList<>();
    LocalDate day = LocalDateTime.ofInstant(after, zone).toLocalDate();
    LocalDate stop = day.plusYears(30);
    for (; day.isBefore(stop) && found.size() < n; day = day.plusDays(1)) {
      if (!dateMatches(day)) {
        continue;
      }
      List<Instant> today = new ArrayList<>();
      for (int h = 0; h < 24; h++) {
        for (int m = 0; m < 60; m++) {
          if (hours.values()[h] && minutes.values()[m]) {
            LocalDateTime local = day.atTime(h, m);
            for (ZoneOffset offset : zone.getRules().getValidOffsets(local)) {
              Instant at = local.toInstant(offset);
              if (at.isAfter(after)) {
                today.add(at);
              }
            }
          }
        }
      }
      today.sort(Comparator.naturalOrder());
      for (Instant at : today) {
        if (found.size() < n) {
          found.add(at);
        }
      }
    }
    return found;
  }
}
