package dev.tidewater.backend.kubernetes.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.Input;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.Result;
import dev.tidewater.model.CanonicalTaskDefinition;
import io.fabric8.kubernetes.api.model.Container;
import org.junit.jupiter.api.Test;

/**
 * A revision runs its spec in the user's order (the normal form): the pod's containers and the
 * indexes in warning paths are those the user wrote, not alphabetical ones.
 */
class UserOrderRenderingTest {

  private static final String TASK =
      """
      {"networkMode": "awsvpc",
       "containerDefinitions": [
         {"name": "zeta-app", "image": "app:1", "essential": true,
          "dependsOn": [{"containerName": "migrate", "condition": "SUCCESS"},
                        {"containerName": "alpha-sidecar", "condition": "START"},
                        {"containerName": "beta-setup", "condition": "COMPLETE"}]},
         {"name": "migrate", "image": "migrate:1", "essential": false},
         {"name": "beta-setup", "image": "setup:1", "essential": false},
         {"name": "alpha-sidecar", "image": "proxy:1", "essential": true},
         {"name": "logger", "image": "log:1", "essential": true}]}
      """;

  private static Result renderRevision(String json) {
    TaskDefinitionSpec revision =
        CanonicalTaskDefinition.of(PodTemplateRendererTest.task(json)).spec();
    return new PodTemplateRenderer().render(new Input(revision, null, null, true, null));
  }

  @Test
  void containersKeepTheUsersOrderWithinTheirRole() {
    Result r = renderRevision(TASK);

    assertThat(r.template().getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly("zeta-app", "logger");
    assertThat(r.template().getSpec().getInitContainers())
        .extracting(Container::getName)
        .containsExactly("migrate", "beta-setup", "alpha-sidecar");
  }

  @Test
  void warningPathsUseTheUsersIndexes() {
    Result r = renderRevision(TASK);

    StatusWarning complete =
        r.warnings().stream()
            .filter(w -> w.reason().equals(MappingReasons.DEPENDS_ON_COMPLETE_APPROXIMATED))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no COMPLETE warning in " + r.warnings()));
    // beta-setup is the third dependency of the first container as written (sorted: the second
    // dependency of the fifth container)
    assertThat(complete.field()).isEqualTo("containerDefinitions[0].dependsOn[2].condition");
  }
}
