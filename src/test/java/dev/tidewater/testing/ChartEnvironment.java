package dev.tidewater.testing;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment the Helm chart gives the operator's container with default values (profile {@code
 * cluster}, leader election, resync period, namespaces, log settings, ...), so an IT operator runs
 * with what an installed one runs with. Field references resolve as the kubelet would for a pod in
 * the release namespace.
 */
public final class ChartEnvironment {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static Map<String, String> cached;

  private ChartEnvironment() {}

  /** The operator container's environment of the chart rendered into the ground's namespace. */
  public static synchronized Map<String, String> of(TestGround ground) {
    if (cached == null) {
      String rendered =
          Command.ok(
              List.of(
                  ground.helm().toString(),
                  "template",
                  ground.operatorNamespace(), // the release: see hack/testground.sh
                  "helm/tidewater",
                  "--namespace",
                  ground.operatorNamespace()));
      cached = Map.copyOf(operatorEnv(rendered, ground.operatorNamespace()));
    }
    return cached;
  }

  /**
   * The operator container's environment in {@code renderedChart}, released into {@code namespace}.
   */
  public static Map<String, String> operatorEnv(String renderedChart, String namespace) {
    List<Deployment> deployments = deployments(renderedChart);
    if (deployments.size() != 1) {
      throw new IllegalStateException("the chart renders " + deployments.size() + " Deployments");
    }
    return env(deployments.get(0), namespace);
  }

  /**
   * The operator container's environment of the Deployment {@code name} in {@code renderedChart}
   * (one of a sharded release's), released into {@code namespace}.
   */
  public static Map<String, String> operatorEnv(
      String renderedChart, String namespace, String name) {
    return deployments(renderedChart).stream()
        .filter(d -> name.equals(d.getMetadata().getName()))
        .findFirst()
        .map(d -> env(d, namespace))
        .orElseThrow(() -> new IllegalStateException("the chart renders no Deployment " + name));
  }

  private static List<Deployment> deployments(String renderedChart) {
    List<Deployment> out = new ArrayList<>();
    for (String doc : renderedChart.split("(?m)^---\\s*$")) {
      if (!doc.contains("\nkind: Deployment\n")) continue;
      out.add(
          SERIALIZATION.unmarshal(
              new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)), Deployment.class));
    }
    return out;
  }

  private static Map<String, String> env(Deployment deployment, String namespace) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar v : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (v.getValue() != null) {
        env.put(v.getName(), v.getValue());
      } else if (v.getValueFrom() != null
          && v.getValueFrom().getFieldRef() != null
          && "metadata.namespace".equals(v.getValueFrom().getFieldRef().getFieldPath())) {
        env.put(v.getName(), namespace);
      } else {
        throw new IllegalStateException(
            "the chart's operator env " + v.getName() + " has a source tests cannot resolve");
      }
    }
    return env;
  }
}
