package dev.tidewater.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.task.TaskOverride;
import dev.tidewater.api.v1alpha1.task.TaskTemplate;
import dev.tidewater.cli.EcsJsonImport.ImportedResource;
import dev.tidewater.cli.EcsJsonImport.Outcome;
import dev.tidewater.model.Problem;
import dev.tidewater.model.ScheduledTaskValidator;
import dev.tidewater.model.TaskValidator;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns scheduled ECS tasks into {@code ScheduledTask}s: an EventBridge Scheduler schedule (the
 * CreateSchedule request shape, or {@code aws scheduler get-schedule} output) whose target is an
 * ECS cluster, and an EventBridge rule with ECS targets, given as {@code {"Rule": <aws events
 * describe-rule output or the PutRule request>, "Targets": <the Targets of aws events
 * list-targets-by-rule, or of the PutTargets request>}} (one ScheduledTask per ECS target).
 *
 * <p>The target's {@code EcsParameters} become {@code spec.task} (the RunTask fields of a Task),
 * its {@code Input} the task's {@code overrides} (EventBridge hands it to RunTask as overrides),
 * the schedule's expression, time zone, dates and state the schedule of the ScheduledTask,
 * Scheduler's target role its {@code schedulerRoleArn}. Problems carry the input's own JSON paths
 * ({@code Target.EcsParameters.NetworkConfiguration.awsvpcConfiguration.Subnets[0]}; inside {@code
 * Input}, the path goes on into its JSON text). As for RunTask input, what only tracks or delivers
 * the schedule is dropped with a comment above the resource; what would change the task if dropped
 * is refused; a rule with an event pattern is refused ({@value #EVENT_PATTERN_NOT_SUPPORTED}):
 * Tidewater has no event-triggered tasks.
 */
final class EcsScheduleImport {

  /** A rule triggered by events rather than a schedule. */
  static final String EVENT_PATTERN_NOT_SUPPORTED = "EventPatternNotSupported";

  /** A target that is not an ECS cluster, where one is needed. */
  static final String NOT_AN_ECS_TARGET = "NotAnEcsTarget";

  /** Which API the JSON comes from: the member names are the same, tags and messages differ. */
  private enum Dialect {
    SCHEDULER("EventBridge Scheduler"),
    EVENTS("EventBridge");

    final String title;

    Dialect(String title) {
      this.title = title;
    }
  }

  private static final Set<String> SCHEDULE_FIELDS =
      Set.of(
          "Name",
          "GroupName",
          "ScheduleExpression",
          "ScheduleExpressionTimezone",
          "StartDate",
          "EndDate",
          "Description",
          "State",
          "KmsKeyArn",
          "Target",
          "FlexibleTimeWindow",
          "ClientToken",
          "ActionAfterCompletion",
          // get-schedule output only
          "Arn",
          "CreationDate",
          "LastModificationDate");

  private static final Set<String> SCHEDULER_TARGET_FIELDS =
      Set.of(
          "Arn",
          "RoleArn",
          "DeadLetterConfig",
          "RetryPolicy",
          "Input",
          "EcsParameters",
          "EventBridgeParameters",
          "EventBridgePutEventsV2Parameters",
          "EventBridgePutRawEventsParameters",
          "KinesisParameters",
          "SageMakerPipelineParameters",
          "SqsParameters");

  private static final Set<String> RULE_INPUT_FIELDS = Set.of("Rule", "Targets", "NextToken");

  private static final Set<String> RULE_FIELDS =
      Set.of(
          "Name",
          "Arn",
          "EventPattern",
          "ScheduleExpression",
          "State",
          "Description",
          "RoleArn",
          "ManagedBy",
          "EventBusName",
          "CreatedBy",
          "Tags");

  private static final Set<String> RULE_TARGET_FIELDS =
      Set.of(
          "Id",
          "Arn",
          "RoleArn",
          "Input",
          "InputPath",
          "InputTransformer",
          "KinesisParameters",
          "RunCommandParameters",
          "EcsParameters",
          "BatchParameters",
          "SqsParameters",
          "HttpParameters",
          "RedshiftDataParameters",
          "SageMakerPipelineParameters",
          "DeadLetterConfig",
          "RetryPolicy",
          "AppSyncParameters");

  /** EcsParameters members (both APIs) and the TaskTemplate field each becomes. */
  private static final Map<String, String> ECS_PARAMETERS = ecsParameters();

  private static final Map<String, String> AWS_VPC =
      Map.of(
          "Subnets",
          "subnets",
          "SecurityGroups",
          "securityGroups",
          "AssignPublicIp",
          "assignPublicIp");

  private static final Pattern ECS_CLUSTER_ARN =
      Pattern.compile("arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:cluster/([A-Za-z0-9_-]{1,255})");

  // The spec's own form (ScheduledTaskSpec.startDate's pattern).
  private static final Pattern RFC3339 =
      Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})");

  /** The role paths the operator may pass to EventBridge Scheduler (deploy/iam-policy.json). */
  private static final List<String> PASSABLE_ROLE_PATHS = List.of("/tidewater/", "/ecs-scheduler/");

  private static final ShapeCheck.Settings SETTINGS =
      new ShapeCheck.Settings(
          true,
          true,
          Map.of(
              TaskTemplate.class,
              Set.of("taskDefinitionRef", "startedBy"),
              TaskOverride.class,
              Set.of("taskRoleRef")),
          Map.of());

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private EcsScheduleImport() {}

  private static Map<String, String> ecsParameters() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("TaskCount", "count");
    m.put("LaunchType", "launchType");
    m.put("CapacityProviderStrategy", "capacityProviderStrategy");
    m.put("PlatformVersion", "platformVersion");
    m.put("NetworkConfiguration", "networkConfiguration");
    m.put("PlacementConstraints", "placementConstraints");
    m.put("PlacementStrategy", "placementStrategy");
    m.put("Group", "group");
    m.put("PropagateTags", "propagateTags");
    m.put("EnableECSManagedTags", "enableECSManagedTags");
    m.put("EnableExecuteCommand", "enableExecuteCommand");
    m.put("Tags", "tags");
    return Map.copyOf(m);
  }

  /** Whether {@code root} is an EventBridge Scheduler schedule (CreateSchedule / get-schedule). */
  static boolean isSchedule(ObjectNode root) {
    return root.has("ScheduleExpression") && root.has("Target");
  }

  /** Whether {@code root} is the documented rule input: {@code {"Rule": ..., "Targets": ...}}. */
  static boolean isRule(ObjectNode root) {
    return root.has("Rule") || root.has("Targets");
  }

  /** Whether {@code root} is a rule alone (describe-rule output), without its targets. */
  static boolean isRuleWithoutTargets(ObjectNode root) {
    return root.has("EventPattern") || root.has("ScheduleExpression");
  }

  /** The ScheduledTask of one EventBridge Scheduler schedule. */
  static Outcome importSchedule(ObjectNode input, String fileName) {
    List<Problem> problems = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    unknown(input, "", SCHEDULE_FIELDS, "an EventBridge Scheduler CreateSchedule", problems);
    ScheduledTaskSpec spec = new ScheduledTaskSpec();
    String name = string(input, "Name", "Name", problems);
    spec.scheduleExpression = string(input, "ScheduleExpression", "ScheduleExpression", problems);
    if (spec.scheduleExpression == null && !has(problems, "ScheduleExpression")) {
      problems.add(required("ScheduleExpression", "CreateSchedule"));
    }
    spec.scheduleExpressionTimezone =
        string(input, "ScheduleExpressionTimezone", "ScheduleExpressionTimezone", problems);
    spec.startDate = timestamp(input, "StartDate", problems);
    spec.endDate = timestamp(input, "EndDate", problems);
    String state = string(input, "State", "State", problems);
    if (state != null) {
      if (state.equals("DISABLED")) {
        spec.paused = true;
      } else if (!state.equals("ENABLED")) {
        problems.add(invalidEnum("State", state, "ENABLED, DISABLED"));
      }
    }
    String group = string(input, "GroupName", "GroupName", problems);
    if (group != null && !group.equals("default")) {
      comments.add(
          "GroupName \""
              + group
              + "\" is not kept: Tidewater keeps its schedules in the group"
              + " tidewater");
    }
    describe(input, comments);
    String kms = string(input, "KmsKeyArn", "KmsKeyArn", problems);
    if (kms != null) {
      comments.add(
          "KmsKeyArn \"" + kms + "\" is not kept: Tidewater's schedules use an AWS owned key");
    }
    String after = string(input, "ActionAfterCompletion", "ActionAfterCompletion", problems);
    if ("DELETE".equals(after)) {
      comments.add(
          "ActionAfterCompletion DELETE is not kept: the schedule stays (its state becomes"
              + " Completed) until the ScheduledTask is deleted");
    } else if (after != null && !after.equals("NONE")) {
      problems.add(invalidEnum("ActionAfterCompletion", after, "NONE, DELETE"));
    }
    string(input, "ClientToken", "ClientToken", problems);
    flexibleTimeWindow(input.get("FlexibleTimeWindow"), problems, comments);
    JsonNode target = input.get("Target");
    if (target == null || target.isNull()) {
      problems.add(required("Target", "CreateSchedule"));
    } else if (!target.isObject()) {
      problems.add(wrongType("Target", "an object (Target)", target));
    } else {
      spec.task = schedulerTarget((ObjectNode) target, spec, problems, comments);
    }
    if (!problems.isEmpty()) {
      return EcsJsonImport.failed(problems);
    }
    problems.addAll(scheduleProblems(spec, ""));
    if (!problems.isEmpty()) {
      return EcsJsonImport.failed(problems);
    }
    ScheduledTask resource = resource(name, fileName, spec);
    return new Outcome(List.of(new ImportedResource(resource, List.copyOf(comments))), List.of());
  }

  /** The ScheduledTasks of one EventBridge rule and its targets, one per ECS target. */
  static Outcome importRule(ObjectNode input, String fileName) {
    List<Problem> problems = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    unknown(
        input,
        "",
        RULE_INPUT_FIELDS,
        "the rule input ({\"Rule\": describe-rule output, \"Targets\": list-targets-by-rule"
            + " Targets}) or an EventBridge PutTargets",
        problems);
    if (input.hasNonNull("NextToken")) {
      comments.add(
          "the input has a NextToken: the rule has more targets than these; list them all");
    }
    ScheduledTaskSpec schedule = new ScheduledTaskSpec();
    String ruleName = null;
    JsonNode rule = input.get("Rule");
    if (rule == null || rule.isNull()) {
      problems.add(
          new Problem(
              "Rule",
              "Required",
              "missing: give the rule (aws events describe-rule output) as \"Rule\" beside its"
                  + " \"Targets\""));
    } else if (rule.isTextual()) {
      problems.add(
          new Problem(
              "Rule",
              "WrongType",
              "the rule's name alone has no schedule: give the rule itself (aws events"
                  + " describe-rule output) as \"Rule\""));
    } else if (!rule.isObject()) {
      problems.add(wrongType("Rule", "an object (the rule)", rule));
    } else {
      ObjectNode r = (ObjectNode) rule;
      unknown(r, "Rule", RULE_FIELDS, "an EventBridge rule (PutRule / describe-rule)", problems);
      ruleName = string(r, "Name", "Rule.Name", problems);
      if (r.hasNonNull("EventPattern")) {
        problems.add(
            new Problem(
                "Rule.EventPattern",
                EVENT_PATTERN_NOT_SUPPORTED,
                "the rule runs its targets on events, not on a schedule: Tidewater has no"
                    + " event-triggered tasks (a ScheduledTask needs a ScheduleExpression)"));
      } else {
        schedule.scheduleExpression =
            string(r, "ScheduleExpression", "Rule.ScheduleExpression", problems);
        if (schedule.scheduleExpression == null && !has(problems, "Rule.ScheduleExpression")) {
          problems.add(
              new Problem(
                  "Rule.ScheduleExpression",
                  "Required",
                  "missing: a rule needs a ScheduleExpression to become a ScheduledTask"));
        }
      }
      String state = string(r, "State", "Rule.State", problems);
      if ("DISABLED".equals(state)) {
        schedule.paused = true;
      } else if (state != null
          && !state.equals("ENABLED")
          && !state.equals("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")) {
        problems.add(
            invalidEnum(
                "Rule.State",
                state,
                "ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"));
      }
      describe(r, comments);
      String ruleRole = string(r, "RoleArn", "Rule.RoleArn", problems);
      if (ruleRole != null) {
        comments.add(
            "Rule.RoleArn \""
                + ruleRole
                + "\" (the rule's own role) is not kept: a schedule needs"
                + " none");
      }
      if (r.hasNonNull("Tags")) {
        comments.add("Rule.Tags are not kept: a ScheduledTask's schedule takes no tags");
      }
    }
    List<ScheduledTaskSpec> specs = new ArrayList<>();
    List<String> targetIds = new ArrayList<>();
    List<List<String>> targetComments = new ArrayList<>();
    JsonNode targets = input.get("Targets");
    if (targets == null || targets.isNull()) {
      problems.add(
          new Problem(
              "Targets",
              "Required",
              "missing: give the rule's targets (aws events list-targets-by-rule) as \"Targets\""));
    } else if (!targets.isArray()) {
      problems.add(wrongType("Targets", "a list (of targets)", targets));
    } else {
      for (int i = 0; i < targets.size(); i++) {
        String path = "Targets[" + i + "]";
        JsonNode t = targets.get(i);
        if (!t.isObject()) {
          problems.add(wrongType(path, "an object (Target)", t));
          continue;
        }
        List<String> own = new ArrayList<>();
        TaskTemplate task = ruleTarget((ObjectNode) t, path, problems, own);
        if (task != null) {
          ScheduledTaskSpec s = new ScheduledTaskSpec();
          s.task = task;
          specs.add(s);
          JsonNode id = t.get("Id");
          targetIds.add(id != null && id.isTextual() ? id.textValue() : String.valueOf(i));
          targetComments.add(own);
        } else {
          comments.addAll(own);
        }
      }
      if (specs.isEmpty() && problems.stream().noneMatch(p -> p.path().startsWith("Targets"))) {
        problems.add(
            new Problem(
                "Targets",
                NOT_AN_ECS_TARGET,
                "none of the rule's targets runs an ECS task (an ECS cluster ARN with"
                    + " EcsParameters)"));
      }
    }
    if (!problems.isEmpty()) {
      return EcsJsonImport.failed(problems);
    }
    problems.addAll(scheduleProblems(schedule, "Rule."));
    if (!problems.isEmpty()) {
      return EcsJsonImport.failed(problems);
    }
    List<ImportedResource> resources = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      ScheduledTaskSpec s = specs.get(i);
      s.scheduleExpression = schedule.scheduleExpression;
      s.paused = schedule.paused;
      String name = specs.size() == 1 ? ruleName : ruleName + "-" + targetIds.get(i);
      List<String> all = new ArrayList<>(comments);
      all.addAll(targetComments.get(i));
      resources.add(new ImportedResource(resource(name, fileName, s), List.copyOf(all)));
    }
    return new Outcome(List.copyOf(resources), List.of());
  }

  /** The task of a Scheduler target; sets schedulerRoleArn. */
  private static TaskTemplate schedulerTarget(
      ObjectNode target, ScheduledTaskSpec spec, List<Problem> problems, List<String> comments) {
    unknown(target, "Target", SCHEDULER_TARGET_FIELDS, "an EventBridge Scheduler Target", problems);
    String arn = string(target, "Arn", "Target.Arn", problems);
    String role = string(target, "RoleArn", "Target.RoleArn", problems);
    if (arn == null && !has(problems, "Target.Arn")) {
      problems.add(required("Target.Arn", "a Scheduler Target"));
    }
    if (role == null && !has(problems, "Target.RoleArn")) {
      problems.add(required("Target.RoleArn", "a Scheduler Target"));
    } else if (role != null) {
      Optional<String> wrong = roleProblem(role);
      if (wrong.isPresent()) {
        problems.add(new Problem("Target.RoleArn", "InvalidValue", wrong.get()));
      } else {
        spec.schedulerRoleArn = role;
        if (PASSABLE_ROLE_PATHS.stream().noneMatch(p -> role.contains(":role" + p))) {
          comments.add(
              "spec.schedulerRoleArn: the operator's IAM policy passes to EventBridge Scheduler"
                  + " only roles under "
                  + String.join(" or ", PASSABLE_ROLE_PATHS)
                  + "; use such a role, or remove schedulerRoleArn for a role Tidewater manages");
        }
      }
    }
    otherParameters(target, "Target", problems);
    deliveryComments(target, "Target", comments);
    if (arn != null && !ecsCluster(arn, "Target.Arn", problems, comments)) {
      return null;
    }
    JsonNode ecs = target.get("EcsParameters");
    if (ecs == null || ecs.isNull()) {
      problems.add(
          new Problem(
              "Target.EcsParameters",
              "Required",
              "missing: an ECS cluster target needs EcsParameters (the task definition to run)"));
      return null;
    }
    return task(
        ecs,
        "Target.EcsParameters",
        target.get("Input"),
        "Target.Input",
        Dialect.SCHEDULER,
        problems,
        comments);
  }

  /** The task of one rule target, or null when it is not an ECS target (with a comment). */
  private static TaskTemplate ruleTarget(
      ObjectNode target, String path, List<Problem> problems, List<String> comments) {
    unknown(target, path, RULE_TARGET_FIELDS, "an EventBridge Target", problems);
    String arn = string(target, "Arn", path + ".Arn", problems);
    if (arn == null) {
      if (!has(problems, path + ".Arn")) problems.add(required(path + ".Arn", "a Target"));
      return null;
    }
    boolean ecsTarget = target.hasNonNull("EcsParameters") || arn.contains(":ecs:");
    if (!ecsTarget) {
      JsonNode id = target.get("Id");
      comments.add(
          path
              + " ("
              + (id != null && id.isTextual() ? "Id " + id.textValue() + ", " : "")
              + arn
              + ") is not an ECS task: not imported");
      return null;
    }
    for (String transform : List.of("InputPath", "InputTransformer")) {
      if (target.hasNonNull(transform)) {
        problems.add(
            new Problem(
                path + "." + transform,
                EcsRunTaskImport.NOT_SUPPORTED,
                "a ScheduledTask's overrides are constant: give them as Input (the JSON the"
                    + " transformer makes for a scheduled event) instead of "
                    + transform));
      }
    }
    String role = string(target, "RoleArn", path + ".RoleArn", problems);
    if (role != null) {
      comments.add(
          path
              + ".RoleArn \""
              + role
              + "\" is not kept: it trusts events.amazonaws.com, and EventBridge Scheduler"
              + " assumes roles that trust scheduler.amazonaws.com; Tidewater manages one (or set"
              + " spec.schedulerRoleArn)");
    }
    otherParameters(target, path, problems);
    deliveryComments(target, path, comments);
    if (!ecsCluster(arn, path + ".Arn", problems, comments)) {
      return null;
    }
    JsonNode ecs = target.get("EcsParameters");
    if (ecs == null || ecs.isNull()) {
      problems.add(
          new Problem(
              path + ".EcsParameters",
              "Required",
              "missing: an ECS cluster target needs EcsParameters (the task definition to run)"));
      return null;
    }
    return task(
        ecs,
        path + ".EcsParameters",
        target.get("Input"),
        path + ".Input",
        Dialect.EVENTS,
        problems,
        comments);
  }

  /** Whether {@code arn} names an ECS cluster; a problem when not, a comment when it does. */
  private static boolean ecsCluster(
      String arn, String path, List<Problem> problems, List<String> comments) {
    Optional<String> wrong = EcsValueRules.arnProblem(arn);
    if (wrong.isPresent()) {
      problems.add(new Problem(path, "InvalidValue", wrong.get()));
      return false;
    }
    Matcher m = ECS_CLUSTER_ARN.matcher(arn);
    if (!m.matches()) {
      problems.add(
          new Problem(
              path,
              NOT_AN_ECS_TARGET,
              "\""
                  + arn
                  + "\" is not an ECS cluster ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME):"
                  + " Tidewater imports schedules that run ECS tasks"));
      return false;
    }
    comments.add("ECS cluster \"" + m.group(1) + "\" is set by the Cluster resource");
    return true;
  }

  /** Parameters of other target kinds beside EcsParameters: the target cannot be both. */
  private static void otherParameters(ObjectNode target, String path, List<Problem> problems) {
    for (Iterator<String> it = target.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (name.endsWith("Parameters") && !name.equals("EcsParameters") && target.hasNonNull(name)) {
        problems.add(
            new Problem(
                path + "." + name,
                NOT_AN_ECS_TARGET,
                "only EcsParameters applies to an ECS cluster target"));
      }
    }
  }

  /** Retry policy and dead-letter queue: how a run is delivered, not what it runs. */
  private static void deliveryComments(ObjectNode target, String path, List<String> comments) {
    if (target.hasNonNull("RetryPolicy")) {
      comments.add(
          path
              + ".RetryPolicy is not kept: Tidewater's schedules retry as EventBridge Scheduler's"
              + " defaults (185 attempts within 24 hours)");
    }
    if (target.hasNonNull("DeadLetterConfig")) {
      comments.add(path + ".DeadLetterConfig is not kept: runs that cannot start are not queued");
    }
  }

  private static void flexibleTimeWindow(
      JsonNode window, List<Problem> problems, List<String> comments) {
    if (window == null || window.isNull()) {
      problems.add(required("FlexibleTimeWindow", "CreateSchedule"));
      return;
    }
    if (!window.isObject()) {
      problems.add(wrongType("FlexibleTimeWindow", "an object (FlexibleTimeWindow)", window));
      return;
    }
    ObjectNode w = (ObjectNode) window;
    unknown(
        w,
        "FlexibleTimeWindow",
        Set.of("Mode", "MaximumWindowInMinutes"),
        "an EventBridge Scheduler FlexibleTimeWindow",
        problems);
    String mode = string(w, "Mode", "FlexibleTimeWindow.Mode", problems);
    if (mode == null) {
      if (!has(problems, "FlexibleTimeWindow.Mode")) {
        problems.add(required("FlexibleTimeWindow.Mode", "FlexibleTimeWindow"));
      }
    } else if (mode.equals("FLEXIBLE")) {
      JsonNode minutes = w.get("MaximumWindowInMinutes");
      if (minutes == null || !minutes.isIntegralNumber()) {
        problems.add(
            new Problem(
                "FlexibleTimeWindow.MaximumWindowInMinutes",
                "Required",
                "missing: Mode FLEXIBLE needs a whole number of minutes (1-1440)"));
      } else {
        comments.add(
            "FlexibleTimeWindow FLEXIBLE ("
                + minutes.asText()
                + " minutes) is not kept: each run starts at its scheduled time");
      }
    } else if (!mode.equals("OFF")) {
      problems.add(invalidEnum("FlexibleTimeWindow.Mode", mode, "OFF, FLEXIBLE"));
    }
  }

  /**
   * A TaskTemplate from {@code EcsParameters} at {@code ecsPath} and the overrides in {@code input}
   * (a JSON string) at {@code inputPath}; null, with problems at the input's paths, when it is not
   * one.
   */
  private static TaskTemplate task(
      JsonNode ecs,
      String ecsPath,
      JsonNode input,
      String inputPath,
      Dialect dialect,
      List<Problem> out,
      List<String> comments) {
    List<Problem> problems = new ArrayList<>();
    PathMap paths = new PathMap(ecsPath);
    if (!ecs.isObject()) {
      out.add(wrongType(ecsPath, "an object (EcsParameters)", ecs));
      return null;
    }
    ObjectNode tree = NODES.objectNode();
    String taskDefinitionArn = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = ecs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      JsonNode value = e.getValue();
      String path = ShapeCheck.join(ecsPath, name);
      if (value.isNull()) continue;
      if (name.equals("TaskDefinitionArn")) {
        if (value.isTextual()) {
          taskDefinitionArn = value.textValue();
        } else {
          problems.add(wrongType(path, "a string", value));
        }
        continue;
      }
      if (name.equals("ReferenceId")) {
        comments.add(path + " " + value + " is not kept: a run is known by its tasks' tags");
        continue;
      }
      String field = ECS_PARAMETERS.get(name);
      if (field == null) {
        problems.add(
            new Problem(
                path,
                "UnknownField",
                "\"" + name + "\" is not an " + dialect.title + " EcsParameters field"));
        continue;
      }
      paths.put(field, path);
      if (name.equals("NetworkConfiguration")) {
        value = network(value, path, dialect, paths, problems);
      } else if (name.equals("Tags")) {
        value = tags(value, path, dialect, paths, problems);
      } else if (name.equals("LaunchType") && "MANAGED_INSTANCES".equals(value.asText())) {
        problems.add(invalidEnum(path, value.asText(), "EC2, FARGATE, EXTERNAL"));
      } else if (name.equals("PropagateTags") && "NONE".equals(value.asText())) {
        problems.add(invalidEnum(path, value.asText(), "TASK_DEFINITION"));
      }
      tree.set(field, value);
    }
    TaskDefinitionRef ref = null;
    String arnPath = ShapeCheck.join(ecsPath, "TaskDefinitionArn");
    if (taskDefinitionArn != null) {
      ref = EcsJsonImport.taskDefinitionRef(taskDefinitionArn, arnPath, problems);
    } else if (!has(problems, arnPath)) {
      problems.add(required(arnPath, "EcsParameters"));
    }
    if (input != null && !input.isNull()) {
      paths.put("overrides", inputPath);
      if (!input.isTextual()) {
        problems.add(wrongType(inputPath, "a string (JSON text)", input));
      } else {
        try {
          JsonNode parsed = MAPPER.readTree(input.textValue());
          if (parsed instanceof ObjectNode o) {
            tree.set("overrides", EcsRunTaskImport.overrides(o, inputPath, problems));
          } else {
            problems.add(
                new Problem(
                    inputPath,
                    "WrongType",
                    "expected the RunTask overrides as a JSON object ({\"containerOverrides\":"
                        + " [...]}), got "
                        + (parsed == null ? "nothing" : ShapeCheck.describe(parsed))));
          }
        } catch (JsonProcessingException e) {
          Problem p = EcsJsonImport.parseProblem(e);
          problems.add(
              new Problem(
                  inputPath, "InvalidJson", "the overrides (" + p.path() + "): " + p.message()));
        }
      }
    }
    ShapeCheck.Result result = ShapeCheck.check(tree, TaskTemplate.class, "", SETTINGS);
    for (Problem p : result.problems()) {
      problems.add(new Problem(paths.map(p.path()), p.reason(), p.message()));
    }
    if (!problems.isEmpty()) {
      out.addAll(problems);
      return null;
    }
    TaskTemplate task = EcsJsonImport.convert(result.normalised(), TaskTemplate.class);
    task.taskDefinitionRef = ref;
    for (Problem p : TaskValidator.validateTemplate(task)) {
      problems.add(new Problem(paths.map(p.path()), p.reason(), p.message()));
    }
    out.addAll(problems);
    return problems.isEmpty() ? task : null;
  }

  private static JsonNode network(
      JsonNode value, String path, Dialect dialect, PathMap paths, List<Problem> problems) {
    if (!value.isObject()) return value;
    ObjectNode out = NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = ShapeCheck.join(path, e.getKey());
      if (!e.getKey().equals("awsvpcConfiguration")) {
        problems.add(
            new Problem(
                p,
                "UnknownField",
                "\""
                    + e.getKey()
                    + "\" is not an "
                    + dialect.title
                    + " NetworkConfiguration field"));
        continue;
      }
      paths.put("networkConfiguration.awsvpcConfiguration", p);
      JsonNode vpc = e.getValue();
      if (!vpc.isObject()) {
        out.set("awsvpcConfiguration", vpc);
        continue;
      }
      ObjectNode renamed = NODES.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> v = vpc.fields(); v.hasNext(); ) {
        Map.Entry<String, JsonNode> m = v.next();
        String q = ShapeCheck.join(p, m.getKey());
        String field = AWS_VPC.get(m.getKey());
        if (field == null) {
          problems.add(
              new Problem(
                  q,
                  "UnknownField",
                  "\""
                      + m.getKey()
                      + "\" is not an "
                      + dialect.title
                      + " AwsVpcConfiguration field"));
          continue;
        }
        paths.put("networkConfiguration.awsvpcConfiguration." + field, q);
        renamed.set(field, m.getValue());
      }
      out.set("awsvpcConfiguration", renamed);
    }
    return out;
  }

  /**
   * Tags as a Task's ({@code [{key, value}]}): EventBridge writes {@code [{"Key", "Value"}]},
   * Scheduler a list of maps ({@code [{"team": "reports"}]}).
   */
  private static JsonNode tags(
      JsonNode value, String path, Dialect dialect, PathMap paths, List<Problem> problems) {
    if (!value.isArray()) return value;
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      String itemPath = path + "[" + i + "]";
      if (!item.isObject()) {
        paths.put("tags[" + out.size() + "]", itemPath);
        out.add(item);
        continue;
      }
      if (dialect == Dialect.EVENTS) {
        ObjectNode tag = NODES.objectNode();
        int index = out.size();
        paths.put("tags[" + index + "]", itemPath);
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String q = ShapeCheck.join(itemPath, e.getKey());
          if (e.getKey().equals("Key") || e.getKey().equals("Value")) {
            String field = e.getKey().equals("Key") ? "key" : "value";
            paths.put("tags[" + index + "]." + field, q);
            tag.set(field, e.getValue());
          } else {
            problems.add(
                new Problem(
                    q, "UnknownField", "\"" + e.getKey() + "\" is not an EventBridge Tag field"));
          }
        }
        out.add(tag);
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String q = ShapeCheck.join(itemPath, e.getKey());
          paths.put("tags[" + out.size() + "]", q);
          ObjectNode tag = NODES.objectNode();
          tag.put("key", e.getKey());
          tag.set("value", e.getValue());
          out.add(tag);
        }
      }
    }
    return out;
  }

  /**
   * AWS's rules on the schedule part (expression, time zone, dates; the backend is not known
   * offline, so not whether a CronJob can run it), at the input's paths under {@code prefix}.
   */
  private static List<Problem> scheduleProblems(ScheduledTaskSpec spec, String prefix) {
    Map<String, String> names =
        Map.of(
            "scheduleExpression", "ScheduleExpression",
            "scheduleExpressionTimezone", "ScheduleExpressionTimezone",
            "startDate", "StartDate",
            "endDate", "EndDate");
    List<Problem> problems = new ArrayList<>();
    if (!prefix.isEmpty()
        && spec.scheduleExpression != null
        && spec.scheduleExpression.startsWith("at(")) {
      problems.add(
          new Problem(
              prefix + "ScheduleExpression",
              "InvalidScheduleExpression",
              "an EventBridge rule takes cron() or rate(), not at() (EventBridge Scheduler does)"));
      return problems;
    }
    for (Problem p :
        ScheduledTaskValidator.validate(spec, ValidationContext.NONE, Optional.empty())) {
      String first = p.path().split("[.\\[]", 2)[0];
      String mapped = names.getOrDefault(first, first) + p.path().substring(first.length());
      problems.add(new Problem(prefix + mapped, p.reason(), p.message()));
    }
    return problems;
  }

  private static ScheduledTask resource(String name, String fileName, ScheduledTaskSpec spec) {
    ScheduledTask resource = new ScheduledTask();
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withName(ResourceNames.fromEcsName(name, ResourceNames.baseName(fileName)))
            .build());
    resource.setSpec(spec);
    return resource;
  }

  private static void describe(ObjectNode node, List<String> comments) {
    JsonNode description = node.get("Description");
    if (description != null && description.isTextual() && !description.textValue().isBlank()) {
      comments.add("Description: " + description.textValue());
    }
  }

  /** Why {@code arn} is not an IAM role ARN EventBridge Scheduler takes, if it is not. */
  private static Optional<String> roleProblem(String arn) {
    Optional<String> wrong = EcsValueRules.arnProblem(arn);
    if (wrong.isPresent()) return wrong;
    if (!arn.matches("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+")) {
      return Optional.of("\"" + arn + "\" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
    }
    return Optional.empty();
  }

  /** A timestamp member as RFC 3339: a string with an offset, or epoch seconds (a number). */
  private static String timestamp(ObjectNode node, String name, List<Problem> problems) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) return null;
    if (value.isNumber()) {
      long millis = Math.round(value.doubleValue() * 1000);
      return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis));
    }
    if (!value.isTextual()) {
      problems.add(wrongType(name, "a timestamp (RFC 3339 or epoch seconds)", value));
      return null;
    }
    String text = value.textValue();
    try {
      OffsetDateTime parsed = OffsetDateTime.parse(text);
      return RFC3339.matcher(text).matches()
          ? text
          : parsed.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      boolean local;
      try {
        LocalDateTime.parse(text);
        local = true;
      } catch (DateTimeParseException notLocal) {
        local = false;
      }
      problems.add(
          new Problem(
              name,
              "InvalidValue",
              "\""
                  + text
                  + (local
                      ? "\" has no UTC offset; add Z or +hh:mm (without one the AWS CLI reads the"
                          + " machine's local time)"
                      : "\" is not a timestamp; use RFC 3339, e.g. 2027-01-01T00:00:00Z")));
      return null;
    }
  }

  // A string member at path: null when absent, null with a problem when not a string.
  private static String string(ObjectNode node, String name, String path, List<Problem> problems) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) return null;
    if (!value.isTextual()) {
      problems.add(wrongType(path, "a string", value));
      return null;
    }
    Optional<String> placeholder = TemplatePlaceholders.find(value.textValue(), false);
    if (placeholder.isPresent()) {
      problems.add(
          new Problem(
              path,
              "TemplatePlaceholder",
              ShapeCheck.placeholderMessage(value.textValue(), placeholder.get())));
      return null;
    }
    return value.textValue();
  }

  private static void unknown(
      ObjectNode node, String path, Set<String> known, String what, List<Problem> problems) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        problems.add(
            new Problem(
                ShapeCheck.join(path, name),
                "UnknownField",
                "\"" + name + "\" is not a field of " + what));
      }
    }
  }

  private static boolean has(List<Problem> problems, String path) {
    return problems.stream().anyMatch(p -> p.path().equals(path));
  }

  private static Problem required(String path, String of) {
    String field = path.substring(path.lastIndexOf('.') + 1);
    return new Problem(path, "Required", "missing: " + of + " requires \"" + field + "\"");
  }

  private static Problem wrongType(String path, String expected, JsonNode value) {
    return new Problem(
        path, "WrongType", "expected " + expected + ", got " + ShapeCheck.describe(value));
  }

  private static Problem invalidEnum(String path, String value, String allowed) {
    return new Problem(path, "InvalidEnum", "\"" + value + "\" is not one of " + allowed);
  }

  /**
   * Paths of the TaskTemplate tree made from the input, back to the input's own: the longest
   * recorded prefix is replaced ({@code networkConfiguration.awsvpcConfiguration.subnets[0]} →
   * {@code Target.EcsParameters.NetworkConfiguration.awsvpcConfiguration.Subnets[0]}).
   */
  private static final class PathMap {
    private final String base;
    private final Map<String, String> prefixes = new HashMap<>();

    PathMap(String base) {
      this.base = base;
    }

    void put(String tidewater, String input) {
      prefixes.put(tidewater, input);
    }

    String map(String path) {
      String best = null;
      for (String k : prefixes.keySet()) {
        boolean prefix = path.equals(k) || path.startsWith(k + ".") || path.startsWith(k + "[");
        if (prefix && (best == null || k.length() > best.length())) best = k;
      }
      if (best == null) return path.isEmpty() ? base : base + "." + path;
      return prefixes.get(best) + path.substring(best.length());
    }
  }
}
