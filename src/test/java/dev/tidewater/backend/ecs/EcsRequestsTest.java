package dev.tidewater.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidewater.api.v1alpha1.common.KeyValuePair;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

class EcsRequestsTest {

  private static TaskDefinitionSpec spec() {
    TaskDefinitionSpec spec = new TaskDefinitionSpec();
    spec.family = "web";
    spec.networkMode = "awsvpc";
    spec.cpu = "0.5 vCPU";
    spec.memory = "1024";
    ContainerDefinition c = new ContainerDefinition();
    c.name = "web";
    c.image = "nginx";
    c.memoryReservation = 128;
    KeyValuePair env = new KeyValuePair();
    env.name = "A";
    env.value = "b";
    c.environment = List.of(env);
    c.mountPoints = new ArrayList<>();
    c.dockerLabels = Map.of("team", "web");
    spec.containerDefinitions = List.of(c);
    return spec;
  }

  @Test
  void everySpecFieldReachesTheRequest() {
    RegisterTaskDefinitionRequest request = EcsRequests.registerRequest(spec());

    assertThat(request.family()).isEqualTo("web");
    assertThat(request.networkMode()).isEqualTo(NetworkMode.AWSVPC);
    assertThat(request.cpu()).isEqualTo("0.5 vCPU");
    assertThat(request.containerDefinitions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.memoryReservation()).isEqualTo(128);
              assertThat(c.environment().get(0).value()).isEqualTo("b");
              assertThat(c.dockerLabels()).containsEntry("team", "web");
            });
  }

  @Test
  void tidewaterFieldsStayOutAndResolvedRoleArnsGoIn() {
    TaskDefinitionSpec spec = spec();
    spec.taskRoleRef = new ObjectRef();
    spec.taskRoleRef.name = "web";
    spec.executionRoleArn = "ecsTaskExecutionRole";
    spec.revisionHistoryLimit = 3;
    spec.deletionPolicy = "Retain";

    RegisterTaskDefinitionRequest unresolved = EcsRequests.registerRequest(spec);
    RegisterTaskDefinitionRequest resolved =
        EcsRequests.registerRequest(spec, "arn:aws:iam::123456789012:role/web", null);

    assertThat(unresolved.taskRoleArn()).isNull();
    assertThat(resolved.taskRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/web");
    assertThat(resolved.executionRoleArn()).isEqualTo("ecsTaskExecutionRole");
    JsonNode json = EcsRequests.toJson(resolved);
    assertThat(json.has("taskRoleRef")).isFalse();
    assertThat(json.has("revisionHistoryLimit")).isFalse();
    assertThat(json.has("deletionPolicy")).isFalse();
  }

  @Test
  void toJsonWritesWireNamesKeepsEmptyListsAndLeavesOutUnsetOnes() {
    JsonNode json = EcsRequests.toJson(EcsRequests.registerRequest(spec()));

    JsonNode container = json.get("containerDefinitions").get(0);
    assertThat(container.get("mountPoints").isArray()).isTrue();
    assertThat(container.get("mountPoints")).isEmpty();
    assertThat(container.has("portMappings")).isFalse();
    assertThat(json.has("volumes")).isFalse();
    assertThat(container.get("memoryReservation").intValue()).isEqualTo(128);
    assertThat(container.get("dockerLabels").get("team").textValue()).isEqualTo("web");
    assertThat(json.get("networkMode").textValue()).isEqualTo("awsvpc");
  }

  @Test
  void aDescribedTaskDefinitionMapsBackToTheSpecItWasRegisteredFrom() {
    RegisterTaskDefinitionRequest request = EcsRequests.registerRequest(spec(), "arn:role", null);
    // what DescribeTaskDefinition answers: the request's members plus read-only ones
    software.amazon.awssdk.services.ecs.model.TaskDefinition described =
        software.amazon.awssdk.services.ecs.model.TaskDefinition.builder()
            .family(request.family())
            .networkMode(request.networkMode())
            .cpu(request.cpu())
            .memory(request.memory())
            .taskRoleArn(request.taskRoleArn())
            .containerDefinitions(
                request.containerDefinitions().get(0).toBuilder()
                    .linuxParameters(
                        l -> l.capabilities(c -> c.add("SYS_ADMIN")).initProcessEnabled(true))
                    .build())
            .taskDefinitionArn("arn:aws:ecs:us-east-1:123456789012:task-definition/web:3")
            .revision(3)
            .status("ACTIVE")
            .compatibilities(Compatibility.EC2)
            .registeredAt(java.time.Instant.parse("2026-01-01T00:00:00Z"))
            .build();

    TaskDefinitionSpec spec = EcsRequests.specOf(described);

    assertThat(spec.family).isEqualTo("web");
    assertThat(spec.taskRoleArn).isEqualTo("arn:role");
    assertThat(spec.containerDefinitions)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.image).isEqualTo("nginx");
              assertThat(c.linuxParameters.capabilities.add).containsExactly("SYS_ADMIN");
              assertThat(c.environment.get(0).value).isEqualTo("b");
            });
  }
}
