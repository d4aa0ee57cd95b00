package dev.tidewater.backend.kubernetes.render;

import static dev.tidewater.backend.kubernetes.render.PodTemplateRendererTest.container;
import static dev.tidewater.backend.kubernetes.render.PodTemplateRendererTest.pod;
import static dev.tidewater.backend.kubernetes.render.PodTemplateRendererTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.Input;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.Result;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TaskDefinitionValidator;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.api.model.Container;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The renderer under the Cluster's Pod Security level: it refuses exactly what the validator does
 * (one function decides), and under restricted it renders what Pod Security restricted requires.
 */
class PodSecurityRenderingTest {

  // an app, a sidecar started first (an init container) and one beside it
  private static final String TASK =
      """
      {"containerDefinitions": [
        {"name": "app", "image": "nginx", "memory": 256, "user": "1000",
         "dependsOn": [{"containerName": "setup", "condition": "SUCCESS"}],
         "linuxParameters": {"capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["NET_RAW"]}}},
        {"name": "setup", "image": "busybox", "memory": 64, "essential": false},
        {"name": "sidecar", "image": "busybox", "memory": 64, "essential": false%s}]}
      """;

  private static Result render(TaskDefinitionSpec spec, ClusterSpec cluster) {
    return new PodTemplateRenderer().render(new Input(spec, null, cluster, true, null));
  }

  private static ClusterSpec level(String podSecurity) {
    ClusterSpec c = new ClusterSpec();
    c.guardrails = new Guardrails();
    c.guardrails.podSecurity = podSecurity;
    return c;
  }

  @Test
  void theRendererRefusesWhatTheValidatorRefuses() {
    TaskDefinitionSpec spec =
        task(
            TASK.formatted(
                ", \"linuxParameters\": {\"capabilities\": {\"add\": [\"SYS_ADMIN\"]}},"
                    + " \"dockerSecurityOptions\": [\"apparmor:unconfined\"]"));
    List<Problem> validator =
        new TaskDefinitionValidator()
            .validate(spec, ValidationContext.forCluster(new ClusterSpec()));
    assertThat(validator)
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple(
                "containerDefinitions[2].linuxParameters.capabilities.add[0]",
                "CapabilityNotAllowed"),
            tuple("containerDefinitions[2].dockerSecurityOptions[0]", "AppArmorNotAllowed"));
    // a Cluster of defaults, and no Cluster at all (the renderer's strict defaults)
    assertThat(render(spec, new ClusterSpec()).refusals()).isEqualTo(validator);
    assertThat(render(spec, null).refusals()).isEqualTo(validator);
  }

  @Test
  void restrictedRendersWhatPodSecurityRestrictedRequires() {
    Result r = render(task(TASK.formatted("")), level("restricted"));
    assertThat(r.refusals()).isEmpty();
    assertThat(pod(r).getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod(r).getSecurityContext().getSeccompProfile().getType())
        .isEqualTo("RuntimeDefault");
    List<Container> all = new ArrayList<>(pod(r).getInitContainers());
    all.addAll(pod(r).getContainers());
    assertThat(all).extracting(Container::getName).contains("app", "setup", "sidecar");
    for (Container c : all) {
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
      assertThat(c.getSecurityContext().getCapabilities().getDrop())
          .as(c.getName())
          .contains("ALL");
    }
    // the user's own capabilities stay: NET_BIND_SERVICE added, NET_RAW dropped beside ALL
    assertThat(container(r, "app").getSecurityContext().getCapabilities().getAdd())
        .containsExactly("NET_BIND_SERVICE");
    assertThat(container(r, "app").getSecurityContext().getCapabilities().getDrop())
        .containsExactly("NET_RAW", "ALL");
    assertThat(container(r, "app").getSecurityContext().getRunAsUser()).isEqualTo(1000L);
  }

  @Test
  void baselineAddsNothing() {
    Result r = render(task(TASK.formatted("")), level(null));
    assertThat(r.refusals()).isEmpty();
    assertThat(pod(r).getSecurityContext()).isNull();
    assertThat(container(r, "sidecar").getSecurityContext()).isNull();
  }
}
