package dev.tidewater.model;

import static dev.tidewater.model.Messages.quote;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.model.CronJobScheduleTranslator.Translation;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a ScheduledTask's schedule (its reconciler and {@code tidewater validate} run it): AWS's
 * rules on every backend, and on the kubernetes backend whether a CronJob can run it, returning
 * every problem with its field path; {@link #warnings} says what a CronJob approximates.
 */
public final class ScheduledTaskValidator {

  /** startDate or endDate is not an RFC 3339 timestamp. */
  public static final String INVALID_TIMESTAMP = "InvalidTimestamp";

  /** startDate is not before endDate. */
  public static final String START_DATE_NOT_BEFORE_END_DATE = "StartDateNotBeforeEndDate";

  static final String EXPRESSION = "scheduleExpression";
  static final String TIMEZONE = "scheduleExpressionTimezone";

  private ScheduledTaskValidator() {}

  /**
   * Every problem of {@code spec}'s schedule: AWS's rules, and on the kubernetes backend (a known
   * Cluster without {@code backend: ecs}) what no CronJob can run. {@code creationTimestamp} stands
   * in for a missing startDate, as EventBridge counts a rate from its creation.
   */
  public static List<Problem> validate(
      ScheduledTaskSpec spec, ValidationContext context, Optional<Instant> creationTimestamp) {
    Objects.requireNonNull(spec, "spec");
    List<Problem> problems = new ArrayList<>();
    Optional<Instant> start = timestamp(spec.startDate, "startDate", problems);
    Optional<Instant> end = timestamp(spec.endDate, "endDate", problems);
    if (start.isPresent() && end.isPresent() && !start.get().isBefore(end.get())) {
      problems.add(
          new Problem(
              "endDate",
              START_DATE_NOT_BEFORE_END_DATE,
              "endDate " + spec.endDate + " is not after startDate " + spec.startDate));
    }
    if (onKubernetes(context)) {
      problems.addAll(translate(spec, creationTimestamp).problems());
    } else {
      EventBridgeScheduleParser.parse(spec.scheduleExpression, EXPRESSION, problems);
      EventBridgeScheduleParser.zone(spec.scheduleExpressionTimezone, TIMEZONE, problems);
    }
    return List.copyOf(problems);
  }

  /** What the CronJob of a valid {@code spec} does differently; none off the kubernetes backend. */
  public static List<StatusWarning> warnings(
      ScheduledTaskSpec spec, ValidationContext context, Optional<Instant> creationTimestamp) {
    if (!onKubernetes(context)) {
      return List.of();
    }
    return translate(spec, creationTimestamp).warnings();
  }

  /**
   * The CronJob translation of {@code spec}'s schedule, a rate phased by its startDate or else
   * {@code creationTimestamp} (when EventBridge would have created the schedule).
   */
  public static Translation translate(ScheduledTaskSpec spec, Optional<Instant> creationTimestamp) {
    Optional<Instant> start =
        timestamp(spec.startDate, "startDate", new ArrayList<>()).or(() -> creationTimestamp);
    return CronJobScheduleTranslator.translate(
        spec.scheduleExpression, spec.scheduleExpressionTimezone, start, EXPRESSION, TIMEZONE);
  }

  private static boolean onKubernetes(ValidationContext context) {
    return context.backend().map("kubernetes"::equals).orElse(false);
  }

  private static Optional<Instant> timestamp(String value, String path, List<Problem> problems) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(value).toInstant());
    } catch (DateTimeParseException e) {
      problems.add(
          new Problem(
              path,
              INVALID_TIMESTAMP,
              path
                  + " "
                  + quote(value)
                  + " is not an RFC 3339 timestamp, e.g. 2027-01-01T00:00:00Z"));
      return Optional.empty();
    }
  }
}
