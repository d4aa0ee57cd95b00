package dev.tidewater.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The GitOps promise behind the Argo CD support: after reconciling, every example's stored spec is
 * the applied YAML, so a sync tool sees no drift.
 */
class GitOpsNoDriftIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final ObjectMapper JSON = new ObjectMapper();
  // Kinds the operator reconciles.
  private static final List<String> RECONCILED =
      List.of("Cluster", "TaskRole", "TaskDefinition", "Service", "LoadBalancerRoute");

  @RegisterExtension
  static final OperatorOnGround onGround = new OperatorOnGround("gitops", Map.of(), List.of());

  private String ns;

  @BeforeEach
  void namespace() {
    ns = onGround.namespace();
  }

  @Test
  void reconciledExamplesKeepTheirAppliedSpec() {
    List<Path> files = exampleFiles();
    files.forEach(file -> Resources.applyFile(admin, file, ns));
    List<GenericKubernetesResource> applied = files.stream().map(GitOpsNoDriftIT::read).toList();
    assertThat(applied).extracting(GenericKubernetesResource::getKind).containsAll(RECONCILED);

    for (GenericKubernetesResource example : applied) {
      if (!RECONCILED.contains(example.getKind())) continue;
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () ->
                  assertThat(readyStatus(stored(example)))
                      .as("%s/%s Ready", example.getKind(), example.getMetadata().getName())
                      .isEqualTo("True"));
    }

    for (GenericKubernetesResource example : applied) {
      GenericKubernetesResource stored = stored(example);
      assertThat(specTree(stored))
          .as("stored spec of %s/%s", example.getKind(), example.getMetadata().getName())
          .isEqualTo(specTree(example));
      // a write to spec by anyone (operator, defaulting webhook) would have bumped it
      assertThat(stored.getMetadata().getGeneration())
          .as("generation of %s/%s", example.getKind(), example.getMetadata().getName())
          .isEqualTo(1L);
    }
  }

  private static List<Path> exampleFiles() {
    try (Stream<Path> files = Files.list(Path.of("examples"))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static GenericKubernetesResource read(Path file) {
    try {
      return Resources.fromYaml(Files.readString(file), GenericKubernetesResource.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private GenericKubernetesResource stored(GenericKubernetesResource example) {
    return admin
        .genericKubernetesResources(example.getApiVersion(), example.getKind())
        .inNamespace(ns)
        .withName(example.getMetadata().getName())
        .get();
  }

  private static String readyStatus(GenericKubernetesResource resource) {
    if (!(resource.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return null;
    }
    if (!(status.get("conditions") instanceof List<?> conditions)) return null;
    return conditions.stream()
        .map(c -> (Map<?, ?>) c)
        .filter(c -> "Ready".equals(c.get("type")))
        .map(c -> String.valueOf(c.get("status")))
        .findFirst()
        .orElse(null);
  }

  // Through JSON text, so YAML's and the API server's number types compare equal.
  private static JsonNode specTree(GenericKubernetesResource resource) {
    try {
      return JSON.readTree(JSON.writeValueAsString(resource.getAdditionalProperties().get("spec")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
