package dev.tidewater.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Pod Security guardrails on the ecs backend (the strict AWS layer before moto): the task
 * definition issue 19 had registered under a Cluster forbidding privileged tasks is refused field
 * by field before any AWS call, and registers once fixed.
 */
class EcsPodSecurityGuardrailsIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();

  @RegisterExtension
  static final OperatorOnGround onGround =
      new OperatorOnGround("ecs-podsec", Map.of(), List.of("-Dtidewater.resync-period=3s"));

  private final EcsWorld world = new EcsWorld();
  private String ns;

  @BeforeEach
  void namespace() {
    ns = onGround.namespace();
  }

  private static final String TASK =
      """
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: TaskDefinition
      metadata:
        name: host
      spec:
        requiresCompatibilities: [EC2]
        %s
        containerDefinitions:
        - name: app
          image: nginx:1.27
          memory: 256
          %s
      """;

  private static final String BYPASS_TASK =
      """
      pidMode: host
        ipcMode: host""";

  private static final String BYPASS_CONTAINER =
      """
      linuxParameters:
            capabilities: {add: [ALL]}
            devices: [{hostPath: /dev/mem, containerPath: /dev/mem}]
          dockerSecurityOptions: ['seccomp:unconfined']""";

  private TaskDefinition taskDefinition() {
    return admin.resources(TaskDefinition.class).inNamespace(ns).withName("host").get();
  }

  private static Condition condition(TaskDefinition td, String type) {
    return td.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private double registrations() {
    return onGround
        .operator()
        .counter("tidewater_aws_calls_total", "api=\"Ecs:RegisterTaskDefinition\"");
  }

  @Test
  void theIssuesHostTaskIsRefusedFieldByFieldWithoutRegistering() {
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: ecs
          guardrails: {allowPrivileged: false}
        """,
        ns);
    double before = registrations();
    Resources.apply(admin, TASK.formatted(BYPASS_TASK, BYPASS_CONTAINER), ns);
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Condition degraded = condition(taskDefinition(), "Degraded");
              assertThat(degraded.getStatus()).isEqualTo("True");
              assertThat(degraded.getReason()).isEqualTo("GuardrailViolation");
              assertThat(degraded.getMessage())
                  .contains(
                      "spec.pidMode: ",
                      "spec.ipcMode: ",
                      "spec.containerDefinitions[0].linuxParameters.capabilities.add[0]: ",
                      "spec.containerDefinitions[0].linuxParameters.devices[0].hostPath: ",
                      "spec.containerDefinitions[0].dockerSecurityOptions[0]: ");
            });
    assertThat(registrations()).isEqualTo(before);
    assertThat(world.ecs().listTaskDefinitionFamilies(r -> r.familyPrefix(ns)).families())
        .isEmpty();

    // the same task without the bypasses registers: the refusal, not the path, kept it out
    Resources.apply(admin, TASK.formatted("", ""), ns);
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(condition(taskDefinition(), "Ready").getStatus()).isEqualTo("True");
              assertThat(taskDefinition().getStatus().taskDefinitionArn).isNotNull();
            });
    assertThat(registrations()).isEqualTo(before + 1);
  }

  private software.amazon.awssdk.services.ecs.model.TaskDefinition registered(String name) {
    TaskDefinition td = admin.resources(TaskDefinition.class).inNamespace(ns).withName(name).get();
    String arn = td.getStatus().taskDefinitionArn;
    assertThat(arn).isNotNull();
    return world.ecs().describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition();
  }

  @Test
  void restrictedRegistersEveryCapabilityDroppedAndNoNewPrivilegesWhereEcsCanSayIt() {
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: ecs
          guardrails: {podSecurity: restricted}
        """,
        ns);
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: ec2
        spec:
          requiresCompatibilities: [EC2]
          containerDefinitions:
          - name: app
            image: nginx:1.27
            memory: 256
            user: '1000'
            linuxParameters: {capabilities: {add: [NET_BIND_SERVICE]}}
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: fargate
        spec:
          requiresCompatibilities: [FARGATE]
          networkMode: awsvpc
          cpu: '256'
          memory: '512'
          containerDefinitions:
          - name: app
            image: nginx:1.27
            user: '1000'
        """,
        ns);
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              for (String name : List.of("ec2", "fargate")) {
                TaskDefinition td =
                    admin.resources(TaskDefinition.class).inNamespace(ns).withName(name).get();
                assertThat(condition(td, "Ready").getStatus()).isEqualTo("True");
              }
            });
    // EC2: what Pod Security restricted requires, as the kubernetes renderer adds it
    assertThat(registered("ec2").containerDefinitions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.linuxParameters().capabilities().drop()).containsExactly("ALL");
              assertThat(c.linuxParameters().capabilities().add())
                  .containsExactly("NET_BIND_SERVICE");
              assertThat(c.dockerSecurityOptions()).containsExactly("no-new-privileges");
            });
    // Fargate takes no dockerSecurityOptions: capabilities only
    assertThat(registered("fargate").containerDefinitions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.linuxParameters().capabilities().drop()).containsExactly("ALL");
              assertThat(c.hasDockerSecurityOptions()).isFalse();
            });
  }
}
