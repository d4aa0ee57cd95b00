package dev.tidewater.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ApiReferenceTest {

  @Test
  void committedReferenceMatchesTheCrds() throws IOException {
    if (Boolean.getBoolean("tidewater.write-docs")) {
      ApiReference.main(new String[0]);
    }
    assertThat(Files.readString(ApiReference.DOC))
        .as("docs/api-reference.md is stale: run hack/update-api-docs.sh")
        .isEqualTo(ApiReference.generate());
  }

  @Test
  void everyKindAndNestedObjectHasASection() {
    String doc = ApiReference.generate();
    assertThat(doc)
        .contains("## Cluster", "## TaskDefinition", "## Service", "## TaskRole")
        .contains("## LoadBalancerRoute")
        .contains("### `TaskDefinition.spec.containerDefinitions[]`")
        .contains("### `Service.spec.deploymentConfiguration.deploymentCircuitBreaker`")
        .contains("| `backend` | string | one of `kubernetes`, `ecs` |");
  }

  @Test
  void everyKindSpecAndStatusIsDescribed() {
    String doc = ApiReference.generate();
    assertThat(doc)
        .contains("## Service\n\nAn ECS service")
        .contains("name this kind ecssvc or service.ecs.tidewater.dev")
        .contains("### `TaskRole.spec`\n\nThe role's inline policies")
        .contains("### `LoadBalancerRoute.status`\n\nPer rule its planned priority");
  }
}
