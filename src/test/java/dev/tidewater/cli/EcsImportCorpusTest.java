package dev.tidewater.cli;

import static dev.tidewater.testing.EcsCorpus.EMPTY_ENUM_FIELDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.backend.ecs.EcsRequests;
import dev.tidewater.cli.EcsJsonImport.Outcome;
import dev.tidewater.model.Problem;
import dev.tidewater.testing.EcsCorpus;
import dev.tidewater.testing.JsonTrees;
import dev.tidewater.testing.NeedsEcsCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the ECS corpus ({@code ../shared/corpus/ecs}) against an explicit expectation:
 * files ECS would accept import, and survive the round trip back to the ECS request unchanged but
 * for the documented normalisations; files ECS would refuse are rejected with the listed problems,
 * in order, one per fault, each at its JSON path.
 */
@NeedsEcsCorpus
class EcsImportCorpusTest {

  private static final Path CORPUS = EcsCorpus.DIRECTORY;
  private static final Path TASK_DEFINITIONS = CORPUS.resolve("task-definitions");
  private static final Path SERVICE_DEFINITIONS = CORPUS.resolve("service-definitions");
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  // The enum fields the corpus leaves empty ("" is how the AWS SDKs write an unset enum).
  private static final String PLACEHOLDER = "is an unrendered template placeholder";

  private static final Map<String, Expected> TASK_DEFINITION_TABLE =
      table(
          imports("001-ecs-agent-nvidia-gpu.json"),
          rejected(
              "002-ecs-agent-efs-volume.json",
              at(
                  "volumes[0].efsVolumeConfiguration.fileSystemId",
                  "\"FILESYSTEM_ID\" is not a file system id")),
          rejected(
              "003-ecs-agent-secrets-env.json",
              at("executionRoleArn", "\"$$$EXECUTION_ROLE$$$\" " + PLACEHOLDER),
              at("containerDefinitions[0].secrets[0].name", "$$$SECRET_NAME$$$"),
              at("containerDefinitions[0].secrets[0].valueFrom", "$$$SECRET_VALUE_FROM$$$")),
          imports("004-ecs-agent-container-ordering-healthy.json"),
          rejected(
              "005-ecs-agent-firelens-fluentbit-bridge.json",
              at("taskRoleArn", "$$$TASK_ROLE$$$"),
              at("executionRoleArn", "$$$EXECUTION_ROLE$$$"),
              at(
                  "containerDefinitions[0].logConfiguration.options.awslogs-region",
                  "$$$TEST_REGION$$$"),
              at("containerDefinitions[1].logConfiguration.options.region", "$$$TEST_REGION$$$"),
              at("containerDefinitions[1].logConfiguration.secretOptions[0].name", PLACEHOLDER),
              at(
                  "containerDefinitions[1].logConfiguration.secretOptions[0].valueFrom",
                  PLACEHOLDER)),
          rejected(
              "006-ecs-agent-nginx-portbindings.json",
              at(
                  "containerDefinitions[0].portBindings",
                  "\"portBindings\" is not an ECS ContainerDefinition field")),
          imports("007-ecs-agent-tmpfs.json"),
          imports("008-ecs-agent-nofile-ulimit.json"),
          imports("009-ecs-agent-sysctl.json"),
          rejected(
              "010-ecs-agent-gmsa-windows.json",
              at(
                  "containerDefinitions[0].dockerSecurityOptions[0]",
                  "\"$$$TEST_SSM_ARN$$$\" in \"credentialspec:$$$TEST_SSM_ARN$$$\""),
              at("executionRoleArn", "$$$EXECUTION_ROLE$$$")),
          rejected(
              "011-ecs-agent-elastic-inference.json",
              at(
                  "containerDefinitions[0].inferenceDevices",
                  "\"inferenceDevices\" is not an ECS ContainerDefinition field"),
              at("containerDefinitions[0].logConfiguration.options.awslogs-region", PLACEHOLDER),
              at(
                  "containerDefinitions[0].logConfiguration.options.awslogs-stream-prefix",
                  PLACEHOLDER)),
          imports("012-ecs-agent-capabilities.json"),
          rejected(
              "013-ecs-agent-private-registry-auth.json",
              at("executionRoleArn", PLACEHOLDER),
              at(
                  "containerDefinitions[0].repositoryCredentials.credentialsParameter",
                  PLACEHOLDER)),
          rejected(
              "014-ecs-agent-container-health-template.json",
              at(
                  "containerDefinitions[0].healthCheck",
                  "not valid JSON at line 14, column 13, after \"timeout\"")),
          rejected(
              "015-ecs-agent-telemetry-windows-template.json",
              at("containerDefinitions[0].cpu", "not valid JSON at line 6, column 12")),
          imports("016-ecs-agent-network-link.json"),
          imports("017-ecs-agent-ipc-host.json"),
          imports("018-ecs-agent-devices.json"),
          // ECS refuses role ARNs whose account id is not 12 digits ("Role is not valid")
          rejected(
              "019-firelens-efs-describe-wrapper.json",
              at("taskDefinition.taskRoleArn", "has account id \"11111111111\", not 12 digits"),
              at(
                  "taskDefinition.executionRoleArn",
                  "has account id \"11111111111\", not 12 digits")),
          rejected(
              "020-firelens-dynatrace-missing-comma.json",
              at(
                  "containerDefinitions[1].logConfiguration.options",
                  "not valid JSON at line 34, column 20, after \"Port\"")),
          imports("021-firelens-appmesh-envoy-fargate.json"),
          rejected(
              "022-firelens-tcp-healthcheck.json",
              at("taskRoleArn", "\"XXXXXXXXXXXX\" in \"arn:aws:iam::XXXXXXXXXXXX:role/"),
              at("executionRoleArn", "\"XXXXXXXXXXXX\" in")),
          rejected(
              "023-firelens-newrelic-vcpu-units.json",
              at(
                  "containerDefinitions[1].logConfiguration.secretOptions[0].valueFrom",
                  "has \"aws_account_id\" where the account id goes"),
              at("executionRoleArn", "\"aws_account_id\""),
              at("taskRoleArn", "\"aws_account_id\"")),
          rejected(
              "024-firelens-emf-links-default-network.json",
              at("taskRoleArn", "XXXXXXXXXXXX"),
              at("executionRoleArn", "XXXXXXXXXXXX")),
          rejected(
              "025-firelens-datadog-secretoptions.json",
              at("taskRoleArn", "XXXXXXXXXXXX"),
              at("executionRoleArn", "XXXXXXXXXXXX"),
              at(
                  "containerDefinitions[1].logConfiguration.secretOptions[0].valueFrom",
                  "\"${Partition}\" in \"arn:${Partition}:secretsmanager:")),
          rejected(
              "026-firelens-multi-config-s3.json",
              at("taskRoleArn", "has \"xxxxxxxxxx\" where the account id goes"),
              at("executionRoleArn", "\"xxxxxxxxxx\"")),
          imports("027-containers-consul-host.json"),
          imports("028-containers-gunicorn-ec2-awsvpc.json"),
          imports("029-containers-tomcat-fargate.json"),
          imports("030-containers-nginx-ec2-bridge.json"),
          imports("031-containers-wildfly-fargate-nulls.json"),
          rejected(
              "032-ecspresso-td-describe-wrapper.json",
              at("taskDefinition.containerDefinitions[0].image", "\"{{ env `TAG` `latest` }}\"")),
          rejected(
              "033-ecspresso-daemon-host-secrets.json",
              at("containerDefinitions[0].secrets[1].valueFrom", "{{must_env `AWS_ACCOUNT_ID`}}"),
              at("containerDefinitions[0].secrets[2].valueFrom", PLACEHOLDER),
              at("executionRoleArn", PLACEHOLDER),
              at("taskRoleArn", PLACEHOLDER)),
          rejected(
              "034-ecspresso-ec2-tfstate-template.json",
              at("containerDefinitions[0].image", "{{ tfstate"),
              // An environment value may hold shell syntax, but not only a template placeholder.
              at("containerDefinitions[0].environment[0].value", "{{ env `JSON` | json_escape }}")),
          rejected(
              "035-ecspresso-fargate-ebs-secrets.json",
              at("containerDefinitions[0].environment[0].value", "{{ ssm"),
              at("containerDefinitions[0].environment[1].value", "{{ secretsmanager_arn"),
              at("containerDefinitions[0].image", "{{ env `NGINX_VERSION` `latest` }}"),
              at("containerDefinitions[0].secrets[1].valueFrom", PLACEHOLDER),
              at("containerDefinitions[0].secrets[2].valueFrom", PLACEHOLDER),
              at("containerDefinitions[1].image", PLACEHOLDER),
              at("containerDefinitions[1].secrets[1].valueFrom", PLACEHOLDER),
              at("containerDefinitions[1].secrets[2].valueFrom", PLACEHOLDER),
              at("containerDefinitions[1].secrets[3].valueFrom", PLACEHOLDER),
              at("containerDefinitions[1].secrets[4].valueFrom", PLACEHOLDER),
              at("executionRoleArn", PLACEHOLDER),
              at("taskRoleArn", PLACEHOLDER)),
          rejected(
              "036-cloudposse-ecspresso-fargate.json",
              at("containerDefinitions[0].image", "{{ must_env `IMAGE` }}"),
              at("containerDefinitions[0].logConfiguration.options.awslogs-region", PLACEHOLDER)),
          rejected(
              "037-cwagent-daemon-bind-volumes.json",
              at("taskRoleArn", "{{task-role-arn}}"),
              at("executionRoleArn", "{{execution-role-arn}}"),
              at("containerDefinitions[0].logConfiguration.options.awslogs-region", PLACEHOLDER)),
          rejected(
              "038-cwagent-prometheus-placeholder-modes.json",
              at("family", "{{launchtype}}"),
              at("taskRoleArn", PLACEHOLDER),
              at("executionRoleArn", PLACEHOLDER),
              at("networkMode", "\"{{networkmode}}\" " + PLACEHOLDER),
              at("containerDefinitions[0].secrets[0].valueFrom", PLACEHOLDER),
              at("containerDefinitions[0].secrets[1].valueFrom", PLACEHOLDER),
              at("containerDefinitions[0].logConfiguration.options.awslogs-region", PLACEHOLDER),
              at(
                  "containerDefinitions[0].logConfiguration.options.awslogs-stream-prefix",
                  PLACEHOLDER),
              at("requiresCompatibilities[0]", "\"{{launchtype}}\" " + PLACEHOLDER)),
          rejected(
              "039-cwagent-sidecar-ec2-links.json",
              at("taskRoleArn", PLACEHOLDER),
              at("executionRoleArn", PLACEHOLDER),
              at("containerDefinitions[0].image", "{{demo-app-image}}"),
              at("containerDefinitions[0].logConfiguration.options.awslogs-region", PLACEHOLDER),
              at("containerDefinitions[1].logConfiguration.options.awslogs-region", PLACEHOLDER)),
          rejected(
              "040-trainium-neuron-devices.json",
              at(
                  "containerDefinitions[0].image",
                  "\"{your-account-id}.dkr.ecr.us-east-1.amazonaws.com/{your-ecr-repo-name}\" is"
                      + " not an image reference")),
          rejected(
              "041-gmsa-sql-windows.json",
              // environment[1].value "${NETBIOSNAME}\${GMSAACCOUNT}$" is shell syntax: accepted.
              at("containerDefinitions[0].dockerSecurityOptions[0]", "${CREDSPECARN}"),
              at("containerDefinitions[0].secrets[0].valueFrom", "${GMSASQLSASECRETPARAM}")),
          rejected(
              "042-ecs-anywhere-secrets-external.json",
              at("executionRoleArn", "\"$AWS_ACCOUNT_ID\" in \"arn:aws:iam::$AWS_ACCOUNT_ID:role/"),
              at("taskRoleArn", "$AWS_ACCOUNT_ID"),
              at("containerDefinitions[0].name", "\"$SSM_TASK_DEFINITION_NAME\" " + PLACEHOLDER),
              at("containerDefinitions[0].image", "\"$ECR_REPO\" in \"$ECR_REPO:latest\""),
              at("containerDefinitions[0].secrets[0].valueFrom", "$SECRET_TEST_AWS"),
              at("containerDefinitions[0].secrets[1].valueFrom", "$PARAMETER_TEST_AWS"),
              at("family", "$SSM_TASK_DEFINITION_NAME")),
          rejected(
              "043-ecs-anywhere-firelens-external.json",
              at("executionRoleArn", "$AWS_ACCOUNT_ID"),
              at("taskRoleArn", "$AWS_ACCOUNT_ID"),
              at(
                  "containerDefinitions[0].logConfiguration.options.awslogs-region",
                  "$AWS_DEFAULT_REGION"),
              at("containerDefinitions[1].logConfiguration.options.region", "$AWS_DEFAULT_REGION")),
          rejected(
              "044-ecs-anywhere-otel-external.json",
              // environment[0].value "$AWS_DEFAULT_REGION" is an environment value: accepted.
              at("taskRoleArn", "$AWS_ACCOUNT_ID"),
              at("executionRoleArn", "$AWS_ACCOUNT_ID"),
              at(
                  "containerDefinitions[0].logConfiguration.options.awslogs-region",
                  "$AWS_DEFAULT_REGION"),
              at(
                  "containerDefinitions[1].logConfiguration.options.awslogs-region",
                  "$AWS_DEFAULT_REGION"),
              at(
                  "containerDefinitions[3].logConfiguration.options.awslogs-region",
                  "$AWS_DEFAULT_REGION")),
          rejected(
              "045-newrelic-fargate-sidecar-x86.json",
              at("executionRoleArn", "\"<YOUR_TASK_EXECUTION_ROLE>\" " + PLACEHOLDER),
              at(
                  "containerDefinitions[1].secrets[0].valueFrom",
                  "<NEW_RELIC_LICENSE_KEY_SECRET_ARN>"),
              at("containerDefinitions[1].image", "<INTEGRATION_IMAGE>")),
          rejected(
              "046-newrelic-host-ec2-external.json",
              at("executionRoleArn", "<YOUR_TASK_EXECUTION_ROLE>"),
              at(
                  "containerDefinitions[0].secrets[0].valueFrom",
                  "<SYSTEM_MANAGER_LICENSE_PARAMETER_NAME>"),
              at("containerDefinitions[0].image", "<INTEGRATION_IMAGE>")),
          rejected(
              "047-fluentbit-loadtest-unquoted-var.json",
              at(
                  "containerDefinitions[1].logConfiguration",
                  "not valid JSON at line 60, column 24: Unrecognized token '$LOG_CONFIGURATION'")),
          imports("048-fluentbit-coredump-fargate-efs.json"),
          imports("049-fluentbit-coredump-ec2-ulimits.json"),
          rejected(
              "050-otel-daemon-unquoted-command.json",
              at("containerDefinitions[0].command[0]", "not valid JSON at line 16, column 10")),
          rejected(
              "051-otel-prometheus-networkmode-default.json",
              at("taskRoleArn", PLACEHOLDER),
              at("executionRoleArn", PLACEHOLDER),
              at("networkMode", "\"default\" is not one of bridge, host, awsvpc, none"),
              at("containerDefinitions[0].image", "{{sampleAppImage}}"),
              at("containerDefinitions[0].logConfiguration.options.awslogs-region", "{{region}}"),
              at("containerDefinitions[1].logConfiguration.options.awslogs-region", "{{region}}")),
          rejected(
              "052-otel-fargate-sidecar-healthcheck.json",
              at("taskRoleArn", PLACEHOLDER),
              at("executionRoleArn", PLACEHOLDER),
              // A command may hold shell syntax, but not be nothing but a template placeholder.
              at("containerDefinitions[0].command[0]", "\"{{command}}\" " + PLACEHOLDER),
              at("containerDefinitions[0].logConfiguration.options.awslogs-region", "{{region}}"),
              at("containerDefinitions[1].logConfiguration.options.awslogs-region", "{{region}}")),
          imports("053-php-simple-app-volumesfrom.json"),
          imports("054-fluentbit-daemon-fluentd-driver.json"),
          rejected(
              "055-ecspresso-init-empty-modes.json",
              at("containerDefinitions[0].command[0]", "{{ must_env `BOT_NAME` }}"),
              at("containerDefinitions[0].image", "{{ must_env `IMAGE` }}"),
              at("containerDefinitions[0].logConfiguration.options.awslogs-group", PLACEHOLDER),
              at("containerDefinitions[0].name", PLACEHOLDER),
              at("family", PLACEHOLDER)),
          imports("056-cdk-broker-arm64-init-container.json"),
          imports("057-terraform-describe-nulls-firelens.json"));

  private static final Map<String, Expected> SERVICE_DEFINITION_TABLE =
      table(
          rejected(
              "001-ecspresso-ec2-tfstate.json",
              at("networkConfiguration.awsvpcConfiguration.subnets[0]", "{{ tfstate"),
              at("networkConfiguration.awsvpcConfiguration.securityGroups[0]", "{{ tfstatef")),
          imports("002-ecspresso-alarms-lb.json"),
          imports("003-ecspresso-daemon-minimal.json"),
          rejected(
              "004-ecspresso-capacity-ebs.json",
              at("deploymentController.type", "{{ env `DEPLOYMENT_CONTROLLER` `ECS` }}"),
              at("loadBalancers[0].targetGroupArn", "{{must_env `AWS_ACCOUNT_ID`}}"),
              at("tags[0].value", "{{ env `NOW` `` }}"),
              at("volumeConfigurations[0].managedEBSVolume.roleArn", PLACEHOLDER)),
          imports("005-cloudposse-describe-fields.json"),
          rejected(
              "006-mythicalmysfits-placeholders.json",
              at("loadBalancers[0].targetGroupArn", "\"TARGET_GROUP_ARN\" is not an ARN"),
              at(
                  "networkConfiguration.awsvpcConfiguration.subnets[0]",
                  "\"PRIVATE_SUBNET_ONE\" is not a subnet id"),
              at("networkConfiguration.awsvpcConfiguration.subnets[1]", "\"PRIVATE_SUBNET_TWO\""),
              at(
                  "networkConfiguration.awsvpcConfiguration.securityGroups[0]",
                  "\"FARGATE_CONTAINER_SECURITY_GROUP\" is not a security group id")),
          rejected(
              "007-ecspresso-init-null-sg.json",
              // "securityGroups": null is only dropped; the templated subnet is the fault.
              at(
                  "networkConfiguration.awsvpcConfiguration.subnets[0]",
                  "{{ must_env `SUBNETS` }}")),
          rejected(
              "008-cdk-broker-rolling.json",
              // CreateService requires alarmNames whenever alarms is given (ECS API model).
              at(
                  "deploymentConfiguration.alarms.alarmNames",
                  "missing: DeploymentAlarms requires \"alarmNames\"")));

  @Test
  void everyCorpusFileHasAnExpectation() throws IOException {
    assertThat(fileNames(TASK_DEFINITIONS))
        .containsExactlyElementsOf(TASK_DEFINITION_TABLE.keySet());
    assertThat(fileNames(SERVICE_DEFINITIONS))
        .containsExactlyElementsOf(SERVICE_DEFINITION_TABLE.keySet());
  }

  static Stream<String> taskDefinitionFiles() {
    return TASK_DEFINITION_TABLE.keySet().stream();
  }

  static Stream<String> serviceDefinitionFiles() {
    return SERVICE_DEFINITION_TABLE.keySet().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("taskDefinitionFiles")
  void taskDefinition(String file) throws IOException {
    Expected expected = TASK_DEFINITION_TABLE.get(file);
    String text = Files.readString(TASK_DEFINITIONS.resolve(file));
    Outcome outcome = EcsJsonImport.importJson(text, file, null);
    if (!expected.imports()) {
      assertRejected(outcome, expected);
      return;
    }
    assertThat(outcome.problems()).as("problems of %s", file).isEmpty();
    assertThat(outcome.resources()).hasSize(1);
    TaskDefinition resource = (TaskDefinition) outcome.resources().get(0).resource();

    ObjectNode raw = (ObjectNode) JSON.readTree(text);
    ObjectNode original = unwrap(raw);
    assertThat(resource.getSpec().family).isEqualTo(original.get("family").textValue());
    assertThat(resource.getMetadata().getName())
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
        .isEqualTo(original.get("family").textValue().toLowerCase().replaceAll("[^a-z0-9-]", "-"));

    original.remove(EcsJsonImport.DESCRIBE_ONLY_FIELDS);
    JsonTrees.withoutNulls(original);
    JsonTrees.withoutEmptyStrings(original, EMPTY_ENUM_FIELDS);
    JsonNode roundTrip = EcsRequests.toJson(EcsRequests.registerRequest(resource.getSpec()));
    assertThat(JsonTrees.difference(roundTrip, original))
        .as("RegisterTaskDefinition JSON of the imported %s against the original", file)
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serviceDefinitionFiles")
  void serviceDefinition(String file) throws IOException {
    Expected expected = SERVICE_DEFINITION_TABLE.get(file);
    String text = Files.readString(SERVICE_DEFINITIONS.resolve(file));
    Outcome outcome = EcsJsonImport.importJson(text, file, null);
    if (!expected.imports()) {
      assertRejected(outcome, expected);
      return;
    }
    assertThat(outcome.problems()).as("problems of %s", file).isEmpty();
    EcsService resource = (EcsService) outcome.resources().get(0).resource();
    ObjectNode original = (ObjectNode) JSON.readTree(text);
    // No corpus service names its task definition or service (ecspresso keeps both in its
    // config): the name comes from the file, and the Service says to set taskDefinitionRef.
    assertThat(original.has("taskDefinition")).isFalse();
    assertThat(resource.getSpec().taskDefinitionRef).isNull();
    assertThat(outcome.resources().get(0).comments())
        .anySatisfy(c -> assertThat(c).contains("spec.taskDefinitionRef is required"));
    assertThat(resource.getMetadata().getName()).isEqualTo(file.replace(".json", ""));

    original.remove(EcsJsonImport.SERVICE_DESCRIBE_ONLY_FIELDS);
    original.remove(EcsJsonImport.SERVICE_REQUEST_ONLY_FIELDS);
    JsonTrees.withoutNulls(original);
    JsonNode imported = JSON.valueToTree(resource.getSpec());
    assertThat(JsonTrees.difference(imported, original))
        .as("spec of the imported %s against the original", file)
        .isEmpty();
  }

  private static void assertRejected(Outcome outcome, Expected expected) {
    assertThat(outcome.resources()).isEmpty();
    assertThat(outcome.problems().stream().map(Problem::path).toList())
        .as("problem paths, in order")
        .containsExactlyElementsOf(expected.problems().stream().map(At::path).toList());
    for (int i = 0; i < expected.problems().size(); i++) {
      assertThat(outcome.problems().get(i).message())
          .as("message at %s", expected.problems().get(i).path())
          .contains(expected.problems().get(i).fragment());
    }
  }

  // The task definition as RegisterTaskDefinition takes it: describe output's wrapper removed,
  // its tags moved in.
  private static ObjectNode unwrap(ObjectNode raw) {
    if (raw.has("containerDefinitions")) {
      return raw;
    }
    ObjectNode inner = (ObjectNode) raw.get("taskDefinition");
    if (raw.hasNonNull("tags")) {
      inner.set("tags", raw.get("tags"));
    }
    return inner;
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** One expected problem: its exact path and a fragment of its message. */
  record At(String path, String fragment) {}

  /** What a corpus file must give. */
  record Expected(String file, boolean imports, List<At> problems) {}

  private static Expected imports(String file) {
    return new Expected(file, true, List.of());
  }

  private static Expected rejected(String file, At... problems) {
    return new Expected(file, false, Arrays.asList(problems));
  }

  private static At at(String path, String fragment) {
    return new At(path, fragment);
  }

  private static Map<String, Expected> table(Expected... entries) {
    Map<String, Expected> table = new LinkedHashMap<>();
    for (Expected e : entries) {
      table.put(e.file(), e);
    }
    return table;
  }
}
