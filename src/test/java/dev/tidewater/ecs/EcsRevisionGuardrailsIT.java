package dev.tidewater.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Revisions registered under a looser guardrail on the ecs backend (the strict AWS layer before
 * moto): once the Cluster tightens, a Service pinning such a revision is refused with the field and
 * the revision and no ECS service is made, while a Service already running one is reported and left
 * running (no surprise writes).
 */
class EcsRevisionGuardrailsIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();

  @RegisterExtension
  static final OperatorOnGround onGround =
      new OperatorOnGround("ecs-revguard", Map.of(), List.of("-Dtidewater.resync-period=3s"));

  private final EcsWorld world = new EcsWorld();
  private String ns;

  @BeforeEach
  void namespace() {
    ns = onGround.namespace();
  }

  private static final String CLUSTER =
      """
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: Cluster
      metadata:
        name: default
      spec:
        backend: ecs
        ecs: {create: true}
        guardrails: {allowPrivileged: %s}
      """;

  private static final String TASK =
      """
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: TaskDefinition
      metadata:
        name: admin
      spec:
        requiresCompatibilities: [EC2]
        containerDefinitions:
        - name: app
          image: nginx:1.27
          memory: 256
          linuxParameters:
            capabilities: {add: [SYS_ADMIN]}
      """;

  private static final String SERVICE =
      """
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: Service
      metadata:
        name: %s
      spec:
        taskDefinitionRef: {name: admin, revision: 1}
        launchType: EC2
        desiredCount: 1
      """;

  private EcsService service(String name) {
    return admin.resources(EcsService.class).inNamespace(ns).withName(name).get();
  }

  private static Condition condition(EcsService s, String type) {
    return s.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private String clusterArn() {
    Cluster c = admin.resources(Cluster.class).inNamespace(ns).withName("default").get();
    return c == null || c.getStatus() == null ? null : c.getStatus().clusterArn;
  }

  private List<Service> ecsServices(String name) {
    return world
        .ecs()
        .describeServices(r -> r.cluster(clusterArn()).services(ns + "_" + name))
        .services()
        .stream()
        .filter(s -> "ACTIVE".equals(s.status()))
        .toList();
  }

  /** Waits until the Service is Degraded with GuardrailViolation, its message holding each text. */
  private void awaitGuardrailViolation(String name, String... texts) {
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Condition degraded = condition(service(name), "Degraded");
              assertThat(degraded.getStatus()).isEqualTo("True");
              assertThat(degraded.getReason()).isEqualTo("GuardrailViolation");
              assertThat(degraded.getMessage()).contains(texts);
            });
  }

  private double awsWrites(String api) {
    return onGround.operator().counter("tidewater_aws_calls_total", "api=\"Ecs:" + api + "\"");
  }

  @Test
  void aRevisionRegisteredBeforeTheGuardrailTightenedIsNotDeployedAndTheRunningOneIsKept() {
    Resources.apply(admin, CLUSTER.formatted("true"), ns);
    Resources.apply(admin, TASK, ns);
    Resources.apply(admin, SERVICE.formatted("before"), ns);
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              assertThat(service("before").getStatus().serviceArn).isNotNull();
              assertThat(service("before").getStatus().revision).isEqualTo(1);
            });
    String revisionArn = ecsServices("before").get(0).taskDefinition();

    // the Cluster tightens: revision 1 (SYS_ADMIN) stays registered in ECS
    Resources.apply(admin, CLUSTER.formatted("false"), ns);
    awaitGuardrailViolation(
        "before",
        "revision 1",
        "spec.containerDefinitions[0].linuxParameters.capabilities.add[0]: ",
        "keeps running");
    // reported, not stopped: the ECS service still runs revision 1 as it was
    assertThat(ecsServices("before"))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.taskDefinition()).isEqualTo(revisionArn);
              assertThat(s.desiredCount()).isEqualTo(1);
            });

    // a new Service pinning the same revision is refused before any AWS write
    double creates = awsWrites("CreateService");
    double updates = awsWrites("UpdateService");
    Resources.apply(admin, SERVICE.formatted("pinned"), ns);
    awaitGuardrailViolation(
        "pinned",
        "revision 1 of TaskDefinition admin",
        "spec.containerDefinitions[0].linuxParameters.capabilities.add[0]: ");
    assertThat(service("pinned").getStatus().serviceArn).isNull();
    assertThat(ecsServices("pinned")).isEmpty();
    assertThat(awsWrites("CreateService")).isEqualTo(creates);
    assertThat(awsWrites("UpdateService")).isEqualTo(updates);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        admin.v1().events().inNamespace(ns).list().getItems().stream()
                            .filter(e -> "pinned".equals(e.getInvolvedObject().getName()))
                            .map(Event::getReason))
                    .contains("GuardrailViolation"));
  }

  @Test
  void aRunningServiceWhoseRevisionIsRefusedNowIsNotCreatedAgainOnceItGoes() {
    Resources.apply(admin, CLUSTER.formatted("true"), ns);
    Resources.apply(admin, TASK, ns);
    Resources.apply(admin, SERVICE.formatted("kept"), ns);
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertThat(service("kept").getStatus().revision).isEqualTo(1));
    Resources.apply(admin, CLUSTER.formatted("false"), ns);
    awaitGuardrailViolation("kept", "keeps running");

    // someone deletes the ECS service outside Tidewater: revision 1 ran, it is not deployed anew
    double creates = awsWrites("CreateService");
    world.ecs().deleteService(r -> r.cluster(clusterArn()).service(ns + "_kept").force(true));
    awaitGuardrailViolation(
        "kept",
        "spec.containerDefinitions[0].linuxParameters.capabilities.add[0]: ",
        "is gone and is not created again");
    assertThat(ecsServices("kept")).isEmpty();
    assertThat(awsWrites("CreateService")).isEqualTo(creates);
  }

  @Test
  void aRevisionRegisteredBeforeRestrictedAppliedIsNotDeployedUnderRestricted() {
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: ecs
          ecs: {create: true}
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: admin
        spec:
          requiresCompatibilities: [EC2]
          containerDefinitions:
          - {name: app, image: nginx:1.27, memory: 256, user: '1000'}
        """,
        ns);
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                admin
                        .resources(dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition.class)
                        .inNamespace(ns)
                        .withName("admin")
                        .get()
                        .getStatus()
                        .taskDefinitionArn
                    != null);
    // restricted from now on: revision 1 dropped no capabilities and allowed escalation
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: ecs
          ecs: {create: true}
          guardrails: {podSecurity: restricted}
        """,
        ns);
    double creates = awsWrites("CreateService");
    Resources.apply(admin, SERVICE.formatted("pinned"), ns);
    awaitGuardrailViolation(
        "pinned",
        "revision 1 of TaskDefinition admin",
        "spec.containerDefinitions[0].linuxParameters.capabilities.drop: ",
        "spec.containerDefinitions[0].dockerSecurityOptions: ");
    assertThat(ecsServices("pinned")).isEmpty();
    assertThat(awsWrites("CreateService")).isEqualTo(creates);
  }
}
