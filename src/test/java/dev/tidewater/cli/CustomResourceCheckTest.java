package dev.tidewater.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.cli.CustomResourceCheck.Checked;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Offline checks of Tidewater resource YAML, as {@code tidewater validate} prints them. */
class CustomResourceCheckTest {

  private static final String TASK_DEFINITION =
      """
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: TaskDefinition
      metadata:
        name: web
      spec:
        cpu: "256"
        memory: "512"
        containerDefinitions:
        - name: web
          image: nginx
          environment:
          - name: PORT
            value: "8080"
      """;

  private static List<String> lines(String yaml) {
    return CustomResourceCheck.check(yaml).stream()
        .flatMap(
            c ->
                c.problems().stream()
                    .map(
                        p ->
                            c.label()
                                + ": "
                                + (p.path().isEmpty() ? "" : p.path() + ": ")
                                + p.message()))
        .toList();
  }

  @Test
  void aValidResourcePasses() {
    List<Checked> results = CustomResourceCheck.check(TASK_DEFINITION);

    assertThat(results)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.label()).isEqualTo("TaskDefinition/web");
              assertThat(c.problems()).isEmpty();
            });
  }

  @Test
  void everySpecProblemIsReportedWithItsPath() {
    String yaml =
        TASK_DEFINITION
            .replace("cpu: \"256\"", "cpu: 256\n  networkMode: default")
            .replace("value: \"8080\"", "value: 8080")
            .replace("image: nginx", "image: nginx\n    portBindings: []");

    assertThat(lines(yaml))
        .containsExactly(
            "TaskDefinition/web: spec.cpu: expected a string, got the number 256",
            "TaskDefinition/web: spec.networkMode: \"default\" is not one of bridge, host, awsvpc,"
                + " none",
            "TaskDefinition/web: spec.containerDefinitions[0].portBindings: \"portBindings\" is not"
                + " a field of ContainerDefinition",
            "TaskDefinition/web: spec.containerDefinitions[0].environment[0].value: expected a"
                + " string, got the number 8080");
  }

  @Test
  void requiredFieldsRangesAndEmptyEnumsAreChecked() {
    String yaml =
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: web
        spec:
          desiredCount: -1
          launchType: ""
        """;

    assertThat(lines(yaml))
        .containsExactly(
            "Service/web: spec.desiredCount: -1 is less than the minimum 0",
            "Service/web: spec.launchType: \"\" is not one of EC2, FARGATE, EXTERNAL,"
                + " MANAGED_INSTANCES",
            "Service/web: spec.taskDefinitionRef: missing: EcsServiceSpec requires"
                + " \"taskDefinitionRef\"");
  }

  @Test
  void documentsAreCheckedOneByOneWithKindApiVersionAndName() {
    String yaml =
        TASK_DEFINITION
            + "---\n"
            + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
            + "---\n"
            + "apiVersion: ecs.tidewater.dev/v1\nkind: TaskRole\nmetadata:\n  name: Web_Role\n"
            + "spec: {}\n"
            + "---\n";

    List<Checked> results = CustomResourceCheck.check(yaml);

    assertThat(results)
        .extracting(Checked::label)
        .containsExactly("TaskDefinition/web", "document 2", "TaskRole/Web_Role");
    assertThat(lines(yaml))
        .containsExactly(
            "document 2: kind: the string \"ConfigMap\" is not a Tidewater kind; expected one of"
                + " Cluster, TaskRole, TaskDefinition, Service, LoadBalancerRoute, Task,"
                + " ScheduledTask, TenancyPolicy",
            "TaskRole/Web_Role: apiVersion: the string \"ecs.tidewater.dev/v1\" is wrong;"
                + " expected \"ecs.tidewater.dev/v1alpha1\"",
            "TaskRole/Web_Role: metadata.name: the string \"Web_Role\" is not a valid name:"
                + " lower-case letters, digits, '-' and '.', starting and ending with a letter or"
                + " digit, at most 253 characters");
  }

  @Test
  void brokenYamlIsReportedWithItsPosition() {
    String yaml = TASK_DEFINITION + "  - name: [unclosed\n";

    assertThat(lines(yaml))
        .singleElement()
        .satisfies(l -> assertThat(l).startsWith("document 1: not valid YAML at line "));
  }
}
