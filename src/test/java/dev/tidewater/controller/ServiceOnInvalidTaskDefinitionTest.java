package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicySpec;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.model.TenancyCeiling;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a Service says when its TaskDefinition's current spec is refused under their Cluster:
 * Degraded (not Ready, not Progressing) with TaskDefinitionInvalid, naming the TaskDefinition and
 * its first problem's field; nothing once the TaskDefinition is fixed or the Service pins a
 * revision.
 */
class ServiceOnInvalidTaskDefinitionTest {

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ResolvedCluster DEFAULTS =
      new ResolvedCluster("default", new ClusterSpec(), false);

  private static TaskDefinition taskDefinition(String spec) throws Exception {
    TaskDefinition td = new TaskDefinition();
    td.getMetadata().setName("web");
    td.setSpec(YAML.readValue(spec, TaskDefinitionSpec.class));
    return td;
  }

  private static EcsService service(Integer revision) {
    EcsService s = new EcsService();
    s.getMetadata().setName("web");
    s.setSpec(new EcsServiceSpec());
    s.getSpec().taskDefinitionRef = new TaskDefinitionRef();
    s.getSpec().taskDefinitionRef.name = "web";
    s.getSpec().taskDefinitionRef.revision = revision;
    return s;
  }

  private static final String SYS_ADMIN_SIDECAR =
      """
      containerDefinitions:
        - {name: app, image: nginx, memory: 256}
        - name: sidecar
          image: busybox
          memory: 64
          essential: false
          linuxParameters: {capabilities: {add: [SYS_ADMIN]}}
          privileged: true
      """;

  @Test
  void anInvalidTaskDefinitionDegradesItsServiceNamingItAndTheField() throws Exception {
    Outcome outcome =
        ServiceReconciler.taskDefinitionInvalid(
                service(null), taskDefinition(SYS_ADMIN_SIDECAR), DEFAULTS, OPEN)
            .orElseThrow();
    assertThat(outcome.degraded()).isTrue();
    assertThat(outcome.ready()).isFalse();
    assertThat(outcome.progressing()).isFalse();
    assertThat(outcome.reason()).isEqualTo("TaskDefinitionInvalid");
    assertThat(outcome.message())
        .startsWith("TaskDefinition web is invalid: spec.containerDefinitions[1].privileged: ")
        .endsWith("(and 1 more)");
  }

  @Test
  void aValidTaskDefinitionOrAPinnedRevisionSaysNothing() throws Exception {
    String fixed =
        SYS_ADMIN_SIDECAR.replace("[SYS_ADMIN]", "[CHOWN]").replace("privileged: true", "");
    assertThat(
            ServiceReconciler.taskDefinitionInvalid(
                service(null), taskDefinition(fixed), DEFAULTS, OPEN))
        .isEmpty();
    assertThat(
            ServiceReconciler.taskDefinitionInvalid(
                service(3), taskDefinition(SYS_ADMIN_SIDECAR), DEFAULTS, OPEN))
        .isEmpty();
    // a Cluster allowing privileged tasks has nothing to refuse here
    ClusterSpec privileged = new ClusterSpec();
    privileged.guardrails = new dev.tidewater.api.v1alpha1.cluster.Guardrails();
    privileged.guardrails.allowPrivileged = true;
    assertThat(
            ServiceReconciler.taskDefinitionInvalid(
                service(null),
                taskDefinition(SYS_ADMIN_SIDECAR),
                new ResolvedCluster("default", privileged, false),
                OPEN))
        .isEmpty();
    // ... unless the namespace's ceiling does not allow them: no TenancyPolicy, the built-in one
    assertThat(
            ServiceReconciler.taskDefinitionInvalid(
                service(null),
                taskDefinition(SYS_ADMIN_SIDECAR),
                new ResolvedCluster("default", privileged, false),
                TenancyCeiling.builtIn("team")))
        .isPresent();
  }

  /** A ceiling that allows privileged tasks, so the Cluster's own guardrails decide. */
  private static final TenancyCeiling OPEN = openCeiling();

  private static TenancyCeiling openCeiling() {
    TenancyPolicySpec spec = new TenancyPolicySpec();
    spec.guardrails = new dev.tidewater.api.v1alpha1.cluster.Guardrails();
    spec.guardrails.allowPrivileged = true;
    return new TenancyCeiling("team", List.of(new TenancyCeiling.Governing("open", spec)));
  }

  @Test
  void aTaskDefinitionTheCeilingRefusesDegradesItsServiceToo() throws Exception {
    String chosenFamily =
        SYS_ADMIN_SIDECAR.replace("[SYS_ADMIN]", "[CHOWN]").replace("privileged: true", "")
            + "family: shared\n";
    Outcome outcome =
        ServiceReconciler.taskDefinitionInvalid(
                service(null), taskDefinition(chosenFamily), DEFAULTS, OPEN)
            .orElseThrow();
    assertThat(outcome.degraded()).isTrue();
    assertThat(outcome.message()).contains("spec.family");
  }
}
