package dev.tidewater.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.cluster.RoutingSettings;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.testing.LineDiff;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A LoadBalancerRoute per routing mode as Kubernetes objects: inputs under {@code routes/}, outputs
 * compared with golden YAML under {@code golden/routes/} (rewrite with {@code
 * -Dtidewater.golden.update=true} and review the diff).
 */
class RouteObjectsTest {

  private static final Path INPUTS = Path.of("src", "test", "resources", "routes");
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "routes");
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static YAMLMapper yaml() {
    YAMLMapper m = new YAMLMapper();
    m.disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER);
    m.enable(YAMLGenerator.Feature.MINIMIZE_QUOTES);
    m.enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS);
    m.disable(YAMLGenerator.Feature.SPLIT_LINES);
    return m;
  }

  static RouteObjects.Output render(String file) throws IOException {
    JsonNode in = yaml().readTree(INPUTS.resolve(file).toFile());
    LoadBalancerRoute route = JSON.convertValue(in.get("route"), LoadBalancerRoute.class);
    RoutingSettings routing = JSON.convertValue(in.get("routing"), RoutingSettings.class);
    List<Integer> priorities =
        yaml().convertValue(in.get("priorities"), new TypeReference<List<Integer>>() {});
    List<Integer> orders =
        in.has("groupOrders")
            ? yaml().convertValue(in.get("groupOrders"), new TypeReference<List<Integer>>() {})
            : List.of();
    String tg = in.has("targetGroupArn") ? in.get("targetGroupArn").asText() : null;
    return RouteObjects.desired(new RouteObjects.Input(route, routing, priorities, orders, tg));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ingress.yaml", "gateway.yaml", "aws.yaml", "network.yaml"})
  void matchesGoldenFile(String file) throws IOException {
    RouteObjects.Output out = render(file);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("source", "src/test/resources/routes/" + file);
    doc.put("objects", JSON.convertValue(out.objects(), JsonNode.class));
    doc.put("ruleChildren", out.ruleChildren());
    doc.put("warnings", out.warnings());
    String actual = yaml().writeValueAsString(doc);
    Path golden = GOLDEN.resolve(file);
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

  @Test
  void ingressModeCarriesTheAlbSemanticsRuleByRule() throws IOException {
    RouteObjects.Output out = render("ingress.yaml");
    var ingresses =
        out.objects().stream()
            .filter(o -> o instanceof io.fabric8.kubernetes.api.model.networking.v1.Ingress)
            .map(o -> (io.fabric8.kubernetes.api.model.networking.v1.Ingress) o)
            .toList();
    assertThat(ingresses).hasSize(5);
    var first = ingresses.get(0);
    assertThat(first.getMetadata().getAnnotations())
        .containsEntry("alb.ingress.kubernetes.io/group.name", "public")
        .containsEntry("alb.ingress.kubernetes.io/group.order", "-1000")
        .containsEntry("alb.ingress.kubernetes.io/listen-ports", "[{\"HTTPS\":443}]")
        .containsEntry("alb.ingress.kubernetes.io/target-type", "ip");
    assertThat(first.getSpec().getIngressClassName()).isEqualTo("alb-internal");
    var paths = first.getSpec().getRules().get(0).getHttp().getPaths();
    assertThat(paths).extracting("pathType").containsExactly("Prefix", "Exact");
    assertThat(paths).extracting("path").containsExactly("/api/", "/health");
    // a wildcard host Ingress cannot hold goes into the ALB conditions annotation
    assertThat(ingresses.get(4).getMetadata().getAnnotations())
        .containsEntry(
            "alb.ingress.kubernetes.io/conditions.web",
            "[{\"field\":\"host-header\",\"hostHeaderConfig\":{\"values\":[\"api-?.example.com\"]}}]");
    assertThat(ingresses.get(4).getSpec().getRules().get(0).getHost()).isNull();
  }

  @Test
  void gatewayModeLeavesOutWhatItCannotMatchNamingTheRule() throws IOException {
    RouteObjects.Output out = render("gateway.yaml");
    assertThat(out.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.field()).isEqualTo("spec.rules[3].conditions.sourceIps");
              assertThat(w.reason()).isEqualTo(RouteObjects.CONDITION_NOT_EXPRESSIBLE);
            });
    assertThat(out.ruleChildren()).containsExactly("web", "web", "web-1", null);
  }
}
