package dev.tidewater.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.cli.EcsJsonImport.ImportedResource;
import dev.tidewater.cli.EcsJsonImport.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Import of {@code aws ecs run-task} input, EventBridge Scheduler schedules and EventBridge rules
 * with ECS targets: the resources made from real-looking inputs ({@code
 * src/test/resources/cli/import-tasks}), the comments for what is dropped, and the refusals, each
 * at its JSON path in the input.
 */
class EcsTaskImportTest {

  private static final Path INPUTS = Path.of("src/test/resources/cli/import-tasks");
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper YAML = new YAMLMapper();

  private static ObjectNode input(String file) {
    try {
      return (ObjectNode) JSON.readTree(Files.readString(INPUTS.resolve(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Outcome importTree(JsonNode tree, String fileName) {
    return EcsJsonImport.importJson(tree.toString(), fileName, null);
  }

  private static Outcome importFile(String file) {
    return importTree(input(file), file);
  }

  /** The input with one change. */
  private static Outcome importChanged(String file, Consumer<ObjectNode> change) {
    ObjectNode tree = input(file);
    change.accept(tree);
    return importTree(tree, file);
  }

  private static List<String> lines(Outcome outcome) {
    return outcome.problems().stream()
        .map(p -> p.path() + ": " + p.reason() + ": " + p.message())
        .toList();
  }

  private static ImportedResource only(Outcome outcome) {
    assertThat(lines(outcome)).isEmpty();
    assertThat(outcome.resources()).hasSize(1);
    return outcome.resources().get(0);
  }

  private static JsonNode spec(ImportedResource r) {
    return ResourceYaml.tree(r.resource()).get("spec");
  }

  private static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void runTaskInputBecomesATaskOfTheFamilysTaskDefinition() {
    ImportedResource r = only(importFile("run-task-migrate.json"));

    assertThat(r.resource()).isInstanceOf(Task.class);
    assertThat(r.resource().getMetadata().getName()).isEqualTo("run-task-migrate");
    assertThat(spec(r))
        .isEqualTo(
            yaml(
                """
                taskDefinitionRef: {name: web-jobs, revision: 42}
                count: 1
                overrides:
                  containerOverrides:
                  - name: app
                    command: [python, manage.py, migrate, --noinput]
                    environment:
                    - {name: DJANGO_SETTINGS_MODULE, value: app.settings.production}
                launchType: FARGATE
                platformVersion: LATEST
                networkConfiguration:
                  awsvpcConfiguration:
                    subnets: [subnet-0a1b2c3d4e5f60718, subnet-0f1e2d3c4b5a69788]
                    securityGroups: [sg-0123456789abcdef0]
                    assignPublicIp: DISABLED
                startedBy: deploy-pipeline
                group: family:web-jobs
                tags: [{key: release, value: "2027.03.01"}]
                enableECSManagedTags: true
                propagateTags: TASK_DEFINITION
                """));
    assertThat(r.comments())
        .containsExactly(
            "cluster \"production\" is set by the Cluster resource",
            "referenceId \"release-2027-03-01\" is not kept: a Task is known by its name and uid",
            "metadata.name \"run-task-migrate\" is made from the input's name: a Task runs once,"
                + " so name each run anew");
  }

  @Test
  void runTaskFromStdinIsNamedAfterTheFamily() {
    ImportedResource r = only(importTree(input("run-task-migrate.json"), "-"));

    assertThat(r.resource().getMetadata().getName()).isEqualTo("web-jobs-run");
  }

  @Test
  void whatARunTaskCannotRunAsAskedIsRefusedAtItsPath() {
    Outcome outcome =
        importChanged(
            "run-task-migrate.json",
            in -> {
              ObjectNode overrides = (ObjectNode) in.get("overrides");
              overrides.put("taskRoleArn", "arn:aws:iam::123456789012:role/migrations");
              overrides.put("executionRoleArn", "arn:aws:iam::123456789012:role/exec");
              ((ObjectNode) overrides.get("containerOverrides").get(0))
                  .putArray("environmentFiles")
                  .addObject()
                  .put("type", "s3")
                  .put("value", "arn:aws:s3:::config/app.env");
              in.putArray("volumeConfigurations").addObject().put("name", "scratch");
              in.put("count", 11);
            });

    assertThat(outcome.resources()).isEmpty();
    assertThat(lines(outcome))
        .containsExactlyInAnyOrder(
            "volumeConfigurations: NotSupported: Tidewater cannot configure volumes at launch"
                + " (EBS); the task would start without them. Give the TaskDefinition the volume"
                + " instead",
            "overrides.taskRoleArn: NotSupported: a per-run task role is not supported: the task"
                + " would run with the task definition's roles instead. Give the TaskDefinition (a"
                + " family of its own) that role",
            "overrides.executionRoleArn: NotSupported: a per-run execution role is not supported:"
                + " the task would run with the task definition's roles instead. Give the"
                + " TaskDefinition (a family of its own) that role",
            "overrides.containerOverrides[0].environmentFiles: NotSupported: environment files are"
                + " not supported in overrides: the container would start without their"
                + " variables. Put the variables in environment instead",
            "count: OutOfRange: 11 is more than the maximum 10");
  }

  @Test
  void runTaskFieldsEcsWouldRefuseAreReportedWithTheirPaths() {
    Outcome outcome =
        importChanged(
            "run-task-migrate.json",
            in -> {
              in.put("taskDefinition", "web-jobs:latest");
              in.put("launchType", "SPOT");
              ((ObjectNode) in.get("overrides").get("containerOverrides").get(0))
                  .put("cmd", "migrate");
              in.put("startedBy", "deploy pipeline");
            });

    assertThat(lines(outcome))
        .containsExactly(
            "taskDefinition: InvalidValue: revision \"latest\" of \"web-jobs:latest\" is not a"
                + " positive whole number",
            "launchType: InvalidEnum: \"SPOT\" is not one of EC2, FARGATE, EXTERNAL,"
                + " MANAGED_INSTANCES",
            "overrides.containerOverrides[0].cmd: UnknownField: \"cmd\" is not an ECS"
                + " ContainerOverride field");
  }

  @Test
  void aServiceDefinitionIsStillAServiceAndABareTaskDefinitionReferenceToo() {
    // a service name makes it a service definition, where count is no field
    assertThat(
            lines(
                EcsJsonImport.importJson(
                    "{\"serviceName\": \"web\", \"taskDefinition\": \"web:3\", \"count\": 1}",
                    "s.json",
                    null)))
        .containsExactly(
            "count: UnknownField: \"count\" is not an ECS CreateService request field");
    // no RunTask-only key: read as a service definition, as before
    assertThat(
            only(EcsJsonImport.importJson(
                    "{\"taskDefinition\": \"web:3\", \"launchType\": \"FARGATE\"}", "s.json", null))
                .resource())
        .isInstanceOf(EcsService.class);
  }

  @Test
  void getScheduleOutputBecomesAScheduledTask() {
    ImportedResource r = only(importFile("get-schedule-nightly-report.json"));

    assertThat(r.resource()).isInstanceOf(ScheduledTask.class);
    assertThat(r.resource().getMetadata().getName()).isEqualTo("nightly-report");
    assertThat(spec(r))
        .isEqualTo(
            yaml(
                """
                scheduleExpression: cron(0 3 * * ? *)
                scheduleExpressionTimezone: Europe/Berlin
                startDate: "2027-01-01T00:00:00+01:00"
                task:
                  taskDefinitionRef: {name: web-jobs}
                  count: 1
                  overrides:
                    containerOverrides:
                    - name: app
                      command: [python, manage.py, nightly_report]
                  launchType: FARGATE
                  networkConfiguration:
                    awsvpcConfiguration:
                      subnets: [subnet-0a1b2c3d4e5f60718]
                      securityGroups: [sg-0123456789abcdef0]
                      assignPublicIp: DISABLED
                  tags: [{key: team, value: analytics}]
                  enableECSManagedTags: true
                schedulerRoleArn: arn:aws:iam::123456789012:role/service-role/Amazon_EventBridge_Scheduler_ECS_3f9a1c2b7d
                """));
    assertThat(r.comments())
        .containsExactly(
            "Description: Sales report for the day before",
            "FlexibleTimeWindow FLEXIBLE (15 minutes) is not kept: each run starts at its"
                + " scheduled time",
            "spec.schedulerRoleArn: the operator's IAM policy passes to EventBridge Scheduler only"
                + " roles under /tidewater/ or /ecs-scheduler/; use such a role, or remove"
                + " schedulerRoleArn for a role Tidewater manages",
            "Target.RetryPolicy is not kept: Tidewater's schedules retry as EventBridge"
                + " Scheduler's defaults (185 attempts within 24 hours)",
            "ECS cluster \"production\" is set by the Cluster resource");
  }

  @Test
  void createScheduleInputWithCapacityProvidersEpochStartAndTagMapsBecomesAScheduledTask() {
    ImportedResource r = only(importFile("create-schedule-invoices.json"));

    assertThat(spec(r))
        .isEqualTo(
            yaml(
                """
                scheduleExpression: cron(30 6 1 * ? *)
                scheduleExpressionTimezone: America/New_York
                startDate: "2027-01-01T00:00:00Z"
                endDate: "2029-12-31T23:59:59Z"
                paused: true
                task:
                  taskDefinitionRef: {name: invoices, revision: 7}
                  count: 2
                  overrides:
                    containerOverrides:
                    - name: invoices
                      environment: [{name: BATCH, value: monthly}]
                      memory: 2048
                    cpu: "1024"
                    memory: "4096"
                  capacityProviderStrategy:
                  - {capacityProvider: FARGATE_SPOT, weight: 3}
                  - {capacityProvider: FARGATE, weight: 1, base: 1}
                  networkConfiguration:
                    awsvpcConfiguration:
                      subnets: [subnet-0a1b2c3d4e5f60718]
                      assignPublicIp: DISABLED
                  group: invoices
                  tags:
                  - {key: team, value: billing}
                  - {key: cost-center, value: cc-1042}
                  propagateTags: TASK_DEFINITION
                  enableExecuteCommand: false
                schedulerRoleArn: arn:aws:iam::123456789012:role/ecs-scheduler/billing-invoices
                """));
    assertThat(r.comments())
        .containsExactly(
            "GroupName \"billing\" is not kept: Tidewater keeps its schedules in the group"
                + " tidewater",
            "ECS cluster \"billing\" is set by the Cluster resource",
            "Target.EcsParameters.ReferenceId \"monthly\" is not kept: a run is known by its"
                + " tasks' tags");
  }

  @Test
  void theImportedYamlKeepsTimestampsAsStringsAndPassesValidate() throws Exception {
    Outcome outcome = importFile("create-schedule-invoices.json");
    String yaml = ResourceYaml.write(outcome.resources());

    // unquoted, YAML 1.1 (and kubectl) would read a timestamp and rewrite it
    assertThat(yaml)
        .contains("startDate: \"2027-01-01T00:00:00Z\"")
        .contains("endDate: \"2029-12-31T23:59:59Z\"");
    assertThat(YAML.readValue(yaml, ScheduledTask.class).getSpec().startDate)
        .isEqualTo("2027-01-01T00:00:00Z");
    for (String file :
        List.of(
            "run-task-migrate.json",
            "get-schedule-nightly-report.json",
            "create-schedule-invoices.json",
            "rule-cleanup-sessions.json")) {
      String imported = ResourceYaml.write(importFile(file).resources());
      assertThat(CustomResourceCheck.check(imported))
          .as(file)
          .isNotEmpty()
          .allSatisfy(c -> assertThat(c.problems()).as(c.label()).isEmpty());
    }
  }

  @Test
  void scheduleFieldsEcsOrSchedulerWouldRefuseAreReportedAtTheirPaths() {
    Outcome outcome =
        importChanged(
            "get-schedule-nightly-report.json",
            in -> {
              in.put("ScheduleExpression", "cron(0 3 * * * *)");
              in.put("ScheduleExpressionTimezone", "CET+1");
              in.put("StartDate", "2027-01-01T00:00:00");
              ObjectNode target = (ObjectNode) in.get("Target");
              ObjectNode ecs = (ObjectNode) target.get("EcsParameters");
              ObjectNode vpc =
                  (ObjectNode) ecs.get("NetworkConfiguration").get("awsvpcConfiguration");
              vpc.putArray("Subnets").add("PRIVATE_SUBNET_ONE");
              vpc.set("subnets", vpc.get("Subnets"));
              ecs.put("LaunchType", "MANAGED_INSTANCES");
              ecs.put("TaskCount", 0);
              target.put(
                  "Input",
                  "{\"containerOverrides\":[{\"name\":\"app\",\"cmd\":[\"x\"]}],"
                      + "\"taskRoleArn\":\"arn:aws:iam::123456789012:role/reports\"}");
            });

    assertThat(outcome.resources()).isEmpty();
    assertThat(lines(outcome))
        .containsExactlyInAnyOrder(
            "StartDate: InvalidValue: \"2027-01-01T00:00:00\" has no UTC offset; add Z or +hh:mm"
                + " (without one the AWS CLI reads the machine's local time)",
            "Target.EcsParameters.NetworkConfiguration.awsvpcConfiguration.subnets: UnknownField:"
                + " \"subnets\" is not an EventBridge Scheduler AwsVpcConfiguration field",
            "Target.EcsParameters.LaunchType: InvalidEnum: \"MANAGED_INSTANCES\" is not one of"
                + " EC2, FARGATE, EXTERNAL",
            "Target.Input.taskRoleArn: NotSupported: a per-run task role is not supported: the"
                + " task would run with the task definition's roles instead. Give the"
                + " TaskDefinition (a family of its own) that role",
            "Target.EcsParameters.TaskCount: OutOfRange: 0 is less than the minimum 1",
            "Target.EcsParameters.NetworkConfiguration.awsvpcConfiguration.Subnets[0]:"
                + " InvalidValue: \"PRIVATE_SUBNET_ONE\" is not a subnet id (subnet-...)",
            "Target.Input.containerOverrides[0].cmd: UnknownField: \"cmd\" is not an ECS"
                + " ContainerOverride field");
  }

  @Test
  void aScheduleExpressionAwsWouldRefuseIsReportedOnceTheRestIsValid() {
    Outcome outcome =
        importChanged(
            "get-schedule-nightly-report.json",
            in -> {
              in.put("ScheduleExpression", "cron(0 3 * * * *)");
              in.put("ScheduleExpressionTimezone", "Mars/Olympus");
            });

    assertThat(outcome.problems())
        .extracting(p -> p.path() + ": " + p.reason())
        .containsExactly(
            "ScheduleExpression: InvalidScheduleExpression",
            "ScheduleExpressionTimezone: InvalidScheduleExpressionTimezone");
  }

  @Test
  void aScheduleWhoseTargetIsNotAnEcsClusterIsRefused() {
    Outcome lambda =
        importChanged(
            "get-schedule-nightly-report.json",
            in -> {
              ObjectNode target = (ObjectNode) in.get("Target");
              target.put("Arn", "arn:aws:lambda:eu-west-1:123456789012:function:report");
              target.remove("EcsParameters");
            });
    Outcome badInput =
        importChanged(
            "get-schedule-nightly-report.json",
            in -> ((ObjectNode) in.get("Target")).put("Input", "{\"containerOverrides\": ["));
    Outcome noWindow =
        importChanged("get-schedule-nightly-report.json", in -> in.remove("FlexibleTimeWindow"));

    assertThat(lines(lambda))
        .containsExactly(
            "Target.Arn: NotAnEcsTarget: \"arn:aws:lambda:eu-west-1:123456789012:function:report\""
                + " is not an ECS cluster ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME): Tidewater"
                + " imports schedules that run ECS tasks");
    assertThat(badInput.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("Target.Input");
              assertThat(p.reason()).isEqualTo("InvalidJson");
            });
    assertThat(lines(noWindow))
        .containsExactly(
            "FlexibleTimeWindow: Required: missing: CreateSchedule requires \"FlexibleTimeWindow\"");
  }

  @Test
  void aRuleBecomesOneScheduledTaskPerEcsTarget() {
    Outcome outcome = importFile("rule-cleanup-sessions.json");
    ImportedResource r = only(outcome);

    assertThat(r.resource().getMetadata().getName()).isEqualTo("cleanup-sessions");
    assertThat(spec(r))
        .isEqualTo(
            yaml(
                """
                scheduleExpression: rate(1 hour)
                task:
                  taskDefinitionRef: {name: web-jobs, revision: 42}
                  count: 1
                  overrides:
                    containerOverrides:
                    - name: app
                      command: [python, manage.py, clearsessions]
                  launchType: FARGATE
                  platformVersion: LATEST
                  networkConfiguration:
                    awsvpcConfiguration:
                      subnets: [subnet-0a1b2c3d4e5f60718]
                      securityGroups: [sg-0123456789abcdef0]
                      assignPublicIp: DISABLED
                  tags: [{key: team, value: platform}]
                """));
    assertThat(r.comments())
        .containsExactly(
            "Description: Removes expired sessions",
            "Targets[1] (Id notify, arn:aws:sns:eu-west-1:123456789012:ops-notifications) is not"
                + " an ECS task: not imported",
            "Targets[0].RoleArn \"arn:aws:iam::123456789012:role/ecsEventsRole\" is not kept: it"
                + " trusts events.amazonaws.com, and EventBridge Scheduler assumes roles that trust"
                + " scheduler.amazonaws.com; Tidewater manages one (or set spec.schedulerRoleArn)",
            "ECS cluster \"production\" is set by the Cluster resource");

    Outcome two =
        importChanged(
            "rule-cleanup-sessions.json",
            in -> {
              ObjectNode copy = in.get("Targets").get(0).deepCopy();
              copy.put("Id", "Cleanup.Carts");
              ((com.fasterxml.jackson.databind.node.ArrayNode) in.get("Targets")).add(copy);
              ((ObjectNode) in.get("Rule")).put("State", "DISABLED");
            });
    assertThat(lines(two)).isEmpty();
    assertThat(two.resources())
        .extracting(x -> x.resource().getMetadata().getName())
        .containsExactly("cleanup-sessions-cleanup", "cleanup-sessions-cleanup-carts");
    assertThat(two.resources())
        .allSatisfy(x -> assertThat(((ScheduledTask) x.resource()).getSpec().paused).isTrue());
  }

  @Test
  void aRuleWithAnEventPatternIsRefusedNamingTheField() {
    Outcome outcome = importFile("rule-s3-upload-events.json");

    assertThat(outcome.resources()).isEmpty();
    assertThat(lines(outcome))
        .containsExactly(
            "Rule.EventPattern: EventPatternNotSupported: the rule runs its targets on events, not"
                + " on a schedule: Tidewater has no event-triggered tasks (a ScheduledTask needs a"
                + " ScheduleExpression)");
  }

  @Test
  void ruleInputsEventBridgeWouldRefuseOrTidewaterCannotRunAreReported() {
    Outcome at =
        importChanged(
            "rule-cleanup-sessions.json",
            in ->
                ((ObjectNode) in.get("Rule")).put("ScheduleExpression", "at(2027-03-01T09:30:00)"));
    Outcome transformer =
        importChanged(
            "rule-cleanup-sessions.json",
            in -> {
              ObjectNode t = (ObjectNode) in.get("Targets").get(0);
              t.remove("Input");
              t.putObject("InputTransformer").put("InputTemplate", "{\"containerOverrides\":[]}");
              ((ObjectNode) t.get("EcsParameters").get("Tags").get(0)).put("key", "lower");
            });
    Outcome nameOnly =
        importChanged("rule-cleanup-sessions.json", in -> in.put("Rule", "cleanup-sessions"));
    Outcome describeRuleAlone =
        importTree(input("rule-cleanup-sessions.json").get("Rule"), "rule.json");
    Outcome onlyOtherTargets =
        importChanged(
            "rule-cleanup-sessions.json",
            in -> ((com.fasterxml.jackson.databind.node.ArrayNode) in.get("Targets")).remove(0));

    assertThat(lines(at))
        .containsExactly(
            "Rule.ScheduleExpression: InvalidScheduleExpression: an EventBridge rule takes cron()"
                + " or rate(), not at() (EventBridge Scheduler does)");
    assertThat(lines(transformer))
        .containsExactly(
            "Targets[0].InputTransformer: NotSupported: a ScheduledTask's overrides are constant:"
                + " give them as Input (the JSON the transformer makes for a scheduled event)"
                + " instead of InputTransformer",
            "Targets[0].EcsParameters.Tags[0].key: UnknownField: \"key\" is not an EventBridge Tag"
                + " field");
    assertThat(nameOnly.problems()).extracting(p -> p.path()).containsExactly("Rule");
    assertThat(describeRuleAlone.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).isEqualTo("UnknownShape");
              assertThat(p.message()).contains("\"Rule\"").contains("\"Targets\"");
            });
    assertThat(lines(onlyOtherTargets))
        .containsExactly(
            "Targets: NotAnEcsTarget: none of the rule's targets runs an ECS task (an ECS cluster"
                + " ARN with EcsParameters)");
  }
}
