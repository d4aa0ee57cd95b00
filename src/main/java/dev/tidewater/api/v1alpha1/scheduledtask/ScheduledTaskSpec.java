package dev.tidewater.api.v1alpha1.scheduledtask;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import dev.tidewater.api.v1alpha1.task.TaskTemplate;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A task run on a schedule, in EventBridge Scheduler's terms: the expression, its time zone, the
 * window it is active in, a paused flag, and what to run. The CEL rules repeat the cheap part of
 * AWS's expression rules; {@link dev.tidewater.model.EventBridgeScheduleParser} checks all of them
 * (field ranges, names, specials).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!self.scheduleExpression.startsWith('rate(') || self.scheduleExpression.matches('^rate\\\\(0*(1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))\\\\)$')",
    message =
        "rate(value unit): a positive whole number, and minute/hour/day for 1, minutes/hours/days above",
    fieldPath = ".scheduleExpression")
@ValidationRule(
    value =
        "!self.scheduleExpression.startsWith('cron(') || self.scheduleExpression.matches('^cron\\\\( *\\\\S+ +\\\\S+ +\\\\? +\\\\S+ +[^?\\\\s]\\\\S* +\\\\S+ *\\\\)$') || self.scheduleExpression.matches('^cron\\\\( *\\\\S+ +\\\\S+ +[^?\\\\s]\\\\S* +\\\\S+ +\\\\? +\\\\S+ *\\\\)$')",
    message =
        "cron has six fields (minutes hours day-of-month month day-of-week year), and exactly one of day-of-month and day-of-week is ?",
    fieldPath = ".scheduleExpression")
@ValidationRule(
    value =
        "!has(self.startDate) || !has(self.endDate) || timestamp(self.startDate) < timestamp(self.endDate)",
    message = "startDate must be before endDate",
    fieldPath = ".endDate")
public class ScheduledTaskSpec {

  @JsonPropertyDescription(
      "The Cluster this belongs to; default: the Cluster named \"default\" in the namespace.")
  public ObjectRef clusterRef;

  @JsonPropertyDescription(
      "cron(minutes hours day-of-month month day-of-week year), rate(value unit) or"
          + " at(yyyy-mm-ddThh:mm:ss), as EventBridge Scheduler reads them (docs/scheduled-tasks.md"
          + " says how each runs on the kubernetes backend).")
  @Required
  @Size(min = 1, max = 256)
  @Pattern("^(cron|rate|at)\\(.*\\)$")
  public String scheduleExpression;

  @JsonPropertyDescription("The IANA time zone cron and at are read in (default UTC).")
  @Size(min = 1, max = 50)
  public String scheduleExpressionTimezone;

  @JsonPropertyDescription(
      "No run before this instant (RFC 3339); a rate counts its intervals from it.")
  @Pattern(
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
  @Size(max = 40)
  public String startDate;

  @JsonPropertyDescription("No run from this instant on (RFC 3339).")
  @Pattern(
      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
  @Size(max = 40)
  public String endDate;

  @JsonPropertyDescription(
      "Start no runs while true (EventBridge State DISABLED; a suspended CronJob).")
  public Boolean paused;

  @JsonPropertyDescription("What each run starts: the RunTask parameters, as in a Task.")
  @Required
  public TaskTemplate task;

  @JsonPropertyDescription(
      "ecs backend: the role EventBridge Scheduler assumes to call RunTask; absent, Tidewater"
          + " manages one under the Cluster's guardrails (role path, permissions boundary). A"
          + " given role is checked as other role ARNs are (the namespace's tenancy ceiling), and"
          + " the operator's IAM policy must allow passing it (docs/scheduled-tasks.md).")
  @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
  @Size(max = 2048)
  public String schedulerRoleArn;

  @JsonPropertyDescription(
      "Finished runs kept in status and as Jobs when they succeeded (default 3).")
  @Min(0)
  @Max(100)
  public Integer successfulRunsHistoryLimit;

  @JsonPropertyDescription("Finished runs kept in status and as Jobs when they failed (default 1).")
  @Min(0)
  @Max(100)
  public Integer failedRunsHistoryLimit;

  @JsonPropertyDescription(
      "ecs backend: Delete or Retain the EventBridge schedule when this resource is deleted"
          + " (default Delete). Runs in progress are never stopped by deleting the schedule.")
  @SchemaEnum({"Delete", "Retain"})
  public String deletionPolicy;
}
