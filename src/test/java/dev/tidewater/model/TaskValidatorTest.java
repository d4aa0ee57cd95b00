package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tidewater.api.v1alpha1.common.KeyValuePair;
import dev.tidewater.api.v1alpha1.service.CapacityProviderStrategyItem;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.task.ContainerOverride;
import dev.tidewater.api.v1alpha1.task.TaskOverride;
import dev.tidewater.api.v1alpha1.task.TaskSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every refusal of a Task names its field, as RunTask would refuse it; overrides apply as ECS. */
class TaskValidatorTest {

  private static TaskSpec spec() {
    TaskSpec s = new TaskSpec();
    s.taskDefinitionRef = new TaskDefinitionRef();
    s.taskDefinitionRef.name = "migrate";
    return s;
  }

  private static ContainerOverride override(String name) {
    ContainerOverride o = new ContainerOverride();
    o.name = name;
    return o;
  }

  private static TaskDefinitionSpec revision(String... containers) {
    TaskDefinitionSpec td = new TaskDefinitionSpec();
    td.containerDefinitions =
        java.util.Arrays.stream(containers)
            .map(
                n -> {
                  ContainerDefinition d = new ContainerDefinition();
                  d.name = n;
                  d.image = "registry.example/" + n;
                  return d;
                })
            .toList();
    return td;
  }

  @Test
  void aPlainTaskIsValid() {
    assertThat(TaskValidator.validate(spec())).isEmpty();
  }

  @Test
  void eachRefusalNamesItsField() {
    TaskSpec s = spec();
    s.taskDefinitionRef.name = " ";
    s.count = 11;
    s.launchType = "FARGATE";
    CapacityProviderStrategyItem cp = new CapacityProviderStrategyItem();
    cp.capacityProvider = "FARGATE_SPOT";
    s.capacityProviderStrategy = List.of(cp);
    s.startedBy = "ci pipeline";
    s.ttlSecondsAfterFinished = -1;
    s.overrides = new TaskOverride();
    ContainerOverride twice = override("app");
    twice.memory = 256;
    twice.memoryReservation = 512;
    s.overrides.containerOverrides = List.of(override("app"), twice);
    s.overrides.taskRoleRef = "admin";

    assertThat(TaskValidator.validate(s))
        .extracting(Problem::path, Problem::reason)
        .containsExactlyInAnyOrder(
            tuple("taskDefinitionRef.name", TaskValidator.MISSING_TASK_DEFINITION),
            tuple("count", TaskValidator.COUNT_OUT_OF_RANGE),
            tuple("capacityProviderStrategy", EcsServiceValidator.CONFLICTING_FIELDS),
            tuple("startedBy", TaskValidator.INVALID_STARTED_BY),
            tuple("ttlSecondsAfterFinished", TaskValidator.INVALID_TTL),
            tuple("overrides.taskRoleRef", TaskValidator.TASK_ROLE_OVERRIDE_NOT_SUPPORTED),
            tuple("overrides.containerOverrides[1].name", TaskValidator.UNKNOWN_CONTAINER),
            tuple(
                "overrides.containerOverrides[1].memoryReservation",
                "MemoryReservationAboveMemory"));
  }

  @Test
  void anOverrideOfAContainerTheRevisionLacksIsRefused() {
    TaskSpec s = spec();
    s.overrides = new TaskOverride();
    s.overrides.containerOverrides = List.of(override("app"), override("migrator"));
    assertThat(TaskValidator.withRevision(s, revision("app", "sidecar")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("overrides.containerOverrides[1].name");
              assertThat(p.reason()).isEqualTo(TaskValidator.UNKNOWN_CONTAINER);
              assertThat(p.message()).contains("\"migrator\"").contains("app, sidecar");
            });
  }

  @Test
  void overridesReplaceCommandAndMergeEnvironmentByName() {
    TaskDefinitionSpec td = revision("app");
    KeyValuePair mode = new KeyValuePair();
    mode.name = "MODE";
    mode.value = "serve";
    KeyValuePair keep = new KeyValuePair();
    keep.name = "KEEP";
    keep.value = "1";
    td.containerDefinitions.get(0).environment = List.of(mode, keep);
    td.containerDefinitions.get(0).command = List.of("serve");
    td.cpu = "256";

    TaskOverride o = new TaskOverride();
    o.cpu = "512";
    ContainerOverride c = override("app");
    c.command = List.of("migrate", "up");
    KeyValuePair batch = new KeyValuePair();
    batch.name = "MODE";
    batch.value = "batch";
    c.environment = List.of(batch);
    c.memory = 1024;
    o.containerOverrides = List.of(c);

    TaskDefinitionSpec out = TaskOverrides.apply(td, o);

    ContainerDefinition app = out.containerDefinitions.get(0);
    assertThat(app.command).containsExactly("migrate", "up");
    assertThat(app.environment)
        .extracting(e -> e.name, e -> e.value)
        .containsExactly(tuple("MODE", "batch"), tuple("KEEP", "1"));
    assertThat(app.memory).isEqualTo(1024);
    assertThat(out.cpu).isEqualTo("512");
    // the revision itself is untouched
    assertThat(td.containerDefinitions.get(0).command).containsExactly("serve");
    assertThat(td.cpu).isEqualTo("256");
  }

  private static List<String> ecsPaths(TaskSpec s, String networkMode) {
    return TaskValidator.forEcs(s, networkMode).stream()
        .peek(p -> assertThat(p.reason()).isEqualTo(TaskValidator.INVALID_NETWORK_CONFIGURATION))
        .map(Problem::path)
        .toList();
  }

  @Test
  void theNetworkSettingsRunTaskRefusesAreRefusedWithTheirFields() {
    TaskSpec fargateNoNetwork = spec();
    fargateNoNetwork.launchType = "FARGATE";
    assertThat(ecsPaths(fargateNoNetwork, "awsvpc"))
        .containsExactly("networkConfiguration.awsvpcConfiguration.subnets");
    assertThat(ecsPaths(fargateNoNetwork, "bridge")).containsExactly("launchType");

    TaskSpec spot = spec();
    CapacityProviderStrategyItem item = new CapacityProviderStrategyItem();
    item.capacityProvider = "FARGATE_SPOT";
    spot.capacityProviderStrategy = List.of(item);
    assertThat(ecsPaths(spot, null))
        .as("Fargate capacity with a bridge task")
        .containsExactly("capacityProviderStrategy");

    TaskSpec withNetwork = spec();
    withNetwork.launchType = "EC2";
    withNetwork.networkConfiguration =
        new dev.tidewater.api.v1alpha1.service.NetworkConfiguration();
    withNetwork.networkConfiguration.awsvpcConfiguration =
        new dev.tidewater.api.v1alpha1.service.AwsVpcConfiguration();
    withNetwork.networkConfiguration.awsvpcConfiguration.subnets = List.of("subnet-1");
    withNetwork.networkConfiguration.awsvpcConfiguration.assignPublicIp = "ENABLED";
    assertThat(ecsPaths(withNetwork, "host")).containsExactly("networkConfiguration");
    assertThat(ecsPaths(withNetwork, "awsvpc"))
        .containsExactly("networkConfiguration.awsvpcConfiguration.assignPublicIp");
    withNetwork.launchType = "FARGATE";
    assertThat(ecsPaths(withNetwork, "awsvpc")).isEmpty();
    withNetwork.launchType = "EC2";
    withNetwork.networkConfiguration.awsvpcConfiguration.assignPublicIp = "DISABLED";
    assertThat(ecsPaths(withNetwork, "awsvpc")).isEmpty();
  }
}
