package dev.tidewater.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.cli.EcsJsonImport.Outcome;
import dev.tidewater.model.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ECS JSON import on small hand-written inputs: one behaviour per test. */
class EcsJsonImportTest {

  private static Outcome importJson(String json) {
    return EcsJsonImport.importJson(json.replace('\'', '"'), "input.json", null);
  }

  private static List<String> lines(Outcome outcome) {
    return outcome.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
  }

  private static TaskDefinition taskDefinition(Outcome outcome) {
    assertThat(lines(outcome)).isEmpty();
    return (TaskDefinition) outcome.resources().get(0).resource();
  }

  private static EcsService service(Outcome outcome) {
    assertThat(lines(outcome)).isEmpty();
    return (EcsService) outcome.resources().get(0).resource();
  }

  @Test
  void oneWalkReportsEveryWrongTypeUnknownKeyAndEnumWithItsPath() {
    Outcome outcome =
        importJson(
            "{'family': 'web', 'cpu': 256, 'networkMode': 'default',"
                + " 'containerDefinitions': [{'name': 'web', 'image': {'repo': 'nginx'},"
                + " 'cpu': '256', 'environment': {'A': 'b'}, 'portBindings': [],"
                + " 'essential': 'true'}]}");

    assertThat(lines(outcome))
        .containsExactly(
            "cpu: expected a string, got the number 256",
            "networkMode: \"default\" is not one of bridge, host, awsvpc, none",
            "containerDefinitions[0].image: expected a string, got an object",
            "containerDefinitions[0].cpu: expected an integer, got the string \"256\"",
            "containerDefinitions[0].environment: expected a list, got an object",
            "containerDefinitions[0].portBindings: \"portBindings\" is not an ECS"
                + " ContainerDefinition field",
            "containerDefinitions[0].essential: expected true or false, got the string \"true\"");
    assertThat(outcome.resources()).isEmpty();
  }

  @Test
  void missingFamilyAndContainerFieldsAreReported() {
    Outcome outcome = importJson("{'containerDefinitions': [{'name': 'web'}]}");

    assertThat(lines(outcome))
        .containsExactly(
            "containerDefinitions[0].image: missing: ContainerDefinition requires \"image\"",
            "family: missing: RegisterTaskDefinition request requires \"family\"");
  }

  @Test
  void tidewaterOnlyFieldsAreNotEcsFields() {
    Outcome outcome =
        importJson(
            "{'family': 'web', 'clusterRef': {'name': 'prod'},"
                + " 'containerDefinitions': [{'name': 'web', 'image': 'nginx'}]}");

    assertThat(lines(outcome))
        .containsExactly(
            "clusterRef: \"clusterRef\" is not an ECS RegisterTaskDefinition request field");
  }

  @Test
  void nullsAndEmptyEnumStringsAreDroppedButTaskCpuAndMemoryStayAsGiven() {
    TaskDefinition td =
        taskDefinition(
            importJson(
                "{'family': 'Web_App-v2', 'ipcMode': '', 'pidMode': '', 'networkMode': null,"
                    + " 'cpu': '1 vCPU', 'memory': '2 GB', 'containerDefinitions': [{'name': 'web',"
                    + " 'image': 'nginx', 'versionConsistency': '', 'links': null}]}"));

    assertThat(td.getSpec().ipcMode).isNull();
    assertThat(td.getSpec().pidMode).isNull();
    assertThat(td.getSpec().networkMode).isNull();
    assertThat(td.getSpec().containerDefinitions.get(0).versionConsistency).isNull();
    assertThat(td.getSpec().containerDefinitions.get(0).links).isNull();
    assertThat(td.getSpec().cpu).isEqualTo("1 vCPU");
    assertThat(td.getSpec().memory).isEqualTo("2 GB");
    assertThat(td.getSpec().family).isEqualTo("Web_App-v2");
    assertThat(td.getMetadata().getName()).isEqualTo("web-app-v2");
  }

  @Test
  void aRequiredEnumLeftEmptyIsMissing() {
    Outcome outcome =
        importJson(
            "{'family': 'web', 'containerDefinitions': [{'name': 'web', 'image': 'nginx',"
                + " 'logConfiguration': {'logDriver': ''}}]}");

    assertThat(lines(outcome))
        .containsExactly(
            "containerDefinitions[0].logConfiguration.logDriver: missing: LogConfiguration"
                + " requires \"logDriver\"");
  }

  @Test
  void anEmptyStringInAnEnumListIsAnError() {
    Outcome outcome =
        importJson(
            "{'family': 'web', 'requiresCompatibilities': [''],"
                + " 'containerDefinitions': [{'name': 'web', 'image': 'nginx'}]}");

    assertThat(lines(outcome))
        .containsExactly(
            "requiresCompatibilities[0]: \"\" is not one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES");
  }

  @Test
  void describeOutputIsUnwrappedItsTagsKeptAndReadOnlyFieldsDropped() {
    TaskDefinition td =
        taskDefinition(
            importJson(
                "{'taskDefinition': {'family': 'web', 'revision': 7, 'status': 'ACTIVE',"
                    + " 'taskDefinitionArn': 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7',"
                    + " 'compatibilities': ['EC2'], 'requiresAttributes': [{'name': 'x'}],"
                    + " 'registeredAt': 1700000000.5, 'registeredBy': 'arn:aws:iam::123456789012:root',"
                    + " 'containerDefinitions': [{'name': 'web', 'image': 'nginx', 'memory': 512}]},"
                    + " 'tags': [{'key': 'team', 'value': 'web'}]}"));

    assertThat(td.getSpec().tags)
        .singleElement()
        .satisfies(t -> assertThat(t.key).isEqualTo("team"));
    assertThat(td.getMetadata().getName()).isEqualTo("web");
  }

  @Test
  void pathsOfWrappedInputStartWithTaskDefinition() {
    Outcome outcome =
        importJson(
            "{'taskDefinition': {'family': 'web', 'containerDefinitions': [{'name': 'web',"
                + " 'image': 'nginx', 'memory': 'lots'}]}, 'tags': [{'value': 'x'}], 'extra': 1}");

    assertThat(lines(outcome))
        .containsExactly(
            "tags[0].key: missing: Tag requires \"key\"",
            "extra: \"extra\" is not an ECS describe-task-definition output field",
            "taskDefinition.containerDefinitions[0].memory: expected an integer, got the string"
                + " \"lots\"");
  }

  @Test
  void shellSyntaxIsAcceptedWhereAShellRunsButTemplatesAreNot() {
    TaskDefinition td =
        taskDefinition(
            importJson(
                "{'family': 'web', 'containerDefinitions': ["
                    + " {'name': 'router', 'image': 'fluent-bit', 'memory': 64, 'essential': false,"
                    + " 'firelensConfiguration': {'type': 'fluentbit'}},"
                    + " {'name': 'web', 'image': 'nginx', 'memory': 512,"
                    + " 'entryPoint': ['sh', '-c'], 'command': ['echo $HOME ${USER} > /tmp/x'],"
                    + " 'healthCheck': {'command': ['CMD-SHELL', 'test -n \\\"$PORT\\\"']},"
                    + " 'environment': [{'name': 'HOME_DIR', 'value': '${HOME}/app'},"
                    + " {'name': 'REGION', 'value': '$AWS_REGION'}],"
                    // A Fluent Bit record accessor, not a shell variable.
                    + " 'logConfiguration': {'logDriver': 'awsfirelens',"
                    + " 'options': {'log_stream_template': '$ecs_task_id'}}}]}"));
    assertThat(td.getSpec().containerDefinitions.get(1).command)
        .containsExactly("echo $HOME ${USER} > /tmp/x");

    Outcome outcome =
        importJson(
            "{'family': 'web', 'containerDefinitions': [{'name': 'web', 'image': 'nginx',"
                + " 'secrets': [{'name': 'TOKEN', 'valueFrom': '${TOKEN_ARN}'}],"
                + " 'dockerLabels': {'owner': '$OWNER'}}]}");
    assertThat(lines(outcome))
        .containsExactly(
            "containerDefinitions[0].secrets[0].valueFrom: \"${TOKEN_ARN}\" is an unrendered"
                + " template placeholder; render the template first",
            "containerDefinitions[0].dockerLabels.owner: \"$OWNER\" is an unrendered template"
                + " placeholder; render the template first");
  }

  @Test
  void duplicateListKeysAreReportedAtTheSecondItem() {
    Outcome outcome =
        importJson(
            "{'family': 'web', 'containerDefinitions': [{'name': 'web', 'image': 'nginx'},"
                + " {'name': 'web', 'image': 'nginx'}]}");

    assertThat(lines(outcome))
        .containsExactly("containerDefinitions[1]: another item has the same name \"web\"");
  }

  @Test
  void inputThatIsNotAnEcsDefinitionIsNamedAsSuch() {
    assertThat(lines(importJson("[1, 2]")))
        .containsExactly("$: expected a JSON object (a task or service definition), got a list");
    assertThat(lines(importJson("")))
        .containsExactly("$: the file is empty; expected a JSON object");
    assertThat(lines(importJson("{'family': 'web'}")))
        .singleElement()
        .satisfies(l -> assertThat(l).startsWith("$: neither a task definition"));
    assertThat(lines(importJson("{'family': 'web', 'containerDefinitions': []} trailing")))
        .singleElement()
        .satisfies(l -> assertThat(l).startsWith("$: not valid JSON at line 1, column 47"));
  }

  @Test
  void serviceDefinitionMapsNameTaskDefinitionAndCluster() {
    Outcome outcome =
        importJson(
            "{'cluster': 'prod', 'serviceName': 'Web_Front', 'taskDefinition': 'Web_App:12',"
                + " 'clientToken': 'abc', 'desiredCount': 2, 'runningCount': 2,"
                + " 'serviceArn': 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',"
                + " 'launchType': 'FARGATE', 'launchType2': 1}");
    assertThat(lines(outcome))
        .containsExactly("launchType2: \"launchType2\" is not an ECS CreateService request field");

    outcome =
        importJson(
            "{'cluster': 'prod', 'serviceName': 'Web_Front', 'taskDefinition': 'Web_App:12',"
                + " 'clientToken': 'abc', 'desiredCount': 2, 'runningCount': 2,"
                + " 'launchType': 'FARGATE'}");
    EcsService svc = service(outcome);
    assertThat(svc.getMetadata().getName()).isEqualTo("web-front");
    assertThat(svc.getSpec().taskDefinitionRef.name).isEqualTo("web-app");
    assertThat(svc.getSpec().taskDefinitionRef.revision).isEqualTo(12);
    assertThat(svc.getSpec().desiredCount).isEqualTo(2);
    assertThat(outcome.resources().get(0).comments())
        .containsExactly("cluster \"prod\" is set by the Cluster resource");
  }

  @Test
  void taskDefinitionReferencesTakeFamilyRevisionOrArn() {
    List<Problem> problems = new java.util.ArrayList<>();
    TaskDefinitionRef byFamily = EcsJsonImport.taskDefinitionRef("web", problems);
    TaskDefinitionRef byArn =
        EcsJsonImport.taskDefinitionRef(
            "arn:aws:ecs:eu-west-1:123456789012:task-definition/Web_App:3", problems);
    assertThat(problems).isEmpty();
    assertThat(byFamily.name).isEqualTo("web");
    assertThat(byFamily.revision).isNull();
    assertThat(byArn.name).isEqualTo("web-app");
    assertThat(byArn.revision).isEqualTo(3);

    assertThat(EcsJsonImport.taskDefinitionRef("web:latest", problems)).isNull();
    assertThat(EcsJsonImport.taskDefinitionRef("{{ must_env `TD` }}", problems)).isNull();
    assertThat(problems)
        .extracting(Problem::message)
        .containsExactly(
            "revision \"latest\" of \"web:latest\" is not a positive whole number",
            "\"{{ must_env `TD` }}\" is an unrendered template placeholder; render the template"
                + " first");
  }

  @Test
  void aServiceWithoutTaskDefinitionTakesTheFallbackOrSaysItIsMissing() {
    String json = "{\"schedulingStrategy\": \"DAEMON\"}";
    TaskDefinitionRef fallback = new TaskDefinitionRef();
    fallback.name = "agent";

    Outcome withFallback = EcsJsonImport.importJson(json, "dir/agent-svc.json", fallback);
    Outcome without = EcsJsonImport.importJson(json, "dir/agent-svc.json", null);

    assertThat(service(withFallback).getSpec().taskDefinitionRef.name).isEqualTo("agent");
    assertThat(withFallback.resources().get(0).comments()).isEmpty();
    assertThat(service(without).getSpec().taskDefinitionRef).isNull();
    assertThat(service(without).getMetadata().getName()).isEqualTo("agent-svc");
    assertThat(without.resources().get(0).comments())
        .singleElement()
        .satisfies(c -> assertThat(c).contains("--task-definition"));
  }

  @Test
  void invalidServiceNamesAreReported() {
    assertThat(lines(importJson("{'serviceName': 'web front', 'desiredCount': 1}")))
        .singleElement()
        .satisfies(l -> assertThat(l).startsWith("serviceName: \"web front\" contains ' '"));
  }
}
