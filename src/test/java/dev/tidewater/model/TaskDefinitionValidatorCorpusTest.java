package dev.tidewater.model;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.testing.EcsCorpus;
import dev.tidewater.testing.NeedsEcsCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the validator over the published ECS task definitions of the shared corpus: every file that
 * is valid JSON and holds no template placeholder, with the result expected file by file.
 *
 * <p>Which files hold placeholders or do not parse is the corpus's own classification (the {@code
 * templated} and {@code invalid-json} markers of {@code SOURCES.tsv}, see its README); the test
 * checks that classification against the files where it can.
 */
@NeedsEcsCorpus
class TaskDefinitionValidatorCorpusTest {

  private static final Path TASK_DEFINITIONS = EcsCorpus.TASK_DEFINITIONS;

  /**
   * Expected problems ("path reason") of every file the validator runs on. Most published files are
   * valid; the rejected ones keep a placeholder account id that the corpus notes do not mark as a
   * template, and ECS rejects them too.
   */
  private static final Map<String, List<String>> EXPECTED =
      Map.ofEntries(
          entry("001-ecs-agent-nvidia-gpu.json", List.of()),
          // healthCheck timeout 50 with interval 5: ECS registers it, and so do we.
          entry("004-ecs-agent-container-ordering-healthy.json", List.of()),
          // "portBindings" is not an ECS field. Mapping drops it (unknown properties are
          // ignored, as in the Go SDK struct the ECS agent's test loads it into; the AWS CLI
          // would refuse it as an unknown parameter). What remains is a valid minimal task.
          entry("006-ecs-agent-nginx-portbindings.json", List.of()),
          entry("007-ecs-agent-tmpfs.json", List.of()),
          entry("008-ecs-agent-nofile-ulimit.json", List.of()),
          entry("009-ecs-agent-sysctl.json", List.of()),
          entry("012-ecs-agent-capabilities.json", List.of()),
          entry("016-ecs-agent-network-link.json", List.of()),
          entry("017-ecs-agent-ipc-host.json", List.of()),
          entry("018-ecs-agent-devices.json", List.of()),
          // The role ARNs carry the 11-digit account id 11111111111. AWS account ids have 12
          // digits; ECS answers "Role is not valid" to a malformed role ARN at registration.
          entry(
              "019-firelens-efs-describe-wrapper.json",
              List.of("taskRoleArn InvalidRoleArn", "executionRoleArn InvalidRoleArn")),
          entry("021-firelens-appmesh-envoy-fargate.json", List.of()),
          // Documentation placeholders left in: account "aws_account_id" in both role ARNs
          // (ECS: "Role is not valid"), and region "region" / account "aws_account_id" in the
          // secret ARN, which names no secret ECS could ever read.
          entry(
              "023-firelens-newrelic-vcpu-units.json",
              List.of(
                  "taskRoleArn InvalidRoleArn",
                  "executionRoleArn InvalidRoleArn",
                  "containerDefinitions[1].logConfiguration.secretOptions[0].valueFrom"
                      + " InvalidSecretReference")),
          // Account id "xxxxxxxxxx" (ten x's) in both role ARNs: ECS answers "Role is not
          // valid".
          entry(
              "026-firelens-multi-config-s3.json",
              List.of("taskRoleArn InvalidRoleArn", "executionRoleArn InvalidRoleArn")),
          entry("027-containers-consul-host.json", List.of()),
          entry("028-containers-gunicorn-ec2-awsvpc.json", List.of()),
          // Container cpu 1024 equals the task cpu 1024: allowed.
          entry("029-containers-tomcat-fargate.json", List.of()),
          entry("030-containers-nginx-ec2-bridge.json", List.of()),
          entry("031-containers-wildfly-fargate-nulls.json", List.of()),
          entry("048-fluentbit-coredump-fargate-efs.json", List.of()),
          entry("049-fluentbit-coredump-ec2-ulimits.json", List.of()),
          entry("053-php-simple-app-volumesfrom.json", List.of()),
          entry("054-fluentbit-daemon-fluentd-driver.json", List.of()),
          // ipcMode "" and pidMode "" on Fargate mean unset; a host volume without sourcePath
          // is allowed on Fargate.
          entry("056-cdk-broker-arm64-init-container.json", List.of()),
          entry("057-terraform-describe-nulls-firelens.json", List.of()));

  private final TaskDefinitionValidator validator = new TaskDefinitionValidator();

  static Stream<String> validatedFiles() {
    return EXPECTED.keySet().stream().sorted();
  }

  @Test
  void theTableCoversExactlyTheParsableUntemplatedFiles() throws IOException {
    assertThat(Files.isDirectory(TASK_DEFINITIONS))
        .as("the shared corpus at %s", TASK_DEFINITIONS.toAbsolutePath().normalize())
        .isTrue();
    Map<String, String> notes = EcsCorpus.notes();
    try (Stream<Path> files = Files.list(TASK_DEFINITIONS)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("every corpus file is described in SOURCES.tsv")
          .containsExactlyInAnyOrderElementsOf(notes.keySet());
    }
    List<String> eligible =
        notes.entrySet().stream()
            .filter(e -> !e.getValue().contains("templated"))
            .filter(e -> !e.getValue().contains("invalid-json"))
            .map(Map.Entry::getKey)
            .toList();
    assertThat(EXPECTED.keySet()).containsExactlyInAnyOrderElementsOf(eligible);
  }

  @Test
  void theInvalidJsonMarkerMatchesTheFiles() throws IOException {
    for (Map.Entry<String, String> e : EcsCorpus.notes().entrySet()) {
      Path file = TASK_DEFINITIONS.resolve(e.getKey());
      if (e.getValue().contains("invalid-json")) {
        assertThatThrownBy(() -> EcsCorpus.MAPPER.readTree(file.toFile()))
            .as(e.getKey())
            .isInstanceOf(JsonProcessingException.class);
      } else {
        assertThatCode(() -> EcsCorpus.MAPPER.readTree(file.toFile()))
            .as(e.getKey())
            .doesNotThrowAnyException();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validatedFiles")
  void validatesAsExpected(String file) throws IOException {
    TaskDefinitionSpec spec = EcsCorpus.spec(file);
    List<Problem> problems = validator.validate(spec);
    assertThat(problems)
        .as("%s: %s", file, problems)
        .extracting(p -> p.path() + " " + p.reason())
        .containsExactlyInAnyOrderElementsOf(EXPECTED.get(file));
    assertThat(problems).allSatisfy(p -> assertThat(p.message()).isNotBlank());
  }
}
