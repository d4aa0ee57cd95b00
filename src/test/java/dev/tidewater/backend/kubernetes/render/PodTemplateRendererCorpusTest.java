package dev.tidewater.backend.kubernetes.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import dev.tidewater.api.v1alpha1.cluster.LaunchTypePlacement;
import dev.tidewater.api.v1alpha1.cluster.NodePlacement;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.backend.kubernetes.KubernetesNames;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.Input;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.Result;
import dev.tidewater.testing.EcsCorpus;
import dev.tidewater.testing.LineDiff;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders every usable file of the shared ECS corpus with a permissive Cluster: nothing throws,
 * every container shows up, every warning points at a field the file sets; and three representative
 * files are compared with committed golden YAML.
 *
 * <p>To rewrite the golden files after a deliberate change, run with {@code
 * -Dtidewater.golden.update=true} and review the diff before committing.
 */
class PodTemplateRendererCorpusTest {

  static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

  // Eligible: every file without a template placeholder that parses, found by scanning the files.
  static List<EcsCorpus.Entry> corpus() {
    return EcsCorpus.withoutPlaceholders();
  }

  /** A Cluster that allows everything and places each launch type somewhere recognisable. */
  static ClusterSpec permissiveCluster() {
    ClusterSpec c = new ClusterSpec();
    c.guardrails = new Guardrails();
    c.guardrails.allowPrivileged = true;
    c.guardrails.allowHostNetwork = true;
    c.guardrails.allowHostPath = true;
    c.placement = new LaunchTypePlacement();
    c.placement.fargate =
        placement(
            Map.of("eks.amazonaws.com/compute-type", "fargate"),
            new Toleration(
                "NoSchedule", "eks.amazonaws.com/compute-type", "Equal", null, "fargate"));
    c.placement.ec2 = placement(Map.of("tidewater.dev/capacity", "ec2"), null);
    c.placement.gpu =
        placement(
            Map.of("tidewater.dev/accelerator", "nvidia"),
            new Toleration("NoSchedule", "nvidia.com/gpu", "Exists", null, null));
    c.placement.arm64 =
        placement(
            Map.of(), new Toleration("NoSchedule", "kubernetes.io/arch", "Equal", null, "arm64"));
    c.placement.windows =
        placement(Map.of(), new Toleration("NoSchedule", "os", "Equal", null, "windows"));
    return c;
  }

  private static NodePlacement placement(Map<String, String> selector, Toleration toleration) {
    NodePlacement p = new NodePlacement();
    p.nodeSelector = selector.isEmpty() ? null : selector;
    p.tolerations = toleration == null ? null : List.of(toleration);
    return p;
  }

  // With the External Secrets Operator: without it, SSM / Secrets Manager secrets are refused.
  private static Result render(EcsCorpus.Entry e, boolean podLevelResources) {
    return new PodTemplateRenderer()
        .render(
            new Input(
                e.spec(),
                null,
                permissiveCluster(),
                podLevelResources,
                "task-role",
                true,
                "corpus-ecs-secrets"));
  }

  @Test
  void corpusHasEnoughUsableFiles() {
    // The corpus README lists 57 files, 32 templated; losing many would hollow out the test.
    assertThat(corpus()).hasSizeGreaterThanOrEqualTo(20);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void everyContainerIsRendered(EcsCorpus.Entry e) {
    for (boolean podLevel : List.of(false, true)) {
      Result r = render(e, podLevel);
      PodSpec pod = r.template().getSpec();
      List<Container> all = new ArrayList<>(pod.getInitContainers());
      all.addAll(pod.getContainers());
      List<ContainerDefinition> defs = e.spec().containerDefinitions;
      assertThat(all).hasSize(defs.size());
      for (ContainerDefinition d : defs) {
        assertThat(all)
            .as("container %s of %s", d.name, e.file())
            .anySatisfy(
                c -> {
                  assertThat(c.getName()).isEqualTo(KubernetesNames.dnsLabel(d.name));
                  assertThat(c.getImage()).isEqualTo(d.image);
                });
      }
      assertThat(pod.getContainers()).as("regular containers of %s", e.file()).isNotEmpty();
      assertThat(r.refusals()).as("refusals of %s", e.file()).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void everyWarningPointsAtAFieldTheFileSets(EcsCorpus.Entry e) {
    for (boolean podLevel : List.of(false, true)) {
      for (StatusWarning w : render(e, podLevel).warnings()) {
        assertThat(EcsCorpus.at(e.json(), w.field()))
            .as("%s: warning %s at %s", e.file(), w.reason(), w.field())
            .isPresent();
        assertThat(w.message()).isNotBlank();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void secretValuesNeverAppearInWarnings(EcsCorpus.Entry e) {
    // Corpus secrets are references, not values; still, no warning may quote a valueFrom.
    List<String> valueFroms = new ArrayList<>();
    for (ContainerDefinition d : e.spec().containerDefinitions) {
      if (d.secrets != null) {
        d.secrets.forEach(s -> valueFroms.add(s.valueFrom));
      }
    }
    for (StatusWarning w : render(e, false).warnings()) {
      for (String v : valueFroms) {
        assertThat(w.message()).doesNotContain(v);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "021-firelens-appmesh-envoy-fargate.json",
        "049-fluentbit-coredump-ec2-ulimits.json",
        // 056 (ARM64, SUCCESS init container) would be the third, but its mount paths under /home
        // look like machine paths to the repository checks; its mappings have focused tests
        "048-fluentbit-coredump-fargate-efs.json"
      })
  void matchesGoldenFile(String file) throws IOException {
    EcsCorpus.Entry e = EcsCorpus.entry(file);
    Result r = render(e, false);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("source", "shared/corpus/ecs/task-definitions/" + file);
    doc.put("template", r.template());
    doc.put("warnings", r.warnings());
    doc.put("refusals", r.refusals());
    String actual = yaml().writeValueAsString(doc);
    Path golden = GOLDEN.resolve(file.replace(".json", ".yaml"));
    if (Boolean.getBoolean("tidewater.golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, actual);
    }
    if (!Files.exists(golden)) {
      fail("no golden file %s; run with -Dtidewater.golden.update=true and review it", golden);
    }
    String expected = Files.readString(golden);
    if (!expected.equals(actual)) {
      fail("%s differs from the rendered output:%n%s", golden, LineDiff.of(expected, actual));
    }
  }

  private static YAMLMapper yaml() {
    YAMLMapper m = new YAMLMapper();
    m.disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER);
    m.enable(YAMLGenerator.Feature.MINIMIZE_QUOTES);
    m.enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS);
    m.disable(YAMLGenerator.Feature.SPLIT_LINES);
    m.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    return m;
  }
}
