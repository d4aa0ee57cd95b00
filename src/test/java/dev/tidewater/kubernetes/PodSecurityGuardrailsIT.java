package dev.tidewater.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Pod Security guardrails on the kubernetes backend: a bypass of the default Cluster's
 * guardrails is refused naming the field before anything is made, the Service on it says why and
 * recovers with the fix, and what a baseline / restricted Cluster renders passes the API server's
 * Pod Security admission at that level.
 */
class PodSecurityGuardrailsIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();

  @RegisterExtension
  static final OperatorOnGround onGround =
      new OperatorOnGround("podsec", Map.of(), List.of("-Dtidewater.resync-period=3s"));

  private String ns;

  @BeforeEach
  void namespace() {
    ns = onGround.namespace();
  }

  private static String taskDefinition(String sidecarExtra, String appUser) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: web
        spec:
          containerDefinitions:
          - name: app
            image: nginx:1.27
            memory: 256
            %s
          - name: sidecar
            image: busybox:1.36
            memory: 64
            essential: false
            %s
        """
        .formatted(appUser, sidecarExtra);
  }

  private static final String SERVICE =
      """
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: Service
      metadata:
        name: web
      spec:
        taskDefinitionRef: {name: web}
        desiredCount: 1
      """;

  private static Condition condition(HasMetadata r, String type) {
    var status = r instanceof EcsService s ? s.getStatus() : ((TaskDefinition) r).getStatus();
    assertThat(status).isNotNull();
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  private EcsService service() {
    return admin.resources(EcsService.class).inNamespace(ns).withName("web").get();
  }

  private TaskDefinition taskDefinition() {
    return admin.resources(TaskDefinition.class).inNamespace(ns).withName("web").get();
  }

  @Test
  void aSysAdminSidecarIsRefusedNamingTheFieldAndTheServiceRecoversWithTheFix() {
    String field = "spec.containerDefinitions[1].linuxParameters.capabilities.add[0]";
    Resources.apply(
        admin, taskDefinition("linuxParameters: {capabilities: {add: [SYS_ADMIN]}}", ""), ns);
    Resources.apply(admin, SERVICE, ns);
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Condition td = condition(taskDefinition(), "Degraded");
              assertThat(td.getStatus()).isEqualTo("True");
              assertThat(td.getReason()).isEqualTo("GuardrailViolation");
              assertThat(td.getMessage()).contains(field + ": ", "SYS_ADMIN");
              EcsService s = service();
              assertThat(condition(s, "Degraded").getStatus()).isEqualTo("True");
              assertThat(condition(s, "Degraded").getReason()).isEqualTo("TaskDefinitionInvalid");
              assertThat(condition(s, "Degraded").getMessage())
                  .contains("TaskDefinition web", field);
              assertThat(condition(s, "Progressing").getStatus()).isEqualTo("False");
              assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
            });
    assertThat(admin.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(admin.resources(ControllerRevision.class).inNamespace(ns).list().getItems())
        .isEmpty();

    Resources.apply(
        admin, taskDefinition("linuxParameters: {capabilities: {add: [CHOWN]}}", ""), ns);
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              EcsService s = service();
              assertThat(condition(s, "Degraded").getStatus()).isEqualTo("False");
              assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
              assertThat(s.getStatus().revision).isEqualTo(1);
              assertThat(admin.apps().deployments().inNamespace(ns).withName("web").get())
                  .isNotNull();
            });
  }

  @Test
  void aBaselineClusterRendersPodsBaselineAdmissionAccepts() {
    enforce("baseline");
    Resources.apply(
        admin,
        taskDefinition(
            "linuxParameters: {capabilities: {add: [CHOWN, NET_BIND_SERVICE]}}\n"
                + "    systemControls: [{namespace: net.ipv4.tcp_syncookies, value: '1'}]\n"
                + "    dockerSecurityOptions: ['apparmor:runtime/default',"
                + " 'label:type:container_t']",
            "user: '0'"),
        ns);
    Resources.apply(admin, SERVICE, ns);
    awaitPods();
  }

  @Test
  void aRestrictedClusterRendersPodsRestrictedAdmissionAccepts() {
    enforce("restricted");
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          guardrails: {podSecurity: restricted}
        """,
        ns);
    Resources.apply(
        admin,
        taskDefinition(
            "linuxParameters: {capabilities: {add: [NET_BIND_SERVICE]}}\n    user: '1000:1000'",
            "user: '101'"),
        ns);
    Resources.apply(admin, SERVICE, ns);
    awaitPods();
  }

  /** Pod Security admission enforces {@code level} on the test's namespace. */
  private void enforce(String level) {
    admin
        .namespaces()
        .withName(ns)
        .edit(
            n -> {
              n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", level);
              return n;
            });
  }

  /** The ReplicaSet's pods were admitted (admission refuses them otherwise: FailedCreate). */
  private void awaitPods() {
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              assertThat(admin.pods().inNamespace(ns).list().getItems()).isNotEmpty();
              assertThat(condition(service(), "Ready").getStatus()).isEqualTo("True");
            });
  }
}
