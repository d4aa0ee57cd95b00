package dev.tidewater.backend.ecs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.model.EventBridgeSchedule;
import dev.tidewater.model.EventBridgeScheduleParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.CreateScheduleRequest;
import software.amazon.awssdk.services.scheduler.model.EcsParameters;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindow;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.RetryPolicy;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.scheduler.model.Target;
import software.amazon.awssdk.services.scheduler.model.UpdateScheduleRequest;

/**
 * The EventBridge Scheduler schedule of a ScheduledTask (pure): the expression, time zone, window
 * and state as the spec says, one target — the ECS cluster, with the task's RunTask fields as
 * {@code EcsParameters} (the same API classes as a Task's RunTask), the overrides as the target's
 * input, owner tags on every task — and what differs between it and the schedule GetSchedule
 * returned, so that a resync of an unchanged ScheduledTask writes nothing.
 */
public final class EcsScheduleRequests {

  /** The schedule group of every schedule Tidewater makes (deploy/iam-policy.json names it). */
  public static final String GROUP = "tidewater";

  /** EventBridge Scheduler's own retry defaults, sent so GetSchedule answers what was sent. */
  static final int MAXIMUM_EVENT_AGE_SECONDS = 86400;

  static final int MAXIMUM_RETRY_ATTEMPTS = 185;

  /**
   * How far in the past Scheduler accepts a StartDate (AWS: "cannot be earlier than 5 minutes
   * ago").
   */
  static final Duration START_DATE_SLACK = Duration.ofMinutes(4);

  // Strict: a spec field the SDK builder does not know is a mapping gap to fix here.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(MapperFeature.CAN_OVERRIDE_ACCESS_MODIFIERS)
          .build();

  /** RunTask fields with no EcsParameters equivalent, or placed elsewhere in the target. */
  private static final List<String> NOT_ECS_PARAMETERS =
      List.of("taskDefinitionRef", "count", "overrides", "startedBy", "tags");

  private EcsScheduleRequests() {}

  /**
   * Everything the schedule is made of.
   *
   * @param name the schedule's name (in {@link #GROUP})
   * @param description says whose schedule it is (ownership: schedules carry no tags)
   * @param taskTags owner and user tags every task gets
   * @param now the clock: a start date in the past is moved up (Scheduler refuses one older than 5
   *     minutes), keeping a rate's phase
   * @param created the ScheduledTask's creationTimestamp: a rate without a startDate counts from it
   *     (as the status's next run time does), so it is sent as the StartDate, moved up likewise
   */
  public record Inputs(
      ScheduledTaskSpec spec,
      String name,
      String description,
      String clusterArn,
      String taskDefinitionArn,
      String roleArn,
      Map<String, String> taskTags,
      Instant now,
      Instant created) {}

  /** The CreateSchedule request. */
  public static CreateScheduleRequest create(Inputs in, String clientToken) {
    UpdateScheduleRequest u = update(in, clientToken);
    return CreateScheduleRequest.builder()
        .name(u.name())
        .groupName(u.groupName())
        .description(u.description())
        .scheduleExpression(u.scheduleExpression())
        .scheduleExpressionTimezone(u.scheduleExpressionTimezone())
        .startDate(u.startDate())
        .endDate(u.endDate())
        .state(u.state())
        .flexibleTimeWindow(u.flexibleTimeWindow())
        .actionAfterCompletion(u.actionAfterCompletion())
        .target(u.target())
        .clientToken(clientToken)
        .build();
  }

  /**
   * The UpdateSchedule request (UpdateSchedule replaces every field, so it is a whole schedule).
   */
  public static UpdateScheduleRequest update(Inputs in, String clientToken) {
    ScheduledTaskSpec spec = in.spec();
    return UpdateScheduleRequest.builder()
        .name(in.name())
        .groupName(GROUP)
        .description(in.description())
        .scheduleExpression(spec.scheduleExpression)
        .scheduleExpressionTimezone(
            spec.scheduleExpressionTimezone == null
                ? EventBridgeScheduleParser.DEFAULT_TIMEZONE
                : spec.scheduleExpressionTimezone)
        .startDate(startDate(spec, in.created(), in.now()).orElse(null))
        .endDate(instant(spec.endDate).orElse(null))
        .state(Boolean.TRUE.equals(spec.paused) ? ScheduleState.DISABLED : ScheduleState.ENABLED)
        .flexibleTimeWindow(FlexibleTimeWindow.builder().mode(FlexibleTimeWindowMode.OFF).build())
        .actionAfterCompletion(ActionAfterCompletion.NONE)
        .target(target(in))
        .clientToken(clientToken)
        .build();
  }

  /** The schedule's one target: RunTask on the cluster. */
  static Target target(Inputs in) {
    ScheduledTaskSpec spec = in.spec();
    ObjectNode json = MAPPER.valueToTree(spec.task);
    json.remove(NOT_ECS_PARAMETERS);
    // Scheduler's PropagateTags knows only TASK_DEFINITION (botocore: enum [TASK_DEFINITION]);
    // NONE, RunTask's default, is said by leaving it out
    if ("NONE".equals(spec.task.propagateTags)) json.remove("propagateTags");
    json.put("taskDefinitionArn", in.taskDefinitionArn());
    json.put("taskCount", spec.task.count == null ? 1 : spec.task.count);
    EcsParameters.Builder ecs;
    try {
      ecs = MAPPER.treeToValue(json, EcsParameters.serializableBuilderClass());
    } catch (IOException e) {
      // only a spec field the SDK does not know gets here: a bug in the API classes
      throw new UncheckedIOException("cannot map the ScheduledTask's task to EcsParameters", e);
    }
    ecs.tags(tags(in.taskTags()));
    Target.Builder target =
        Target.builder()
            .arn(in.clusterArn())
            .roleArn(in.roleArn())
            .ecsParameters(ecs.build())
            .retryPolicy(
                RetryPolicy.builder()
                    .maximumEventAgeInSeconds(MAXIMUM_EVENT_AGE_SECONDS)
                    .maximumRetryAttempts(MAXIMUM_RETRY_ATTEMPTS)
                    .build());
    overridesInput(spec).ifPresent(target::input);
    return target.build();
  }

  /**
   * The tasks' tags as EcsParameters.Tags: the botocore model says a list of string maps ({@code
   * TagList} of {@code TagMap}), and Scheduler hands each to RunTask as an ECS {@code Tag}, so each
   * map is {@code {"key": k, "value": v}} — what Terraform's and the CDK's scheduler targets send.
   * An empty value is left out ({@code TagValue} has a minimum length of 1; an ECS tag's value is
   * optional).
   */
  static List<Map<String, String>> tags(Map<String, String> taskTags) {
    List<Map<String, String>> tags = new ArrayList<>();
    taskTags.forEach(
        (k, v) ->
            tags.add(v == null || v.isEmpty() ? Map.of("key", k) : Map.of("key", k, "value", v)));
    return tags;
  }

  /** The RunTask overrides as the target's input (EventBridge passes it to RunTask). */
  static Optional<String> overridesInput(ScheduledTaskSpec spec) {
    if (spec.task.overrides == null) return Optional.empty();
    ObjectNode overrides = MAPPER.valueToTree(spec.task.overrides);
    overrides.remove("taskRoleRef");
    if (overrides.isEmpty()) return Optional.empty();
    return Optional.of(overrides.toString());
  }

  /**
   * The StartDate to send: the spec's; one in the past (which Scheduler refuses beyond 5 minutes)
   * is moved up to now for cron and at(), and for a rate by whole intervals, so its phase stays. A
   * rate without a startDate always gets one: {@code created} moved up so, else Scheduler would
   * count from whenever the schedule was made or last updated, not from the time the status says.
   */
  static Optional<Instant> startDate(ScheduledTaskSpec spec, Instant created, Instant now) {
    Optional<Instant> start = origin(spec, created);
    if (start.isEmpty() || !start.get().isBefore(now.minus(START_DATE_SLACK))) return start;
    Optional<Duration> every = rate(spec);
    if (every.isEmpty()) return Optional.empty();
    // the first start + k intervals that is not older than the slack (ceiling division)
    long elapsed = Duration.between(start.get(), now.minus(START_DATE_SLACK)).toMillis();
    long steps = Math.floorDiv(elapsed + every.get().toMillis() - 1, every.get().toMillis());
    return Optional.of(start.get().plus(every.get().multipliedBy(steps)));
  }

  /** What a schedule counts from: the spec's startDate; for a rate without one, its creation. */
  private static Optional<Instant> origin(ScheduledTaskSpec spec, Instant created) {
    Optional<Instant> start = instant(spec.startDate);
    if (start.isPresent() || created == null || rate(spec).isEmpty()) return start;
    return Optional.of(created);
  }

  private static Optional<Duration> rate(ScheduledTaskSpec spec) {
    Optional<EventBridgeSchedule> parsed =
        EventBridgeScheduleParser.parse(
            spec.scheduleExpression, "scheduleExpression", new ArrayList<>());
    return parsed
        .filter(p -> p instanceof EventBridgeSchedule.Rate)
        .map(p -> Duration.ofMinutes(((EventBridgeSchedule.Rate) p).minutes()));
  }

  static Optional<Instant> instant(String rfc3339) {
    return rfc3339 == null
        ? Optional.empty()
        : Optional.of(OffsetDateTime.parse(rfc3339).toInstant());
  }

  /**
   * The fields of {@code observed} that differ from {@code desired}, by name (empty: nothing to
   * write). A start date counts as equal when both lie in the past and, for a rate, keep the same
   * phase: Scheduler cannot be given the spec's own past date again.
   */
  public static List<String> differences(
      UpdateScheduleRequest desired, GetScheduleResponse observed, ScheduledTaskSpec spec) {
    return differences(desired, observed, spec, null);
  }

  /** {@link #differences} of a ScheduledTask made at {@code created} (a rate's origin). */
  public static List<String> differences(
      UpdateScheduleRequest desired,
      GetScheduleResponse observed,
      ScheduledTaskSpec spec,
      Instant created) {
    List<String> out = new ArrayList<>();
    if (!Objects.equals(desired.description(), observed.description())) out.add("description");
    if (!Objects.equals(desired.scheduleExpression(), observed.scheduleExpression())) {
      out.add("scheduleExpression");
    }
    if (!Objects.equals(
        desired.scheduleExpressionTimezone(),
        observed.scheduleExpressionTimezone() == null
            ? EventBridgeScheduleParser.DEFAULT_TIMEZONE
            : observed.scheduleExpressionTimezone())) {
      out.add("scheduleExpressionTimezone");
    }
    if (!sameStart(desired.startDate(), observed.startDate(), spec, created)) {
      out.add("startDate");
    }
    if (!sameInstant(desired.endDate(), observed.endDate())) out.add("endDate");
    if (!Objects.equals(desired.state(), observed.state())) out.add("state");
    if (observed.flexibleTimeWindow() == null
        || observed.flexibleTimeWindow().mode() != FlexibleTimeWindowMode.OFF) {
      out.add("flexibleTimeWindow");
    }
    Target want = desired.target();
    Target have = observed.target();
    if (have == null) {
      out.add("target");
      return out;
    }
    if (!Objects.equals(want.arn(), have.arn())) out.add("target.arn");
    if (!Objects.equals(want.roleArn(), have.roleArn())) out.add("target.roleArn");
    if (!Objects.equals(want.input(), have.input()) && !sameJson(want.input(), have.input())) {
      out.add("target.input");
    }
    if (!Objects.equals(want.retryPolicy(), have.retryPolicy())) out.add("target.retryPolicy");
    EcsParameters w = want.ecsParameters();
    EcsParameters h = have.ecsParameters();
    if (h == null) {
      out.add("target.ecsParameters");
    } else {
      for (var field : w.sdkFields()) {
        Object a = field.getValueOrDefault(w);
        Object b = field.getValueOrDefault(h);
        if (!Objects.equals(a, b) && !(empty(a) && empty(b))) {
          out.add("target.ecsParameters." + field.memberName());
        }
      }
    }
    return out;
  }

  private static boolean empty(Object o) {
    return o == null
        || (o instanceof java.util.Collection<?> c
            && (c.isEmpty()
                || c instanceof software.amazon.awssdk.core.util.SdkAutoConstructList<?>));
  }

  private static boolean sameJson(String a, String b) {
    if (a == null || b == null) return false;
    try {
      JsonNode x = MAPPER.readTree(a);
      JsonNode y = MAPPER.readTree(b);
      return x.equals(y);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean sameInstant(Instant a, Instant b) {
    if (a == null || b == null) return a == b;
    return a.getEpochSecond() == b.getEpochSecond();
  }

  private static boolean sameStart(
      Instant desired, Instant observed, ScheduledTaskSpec spec, Instant created) {
    if (sameInstant(desired, observed)) return true;
    Optional<Instant> specStart = origin(spec, created);
    if (specStart.isEmpty() || observed == null) return false;
    // the spec's start was moved up when it was sent: equal if the sent one is still the spec's
    // start moved up by whole intervals (a rate) or at all (cron, at)
    if (observed.isBefore(specStart.get())) return false;
    Optional<Duration> every = rate(spec);
    if (every.isEmpty()) return desired == null;
    long offset = Duration.between(specStart.get(), observed).getSeconds();
    return offset % every.get().getSeconds() == 0;
  }
}
