package dev.tidewater.model;

import static dev.tidewater.model.Messages.quote;

import dev.tidewater.model.EventBridgeSchedule.At;
import dev.tidewater.model.EventBridgeSchedule.Cron;
import dev.tidewater.model.EventBridgeSchedule.CronField;
import dev.tidewater.model.EventBridgeSchedule.CronFieldKind;
import dev.tidewater.model.EventBridgeSchedule.CronSpecial;
import dev.tidewater.model.EventBridgeSchedule.Rate;
import dev.tidewater.model.EventBridgeSchedule.RateUnit;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an EventBridge Scheduler {@code ScheduleExpression} and {@code ScheduleExpressionTimezone}
 * with AWS's own rules (the "Schedule types on EventBridge Scheduler" and "Cron expressions
 * reference" pages): what AWS would refuse is a problem naming the field, on both backends, so
 * {@code validate} refuses it before CreateSchedule does.
 */
public final class EventBridgeScheduleParser {

  /** The expression is not one AWS accepts (syntax, a value out of range, the {@code ?} rule). */
  public static final String INVALID_SCHEDULE_EXPRESSION = "InvalidScheduleExpression";

  /** The time zone is not an IANA time zone name. */
  public static final String INVALID_SCHEDULE_EXPRESSION_TIMEZONE =
      "InvalidScheduleExpressionTimezone";

  /** EventBridge Scheduler's default ScheduleExpressionTimezone. */
  public static final String DEFAULT_TIMEZONE = "UTC";

  private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)", Pattern.DOTALL);
  private static final Pattern RATE = Pattern.compile("rate\\((.*)\\)", Pattern.DOTALL);
  private static final Pattern RATE_BODY = Pattern.compile("([0-9]+) ([a-z]+)");
  private static final Pattern AT = Pattern.compile("at\\((.*)\\)", Pattern.DOTALL);
  private static final Pattern AT_BODY =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}");
  private static final Pattern NEAREST_WEEKDAY = Pattern.compile("([0-9]+)W");
  private static final Pattern LAST_OF_WEEK = Pattern.compile("([0-9]+|[A-Za-z]{3})L");
  private static final Pattern NTH_OF_WEEK = Pattern.compile("([0-9]+|[A-Za-z]{3})#([0-9]+)");
  private static final Pattern ELEMENT =
      Pattern.compile("(\\*|[0-9]+|[A-Za-z]{3})(?:-([0-9]+|[A-Za-z]{3}))?(?:/([0-9]+))?");

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

  private EventBridgeScheduleParser() {}

  /**
   * The schedule {@code expression} stands for, or empty with the reasons in {@code problems}, each
   * at {@code path} (the spec field holding the expression).
   */
  public static Optional<EventBridgeSchedule> parse(
      String expression, String path, List<Problem> problems) {
    if (expression == null || expression.isBlank()) {
      problems.add(invalid(path, "is required: cron(...), rate(...) or at(...)"));
      return Optional.empty();
    }
    Matcher m;
    if ((m = CRON.matcher(expression)).matches()) {
      return cron(m.group(1), path, problems).map(EventBridgeSchedule.class::cast);
    }
    if ((m = RATE.matcher(expression)).matches()) {
      return rate(m.group(1), path, problems).map(EventBridgeSchedule.class::cast);
    }
    if ((m = AT.matcher(expression)).matches()) {
      return at(m.group(1), path, problems).map(EventBridgeSchedule.class::cast);
    }
    problems.add(
        invalid(
            path,
            quote(expression)
                + " is not a schedule expression: write cron(minutes hours day-of-month month"
                + " day-of-week year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss)"));
    return Optional.empty();
  }

  /**
   * The zone of a ScheduleExpressionTimezone ({@link #DEFAULT_TIMEZONE} when absent), or empty with
   * a problem at {@code path}: AWS takes IANA names only, and so does a CronJob's {@code timeZone}.
   */
  public static Optional<ZoneId> zone(String timezone, String path, List<Problem> problems) {
    String name = timezone == null ? DEFAULT_TIMEZONE : timezone;
    // Offsets ("+02:00") and "Z" parse as ZoneIds but are no IANA names; neither AWS nor the
    // Kubernetes API server (Go's time.LoadLocation) accepts them, and "Local" means the node's.
    // The JVM also knows SystemV/* zones, which left the IANA database and which Go refuses.
    if (ZoneId.getAvailableZoneIds().contains(name) && !name.startsWith("SystemV/")) {
      return Optional.of(ZoneId.of(name));
    }
    problems.add(
        new Problem(
            path,
            INVALID_SCHEDULE_EXPRESSION_TIMEZONE,
            quote(name)
                + " is not an IANA time zone name (for example UTC, Europe/Paris,"
                + " America/New_York)"));
    return Optional.empty();
  }

  private static Optional<Rate> rate(String body, String path, List<Problem> problems) {
    Matcher m = RATE_BODY.matcher(body);
    String form = "rate(" + body + ")";
    if (!m.matches()) {
      problems.add(
          invalid(
              path,
              form
                  + " is not rate(value unit): value is a positive whole number, one space, and"
                  + " unit is minute(s), hour(s) or day(s)"));
      return Optional.empty();
    }
    long value;
    try {
      value = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value <= 0 || value > Integer.MAX_VALUE) {
      problems.add(invalid(path, form + ": the value must be a positive whole number"));
      return Optional.empty();
    }
    String unit = m.group(2);
    RateUnit parsed =
        switch (unit) {
          case "minute", "minutes" -> RateUnit.MINUTE;
          case "hour", "hours" -> RateUnit.HOUR;
          case "day", "days" -> RateUnit.DAY;
          default -> null;
        };
    if (parsed == null) {
      problems.add(
          invalid(path, form + ": unit " + quote(unit) + " is not minute(s), hour(s) or day(s)"));
      return Optional.empty();
    }
    boolean plural = unit.endsWith("s");
    if (plural == (value == 1)) {
      String singular = plural ? unit.substring(0, unit.length() - 1) : unit;
      problems.add(
          invalid(
              path,
              form
                  + ": AWS wants the singular unit for 1 and the plural for more, so write rate("
                  + value
                  + " "
                  + (value == 1 ? singular : singular + "s")
                  + ")"));
      return Optional.empty();
    }
    return Optional.of(new Rate(value, parsed));
  }

  private static Optional<At> at(String body, String path, List<Problem> problems) {
    if (AT_BODY.matcher(body).matches()) {
      try {
        return Optional.of(new At(LocalDateTime.parse(body)));
      } catch (DateTimeException e) {
        // falls through to the problem below: the shape is right but the date is not
      }
    }
    problems.add(
        invalid(
            path,
            "at("
                + body
                + ") is not at(yyyy-mm-ddThh:mm:ss) with a real date and time, e.g."
                + " at(2027-03-01T09:30:00)"));
    return Optional.empty();
  }

  private static Optional<Cron> cron(String body, String path, List<Problem> problems) {
    String[] parts = body.trim().split("\\s+");
    if (parts.length != 6) {
      problems.add(
          invalid(
              path,
              "cron("
                  + body
                  + ") has "
                  + (body.isBlank() ? 0 : parts.length)
                  + " fields; EventBridge cron has six: minutes hours day-of-month month"
                  + " day-of-week year"));
      return Optional.empty();
    }
    int before = problems.size();
    CronFieldKind[] kinds = CronFieldKind.values();
    List<CronField> fields = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      fields.add(field(kinds[i], parts[i], path, problems));
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    CronField dom = fields.get(2);
    CronField dow = fields.get(4);
    boolean domAny = dom.special() == CronSpecial.ANY;
    boolean dowAny = dow.special() == CronSpecial.ANY;
    if (domAny == dowAny) {
      problems.add(
          invalid(
              path,
              "cron day-of-month "
                  + quote(dom.text())
                  + " and day-of-week "
                  + quote(dow.text())
                  + ": exactly one of them must be ? (AWS refuses a schedule that names both, or"
                  + " neither)"));
      return Optional.empty();
    }
    return Optional.of(
        new Cron(fields.get(0), fields.get(1), dom, fields.get(3), dow, fields.get(5)));
  }

  private static CronField field(
      CronFieldKind kind, String text, String path, List<Problem> problems) {
    boolean dom = kind == CronFieldKind.DAY_OF_MONTH;
    boolean dow = kind == CronFieldKind.DAY_OF_WEEK;
    if (text.equals("?")) {
      if (dom || dow) {
        return special(kind, text, CronSpecial.ANY, 0, 0);
      }
      return bad(kind, text, "? is allowed only in day-of-month and day-of-week", path, problems);
    }
    String upper = text.toUpperCase(Locale.ROOT);
    if (dom) {
      if (upper.equals("L")) {
        return special(kind, text, CronSpecial.LAST_DAY_OF_MONTH, 0, 0);
      }
      if (upper.equals("LW")) {
        return special(kind, text, CronSpecial.LAST_WEEKDAY_OF_MONTH, 0, 0);
      }
      Matcher w = NEAREST_WEEKDAY.matcher(upper);
      if (w.matches()) {
        Integer day = value(kind, w.group(1));
        if (day == null) {
          return bad(kind, text, "W needs one day 1-31 before it, e.g. 15W", path, problems);
        }
        return special(kind, text, CronSpecial.NEAREST_WEEKDAY, day, 0);
      }
    }
    if (dow) {
      if (upper.equals("L")) {
        // L alone in day-of-week is the last day of the week: Saturday (7).
        return new CronField(kind, text, List.of(7), CronSpecial.NONE, 0, 0);
      }
      Matcher l = LAST_OF_WEEK.matcher(upper);
      if (l.matches()) {
        Integer day = value(kind, l.group(1));
        if (day == null) {
          return bad(
              kind, text, "L needs one day 1-7 or SUN-SAT before it, e.g. 6L", path, problems);
        }
        return special(kind, text, CronSpecial.LAST_DAY_OF_WEEK_IN_MONTH, day, 0);
      }
      Matcher n = NTH_OF_WEEK.matcher(upper);
      if (n.matches()) {
        Integer day = value(kind, n.group(1));
        int nth = parseSmall(n.group(2));
        if (day == null || nth < 1 || nth > 5) {
          return bad(
              kind,
              text,
              "# takes one day 1-7 or SUN-SAT and an instance 1-5, e.g. 3#2 (the second"
                  + " Tuesday); AWS allows no list around it",
              path,
              problems);
        }
        return special(kind, text, CronSpecial.NTH_DAY_OF_WEEK_IN_MONTH, day, nth);
      }
    }
    TreeSet<Integer> values = new TreeSet<>();
    for (String element : text.split(",", -1)) {
      String reason = element(kind, element.toUpperCase(Locale.ROOT), values);
      if (reason != null) {
        return bad(kind, text, reason, path, problems);
      }
    }
    return new CronField(kind, text, List.copyOf(values), CronSpecial.NONE, 0, 0);
  }

  /** Adds the values of one list element to {@code values}; the reason it is invalid, or null. */
  private static String element(CronFieldKind kind, String element, TreeSet<Integer> values) {
    Matcher m = ELEMENT.matcher(element);
    if (!m.matches()) {
      return quote(element) + " is not a value, a range a-b, a step a/b or *" + specials(kind);
    }
    boolean star = m.group(1).equals("*");
    if (star && m.group(2) != null) {
      return quote(element) + ": * cannot start a range";
    }
    Integer start = star ? Integer.valueOf(kind.min) : value(kind, m.group(1));
    Integer end = m.group(2) != null ? value(kind, m.group(2)) : null;
    if (start == null || (m.group(2) != null && end == null)) {
      return quote(element) + ": values are " + range(kind);
    }
    int step = 1;
    if (m.group(3) != null) {
      step = parseSmall(m.group(3));
      if (step < 1 || step > kind.max - kind.min + 1) {
        return quote(element) + ": the increment after / must be 1-" + (kind.max - kind.min + 1);
      }
    }
    if (end == null) {
      // "a" alone is one value; "a/s" and "*" run to the end of the field's range.
      end = star || m.group(3) != null ? kind.max : start;
    }
    if (end < start && kind == CronFieldKind.YEAR) {
      return quote(element) + ": a year range must not run backwards";
    }
    // A range whose end is below its start wraps past the field's maximum (AWS's example 20-2 in
    // hours runs from 20:00 to 02:59); the step counts along the wrapped range.
    int size = kind.max - kind.min + 1;
    int length = end >= start ? end - start : end - start + size;
    for (int offset = 0; offset <= length; offset += step) {
      values.add(kind.min + Math.floorMod(start - kind.min + offset, size));
    }
    return null;
  }

  private static String specials(CronFieldKind kind) {
    return switch (kind) {
      case DAY_OF_MONTH -> ", ?, L, LW or nW";
      case DAY_OF_WEEK -> ", ?, L, nL or n#k";
      default -> "";
    };
  }

  private static String range(CronFieldKind kind) {
    return switch (kind) {
      case MONTH -> "1-12 or JAN-DEC";
      case DAY_OF_WEEK ->
          "1-7 or SUN-SAT (EventBridge counts 1 = SUN to 7 = SAT, not 0-6 as Unix cron does)";
      default -> kind.min + "-" + kind.max;
    };
  }

  /** A number or name of the field within its range, or null. */
  private static Integer value(CronFieldKind kind, String token) {
    Integer v;
    if (Character.isDigit(token.charAt(0))) {
      int parsed = parseSmall(token);
      v = parsed < 0 ? null : parsed;
    } else {
      Map<String, Integer> names =
          switch (kind) {
            case MONTH -> MONTHS;
            case DAY_OF_WEEK -> DAYS;
            default -> Map.of();
          };
      v = names.get(token.toUpperCase(Locale.ROOT));
    }
    return v != null && v >= kind.min && v <= kind.max ? v : null;
  }

  /** A non-negative number of at most 4 digits, or -1. */
  private static int parseSmall(String digits) {
    return digits.length() <= 4 ? Integer.parseInt(digits) : -1;
  }

  private static CronField special(
      CronFieldKind kind, String text, CronSpecial special, int day, int nth) {
    return new CronField(kind, text, List.of(), special, day, nth);
  }

  private static CronField bad(
      CronFieldKind kind, String text, String reason, String path, List<Problem> problems) {
    problems.add(invalid(path, "cron " + kind.label + " field " + quote(text) + ": " + reason));
    return new CronField(kind, text, List.of(), CronSpecial.NONE, 0, 0);
  }

  private static Problem invalid(String path, String message) {
    return new Problem(path, INVALID_SCHEDULE_EXPRESSION, message);
  }
}
